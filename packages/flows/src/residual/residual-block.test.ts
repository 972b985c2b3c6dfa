import { adamInit, adamStep } from '@rheo/nn';
import { add, ArgumentError, fold, key, mean, mul, normal, sum, tensor, tidy, valueAndGrad, vjp, type Tensor } from '@rheo/tensor';
import { standardNormal } from '../base.js';
import { flow, logProb, updateBuffers } from '../flow.js';
import { describe, expect, it } from 'vitest';
import { logAbsDet } from '../testing/index.js';
import { ConvergenceError } from './fixed-point.js';
import type { LipschitzMlpBuffers, LipschitzMlpParams } from './lipschitz-mlp.js';
import { residualBlock, type ResidualBlock } from './residual-block.js';

/** y = x + g(x) in float64, from the block's normalised weights: an independent second implementation. */
async function float64Block(block: ResidualBlock, p: LipschitzMlpParams): Promise<(x: Float64Array) => Float64Array> {
  const ws = await Promise.all(block.g.weights(p, block.buffers, false).map(async (w) => ({ w: Float64Array.from(await w.data()), out: w.shape[0]!, in: w.shape[1]! })));
  const bs = await Promise.all(p.layers.map(async (l) => Float64Array.from(await l.b.data())));
  const betas = await Promise.all(p.beta.map(async (b) => Float64Array.from(await b.data(), (r) => Math.log1p(Math.exp(r)))));
  return (x) => {
    let h = x;
    ws.forEach(({ w, out, in: inp }, l) => {
      const next = new Float64Array(out);
      for (let o = 0; o < out; o++) {
        let acc = bs[l]![o]!;
        for (let i = 0; i < inp; i++) acc += w[o * inp + i]! * h[i]!;
        next[o] = l < ws.length - 1 ? (acc / (1 + Math.exp(-betas[l]![o]! * acc))) / 1.1 : acc;
      }
      h = next;
    });
    return x.map((v, i) => v + h[i]!);
  };
}

/** log |det ∂f/∂x| by central differences, step 1e-5, in float64. */
function fdLogDet(f: (x: Float64Array) => Float64Array, x: Float64Array): number {
  const d = x.length;
  const J = new Float64Array(d * d);
  const h = 1e-5;
  for (let i = 0; i < d; i++) {
    const xp = Float64Array.from(x);
    const xm = Float64Array.from(x);
    xp[i] = xp[i]! + h;
    xm[i] = xm[i]! - h;
    const fp = f(xp);
    const fm = f(xm);
    for (let j = 0; j < d; j++) J[j * d + i] = (fp[j]! - fm[j]!) / (2 * h);
  }
  return logAbsDet(J, d);
}

/**
 * σ_max of a [2, m] or [m, 2] matrix in closed form: the larger eigenvalue of
 * its 2×2 Gram matrix [[a, b], [b, e]] is (a + e)/2 + √(((a − e)/2)² + b²).
 */
function sigmaMaxTwo(w: ArrayLike<number>, rows: number, cols: number): number {
  const at = (i: number, j: number) => (rows === 2 ? w[i * cols + j]! : w[j * cols + i]!);
  const m = rows === 2 ? cols : rows;
  let [a, b, e] = [0, 0, 0];
  for (let k = 0; k < m; k++) {
    a += at(0, k) ** 2;
    b += at(0, k) * at(1, k);
    e += at(1, k) ** 2;
  }
  return Math.sqrt((a + e) / 2 + Math.sqrt(((a - e) / 2) ** 2 + b * b));
}

/** A block whose weights are scaled up, so normalisation is active and g is as steep as c allows. */
function steep(block: ResidualBlock, s = 3): LipschitzMlpParams {
  return { layers: block.params.layers.map((l) => ({ w: mul(l.w, s), b: l.b })), beta: block.params.beta };
}

describe('residualBlock', () => {
  const d = 3;
  const block = residualBlock(key(11), d, { hidden: [16, 16], coeff: 0.9, powerIterations: { evaluation: 40 } });
  const p = steep(block);
  const x: Tensor = normal(key(12), [6, d]);

  it('forward log-det equals a float64 finite-difference log-det of an independent implementation', async () => {
    const f = await float64Block(block, p);
    const xs = await x.data();
    const { out, logDet } = block.forwardAndLogDet(p, block.buffers, x);
    const got = await logDet.data();
    const ys = await out.data();
    for (let s = 0; s < 6; s++) {
      const row = Float64Array.from(xs.subarray(s * d, (s + 1) * d));
      const y = f(row);
      for (let j = 0; j < d; j++) expect(ys[s * d + j]).toBeCloseTo(y[j]!, 5);
      expect(got[s]).toBeCloseTo(fdLogDet(f, row), 4);
    }
    // The contraction really is active: the log-dets are far from 0.
    expect(Math.max(...Array.from(got, Math.abs))).toBeGreaterThan(0.01);
  });

  it('inverts by fixed-point iteration to 1e-5', async () => {
    const tight = residualBlock(key(11), d, { hidden: [16, 16], coeff: 0.9, powerIterations: { evaluation: 40 }, inverse: { atol: 1e-7, rtol: 1e-7, maxIterations: 2000 } });
    const y = tight.forward!(p, tight.buffers, x);
    const back = await tight.inverse!(p, tight.buffers, y).data();
    const xs = await x.data();
    xs.forEach((v, i) => expect(Math.abs(back[i]! - v)).toBeLessThan(1e-5));
    const fused = tight.inverseAndLogDet(p, tight.buffers, y);
    const fwd = await tight.forwardAndLogDet(p, tight.buffers, x).logDet.data();
    (await fused.logDet.data()).forEach((v, i) => expect(v).toBeCloseTo(-fwd[i]!, 4));
  });

  it('reports non-convergence instead of returning an unconverged point', () => {
    const hasty = residualBlock(key(11), d, { hidden: [16, 16], coeff: 0.9, inverse: { atol: 1e-9, rtol: 0, maxIterations: 1 } });
    const y = hasty.forward!(p, hasty.buffers, x);
    expect(() => hasty.inverse!(p, hasty.buffers, y)).toThrow(ConvergenceError);
    expect(() => hasty.inverse!(p, hasty.buffers, y)).toThrow(/did not converge in maxIterations=1 .*atol=1e-9, rtol=0/);
  });

  it('takes a pluggable log-det rule with the (g, x, options) signature', async () => {
    const seen: number[][] = [];
    const custom = residualBlock(key(11), d, {
      hidden: [16, 16],
      logDet: (g, v) => {
        seen.push([...v.shape]);
        return sum(mul(g(v), 0), 1);
      },
    });
    const r = custom.forwardAndLogDet(custom.params, custom.buffers, x);
    expect(seen).toEqual([[6, d]]);
    expect(Array.from(await r.logDet.data())).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('gives a log-det rule g with its closed-form pullback, running g once: the traced path\'s output bit for bit, log-det and gradients to 1e-5', async () => {
    // Four terms of the power series with one fixed probe, as the Russian-roulette estimator builds them.
    // Measured: the loss equal here, gradients within 1.3e-7 of each one's largest entry.
    const probe = normal(key(21), [6, d]);
    const series = (g: (h: Tensor) => Tensor, v: Tensor): Tensor => {
      const { pullback } = vjp(g, v);
      let c = probe, total: Tensor | null = null;
      for (let k = 1; k <= 4; k++) {
        c = pullback(c);
        const term = mul(sum(mul(c, probe), 1), (k % 2 === 1 ? 1 : -1) / k);
        total = total === null ? term : add(total, term);
      }
      return total!;
    };
    // g(x) and vjp(g, x) share one forward pass: the same output tensor.
    let shared: boolean | null = null;
    const probing = residualBlock(key(11), d, { hidden: [16, 16], logDet: (g, v) => { shared = g(v) === vjp(g, v).out; return series(g, v); } });
    probing.forwardAndLogDet(probing.params, probing.buffers, x);
    expect(shared).toBe(true);
    const block2 = residualBlock(key(11), d, { hidden: [16, 16], logDet: series });
    // The previous code: out = x + g(x), and the rule given g itself, which vjp() traces.
    const traced = (q: LipschitzMlpParams, v: Tensor) => {
      const g = block2.g.bind(q, block2.buffers, false);
      return { out: add(v, g(v)), logDet: series(g, v) };
    };
    const loss = (f: (q: LipschitzMlpParams, v: Tensor) => { out: Tensor; logDet: Tensor }) => (a: { q: LipschitzMlpParams; v: Tensor }) => {
      const r = f(a.q, a.v);
      return add(sum(mul(r.out, r.out)), sum(r.logDet));
    };
    const ours = (q: LipschitzMlpParams, v: Tensor) => block2.forwardAndLogDet(q, block2.buffers, v);
    expect(Array.from(await ours(p, x).out.data())).toEqual(Array.from(await traced(p, x).out.data()));
    const [la, ga] = valueAndGrad(loss(ours))({ q: p, v: x });
    const [lb, gb] = valueAndGrad(loss(traced))({ q: p, v: x });
    expect(Math.abs(la.item() - lb.item())).toBeLessThan(1e-6 * Math.abs(lb.item()));
    const flat = (t: typeof ga) => [...t.q.layers.flatMap((l) => [l.w, l.b]), ...t.q.beta, t.v];
    const [fa, fb] = [flat(ga), flat(gb)];
    for (let i = 0; i < fa.length; i++) {
      const [a, b] = [await fa[i]!.data(), await fb[i]!.data()];
      const scale = Math.max(...Array.from(b, Math.abs));
      for (let j = 0; j < a.length; j++) expect(Math.abs(a[j]! - b[j]!), `gradient ${i}[${j}]`).toBeLessThanOrEqual(1e-5 * scale);
    }
  });

  it('differentiates the exact log-det: d/dx Σ log det matches central differences of the float64 reference', async () => {
    const f = await float64Block(block, p);
    const x1 = normal(key(13), [1, d]);
    const [, gx] = valueAndGrad((v: Tensor) => sum(block.forwardAndLogDet(p, block.buffers, v).logDet))(x1);
    const g = await gx.data();
    const xs = Float64Array.from(await x1.data());
    const h = 1e-4;
    for (let i = 0; i < d; i++) {
      const xp = Float64Array.from(xs);
      const xm = Float64Array.from(xs);
      xp[i] = xp[i]! + h;
      xm[i] = xm[i]! - h;
      expect(g[i]).toBeCloseTo((fdLogDet(f, xp) - fdLogDet(f, xm)) / (2 * h), 2);
    }
  });

  it('trains by maximum likelihood with updateBuffers between steps, and its weights are within c once the power iteration has caught up', async () => {
    const blocks = [residualBlock(key(50), 2, { hidden: [16], coeff: 0.9 }), residualBlock(key(51), 2, { hidden: [16], coeff: 0.9 })];
    const f = flow(standardNormal(2), blocks);
    // Data: N((1.5, −1), diag(0.25, 0.25)); the flow starts near the identity map on N(0, I).
    const data = add(mul(normal(key(52), [128, 2]), 0.5), tensor([1.5, -1]));
    const nll = (p: typeof f.params, b: typeof f.buffers) => mul(mean(logProb(f, p, b, data)), -1);
    let params = f.params;
    let buffers = f.buffers;
    let state = adamInit(params);
    const before = (await nll(params, buffers).data())[0]!;
    for (let step = 0; step < 40; step++) {
      const [p2, s2] = tidy(() => {
        const [, grads] = valueAndGrad((p: typeof f.params) => nll(p, buffers))(params);
        return adamStep(params, grads, state, { lr: 0.02 });
      });
      params = p2;
      state = s2;
      buffers = updateBuffers(f, params, buffers);
    }
    const after = (await nll(params, buffers).data())[0]!;
    expect(after).toBeLessThan(before - 0.5);
    // One stored power step per optimiser step lags behind moving weights; more steps close the gap.
    for (let i = 0; i < 100; i++) buffers = updateBuffers(f, params, buffers);
    for (let i = 0; i < 2; i++) {
      for (const w of blocks[i]!.g.weights(params[i] as LipschitzMlpParams, buffers[i] as LipschitzMlpBuffers, false)) {
        expect(sigmaMaxTwo(await w.data(), w.shape[0]!, w.shape[1]!)).toBeLessThanOrEqual(0.9 + 1e-3);
      }
    }
  });

  it('rejects c >= 1 and inputs of the wrong width', () => {
    expect(() => residualBlock(key(0), 2, { coeff: 1 })).toThrow(/coeff\): received 1; expected a number in \(0, 1\)/);
    expect(() => residualBlock(key(0), 2, { coeff: 2 })).toThrow(ArgumentError);
    const b2 = residualBlock(key(0), 2);
    expect(() => b2.forwardAndLogDet(b2.params, b2.buffers, tensor([[1, 2, 3]]))).toThrow(/received shape \[1, 3\]; expected \[n, 2\]/);
  });
});
