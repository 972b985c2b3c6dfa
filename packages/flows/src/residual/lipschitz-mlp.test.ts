import { add, ArgumentError, key, mul, normal, sum, tensor, valueAndGrad, vjp, type Tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { jacobians } from '../testing/jacobian.js';
import { lipschitzMlp, type LipschitzActivation, type LipschitzMlpParams } from './lipschitz-mlp.js';

/** Largest singular value of a row-major [rows, cols] matrix, by float64 power iteration on WᵀW to convergence. */
function sigmaMax(w: ArrayLike<number>, rows: number, cols: number): number {
  let v = Float64Array.from({ length: cols }, (_, i) => Math.cos(1 + 7 * i));
  let prev = 0;
  for (let it = 0; it < 5000; it++) {
    const u = new Float64Array(rows);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) u[r] = u[r]! + w[r * cols + c]! * v[c]!;
    const next = new Float64Array(cols);
    for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) next[c] = next[c]! + w[r * cols + c]! * u[r]!;
    const nrm = Math.hypot(...next);
    v = next.map((x) => x / nrm);
    const sigma = Math.sqrt(nrm);
    if (Math.abs(sigma - prev) < 1e-13 * sigma) return sigma;
    prev = sigma;
  }
  return prev;
}

async function sigmas(ws: readonly Tensor[]): Promise<number[]> {
  return Promise.all(ws.map(async (w) => sigmaMax(await w.data(), w.shape[0]!, w.shape[1]!)));
}

/** The same parameters with every weight scaled by s (to push σ(W) far above c). */
function scaled(p: LipschitzMlpParams, s: number): LipschitzMlpParams {
  return { layers: p.layers.map((l) => ({ w: mul(l.w, s), b: l.b })), beta: p.beta };
}

describe('lipschitzMlp: spectral normalisation', () => {
  it('checks the reference: σ_max of diag(3, 1) and of a rank-one matrix', () => {
    expect(sigmaMax([3, 0, 0, 1], 2, 2)).toBeCloseTo(3, 10);
    // [[1, 2], [2, 4]] = [1, 2]ᵀ[1, 2]: σ = ‖[1, 2]‖² = 5.
    expect(sigmaMax([1, 2, 2, 4], 2, 2)).toBeCloseTo(5, 10);
  });

  it('bounds every normalised weight by c (within 1e-3) and the product of norms by c, after enough power steps', async () => {
    const c = 0.9;
    const g = lipschitzMlp(key(1), 3, { hidden: [16, 12], coeff: c, powerIterations: { update: 1, evaluation: 0 } });
    const p = scaled(g.params, 4);
    const raw = await sigmas(p.layers.map((l) => l.w));
    expect(Math.min(...raw)).toBeGreaterThan(1.5); // the normalisation has work to do
    let b = g.buffers;
    for (let i = 0; i < 40; i++) b = g.updateBuffers(p, b);
    const s = await sigmas(g.weights(p, b, false));
    for (const si of s) {
      expect(si).toBeLessThanOrEqual(c + 1e-3);
      expect(si).toBeGreaterThan(c - 1e-3); // rescaled to the bound, not below it
    }
    expect(s.reduce((a, x) => a * x, 1)).toBeLessThanOrEqual(c + 1e-3);
  });

  it('leaves a weight alone when its norm is already below c', async () => {
    const g = lipschitzMlp(key(2), 2, { hidden: [8], coeff: 0.97 });
    const p = scaled(g.params, 0.05);
    const before = await sigmas(p.layers.map((l) => l.w));
    const after = await sigmas(g.weights(p, g.updateBuffers(p, g.buffers), false));
    after.forEach((a, i) => expect(a).toBeCloseTo(before[i]!, 5));
  });

  it('uses the evaluation step count inside a forward pass, and updateBuffers persists its own', async () => {
    const c = 0.8;
    const make = (evaluation: number) => lipschitzMlp(key(3), 3, { hidden: [10], coeff: c, powerIterations: { update: 1, evaluation, training: 0 } });
    const stale = make(0);
    const p = scaled(stale.params, 6);
    // Buffers fitted to the unscaled weights estimate the scaled ones badly: no extra step, bound missed.
    const s0 = await sigmas(stale.weights(p, stale.buffers, false));
    const s1 = await sigmas(make(60).weights(p, stale.buffers, false));
    const sTrain = await sigmas(make(60).weights(p, stale.buffers, true));
    expect(Math.max(...s1)).toBeLessThanOrEqual(c + 1e-3);
    expect(s0).not.toEqual(s1);
    // training: 0 extra steps means the stale vectors are used as they are.
    sTrain.forEach((s, i) => expect(s).toBeCloseTo(s0[i]!, 5));
  });

  for (const activation of ['lipSwish', 'elu', 'tanh'] as LipschitzActivation[]) {
    it(`is c-Lipschitz on random pairs with ${activation}`, async () => {
      const c = 0.7;
      const g = lipschitzMlp(key(4), 4, { hidden: [24, 24], coeff: c, activation, powerIterations: { evaluation: 30 } });
      const p = scaled(g.params, 5);
      const f = g.bind(p, g.buffers, false);
      const x = normal(key(5), [200, 4]);
      const y = normal(key(6), [200, 4], 0, 0.3);
      const xs = await x.data();
      const ys = await y.data();
      const fx = await f(x).data();
      const fy = await f(tensor(Float32Array.from(xs, (v, i) => v + ys[i]!), [200, 4])).data();
      let worst = 0;
      for (let s = 0; s < 200; s++) {
        let num = 0;
        let den = 0;
        for (let j = 0; j < 4; j++) {
          num += (fy[s * 4 + j]! - fx[s * 4 + j]!) ** 2;
          den += ys[s * 4 + j]! ** 2;
        }
        worst = Math.max(worst, Math.sqrt(num / den));
      }
      expect(worst).toBeLessThanOrEqual(c + 1e-3);
      expect(worst).toBeGreaterThan(0.01); // g is not trivially flat
    });
  }

  it("norm 'infinity': every normalised weight has largest absolute row sum <= c, and g is c-Lipschitz in ℓ∞", async () => {
    const c = 0.8;
    const g = lipschitzMlp(key(8), 3, { hidden: [20], coeff: c, norm: 'infinity', activation: 'elu' });
    const p = scaled(g.params, 4);
    for (const w of g.weights(p, g.buffers, false)) {
      const a = await w.data();
      const [rows, cols] = w.shape as [number, number];
      const rowSums = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, j) => Math.abs(a[r * cols + j]!)).reduce((s, v) => s + v, 0));
      expect(Math.max(...rowSums)).toBeLessThanOrEqual(c + 1e-5);
      expect(Math.max(...rowSums)).toBeGreaterThan(c - 1e-5); // the scaled weights were above the bound
    }
    const f = g.bind(p, g.buffers, false);
    const x = normal(key(9), [300, 3]);
    const dx = normal(key(10), [300, 3], 0, 0.2);
    const [fx, fy, ds] = await Promise.all([f(x).data(), f(add(x, dx)).data(), dx.data()]);
    let worst = 0;
    for (let s = 0; s < 300; s++) {
      const num = Math.max(...[0, 1, 2].map((j) => Math.abs(fy[s * 3 + j]! - fx[s * 3 + j]!)));
      const den = Math.max(...[0, 1, 2].map((j) => Math.abs(ds[s * 3 + j]!)));
      expect(num).toBeLessThanOrEqual(c * den + 1e-5);
      worst = Math.max(worst, num / den);
    }
    expect(worst).toBeGreaterThan(0.05); // g is not trivially flat
  });

  it('keeps β = softplus(raw) > 0 and starts at β = 1 (LipSwish x·σ(x)/1.1)', async () => {
    const g = lipschitzMlp(key(7), 1, { hidden: [1], coeff: 0.5 });
    // One hidden unit: g(x) = w2·lipSwish(w1 x + b1) + b2 with normalised w's; check against the closed form.
    const [w1, w2] = g.weights(g.params, g.buffers, false);
    const a = (await w1!.data())[0]!;
    const d = (await w2!.data())[0]!;
    const x = 0.8;
    const h = a * x;
    const want = (d * (h / (1 + Math.exp(-h)))) / 1.1;
    expect((await g.bind(g.params, g.buffers, false)(tensor([[x]])).data())[0]).toBeCloseTo(want, 5);
    expect(Math.abs(a)).toBeCloseTo(0.5, 4);
  });

  it.each([7, 40])('starts at the β it is given (β₀ = %d): the closed form x·σ(β₀x)/1.1 of one unit, and stays c-Lipschitz', async (b0) => {
    const c = 0.5;
    const g = lipschitzMlp(key(7), 1, { hidden: [1], coeff: c, beta: b0 });
    const [w1, w2] = g.weights(g.params, g.buffers, false);
    const a = (await w1!.data())[0]!;
    const d = (await w2!.data())[0]!;
    const b1 = (await g.params.layers[0]!.b.data())[0]!;
    const b2 = (await g.params.layers[1]!.b.data())[0]!;
    const f = g.bind(g.params, g.buffers, false);
    const xs = [-0.3, -0.05, 0.02, 0.4];
    const out = await f(tensor(xs.map((x) => [x]))).data();
    xs.forEach((x, i) => {
      const h = a * x + b1;
      expect(out[i]).toBeCloseTo((d * (h / (1 + Math.exp(-b0 * h)))) / 1.1 + b2, 5);
    });
    // Sharper units, same bound: difference quotients on a fine grid stay below c.
    const grid = Array.from({ length: 401 }, (_, i) => -1 + i / 200);
    const v = await f(tensor(grid.map((x) => [x]))).data();
    let worst = 0;
    for (let i = 1; i < grid.length; i++) worst = Math.max(worst, Math.abs(v[i]! - v[i - 1]!) / (grid[i]! - grid[i - 1]!));
    expect(worst).toBeLessThanOrEqual(c * c + 1e-4);
    expect(worst).toBeGreaterThan(0.05);
  });

  it('rejects a β that is not a finite positive number', () => {
    expect(() => lipschitzMlp(key(0), 2, { beta: 0 })).toThrow(/lipschitzMlp\(beta\): received 0; expected a finite number > 0/);
    expect(() => lipschitzMlp(key(0), 2, { beta: Number.NaN })).toThrow(/received NaN/);
  });

  it('rejects c >= 1, c <= 0 and an unknown activation', () => {
    expect(() => lipschitzMlp(key(0), 2, { coeff: 1 })).toThrow(ArgumentError);
    expect(() => lipschitzMlp(key(0), 2, { coeff: 1.5 })).toThrow(/lipschitzMlp\(coeff\): received 1\.5; expected a number in \(0, 1\)/);
    expect(() => lipschitzMlp(key(0), 2, { coeff: 0 })).toThrow(ArgumentError);
    expect(() => lipschitzMlp(key(0), 2, { activation: 'relu' as LipschitzActivation })).toThrow(/activation\): received relu/);
    expect(() => lipschitzMlp(key(0), 2, { norm: 'nuclear' as 'spectral' })).toThrow(/norm\): received nuclear; expected 'spectral', 'infinity' or \{ orders/);
  });
});

describe('lipschitzMlp: forward-mode Jacobian', () => {
  // Central finite differences of g in float64 arithmetic would need a float64 g; instead compare with
  // the reverse-mode Jacobian (d vector–Jacobian products through autodiff), an independent computation.
  it.each<LipschitzActivation>(['lipSwish', 'elu', 'tanh'])('bindWithJacobian matches the reverse-mode Jacobian and g itself (%s)', async (activation) => {
    const g = lipschitzMlp(key(5), 3, { hidden: [7, 5], activation });
    // Move β off 1 so LipSwish's β enters the derivative.
    const params = activation === 'lipSwish' ? { ...g.params, beta: g.params.beta.map((b) => add(b, 0.7)) } : g.params;
    const x = mul(normal(key(6), [4, 3]), 1.5);
    const { y, jacobianT } = g.bindWithJacobian(params, g.buffers, false)(x);
    const f = g.bind(params, g.buffers, false);
    // J[s][i][j] = ∂g_i/∂x_j; jacobianT holds its transpose, [s, j, i].
    const ref = await jacobians(f, x);
    const a = await jacobianT.data();
    expect(jacobianT.shape).toEqual([4, 3, 3]);
    for (let s = 0; s < 4; s++) {
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(Math.abs(a[s * 9 + j * 3 + i]! - ref[s]![i]![j]!)).toBeLessThan(1e-5);
    }
    const [ya, yb] = [await y.data(), await f(x).data()];
    for (let i = 0; i < ya.length; i++) expect(ya[i]).toBeCloseTo(yb[i]!, 6);
  });
});

describe('lipschitzMlp: closed-form pullback', () => {
  // The reference is autodiff's traced pullback of g (the code the residual block ran before):
  // an independent computation of the same derivative, rounded differently. Measured: pullbacks
  // within 4e-8 relative (LipSwish; bit for bit with ELU and tanh), the series within 1e-7 and its
  // gradients within 4.4e-7 of the largest entry.
  const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let scale = 0, diff = 0;
    for (let i = 0; i < a.length; i++) { scale = Math.max(scale, Math.abs(b[i]!)); diff = Math.max(diff, Math.abs(a[i]! - b[i]!)); }
    // Exact zeros on both sides (the last bias does not enter a pullback) count as equal.
    return scale === 0 ? diff : diff / scale;
  };

  it.each<LipschitzActivation>(['lipSwish', 'elu', 'tanh'])('bindWithVjp gives g bit for bit and the traced pullback, and the gradient of a pullback series, to 1e-6 (%s)', async (activation) => {
    const g = lipschitzMlp(key(7), 3, { hidden: [9, 6], activation });
    const params = activation === 'lipSwish' ? { ...g.params, beta: g.params.beta.map((b) => add(b, 0.7)) } : g.params;
    const x = mul(normal(key(8), [5, 3]), 1.5);
    const v = normal(key(9), [5, 3]);
    const traced = (p: LipschitzMlpParams, h: Tensor) => vjp(g.bind(p, g.buffers, true), h);
    const closed = (p: LipschitzMlpParams, h: Tensor) => g.bindWithVjp(p, g.buffers, true)(h);
    const [a, b] = [closed(params, x), traced(params, x)];
    expect(Array.from(await a.out.data())).toEqual(Array.from(await b.out.data()));
    expect(maxRel(await a.pullback(v).data(), await b.pullback(v).data())).toBeLessThan(1e-6);
    // Three terms of vᵀJᵏv, as the log-det series takes them, differentiated in the parameters and x.
    const series = (lin: typeof closed) => (q: { p: LipschitzMlpParams; x: Tensor }) => {
      const { pullback } = lin(q.p, q.x);
      let c = v, total: Tensor | null = null;
      for (let k = 1; k <= 3; k++) {
        c = pullback(c);
        const term = mul(sum(mul(c, v)), (k % 2 === 1 ? 1 : -1) / k);
        total = total === null ? term : add(total, term);
      }
      return total!;
    };
    const [la, ga] = valueAndGrad(series(closed))({ p: params, x });
    const [lb, gb] = valueAndGrad(series(traced))({ p: params, x });
    expect(Math.abs(la.item() - lb.item())).toBeLessThan(1e-6 * Math.abs(lb.item()) + 1e-7);
    const flat = (t: typeof ga) => [...t.p.layers.flatMap((l) => [l.w, l.b]), ...t.p.beta, t.x];
    const [fa, fb] = [flat(ga), flat(gb)];
    for (let i = 0; i < fa.length; i++) expect(maxRel(await fa[i]!.data(), await fb[i]!.data()), `gradient ${i}`).toBeLessThan(1e-5);
  });
});
