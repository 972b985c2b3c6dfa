import { describe, expect, test } from 'vitest';
import { grad, hvp, jvp, vjp } from '../autodiff.js';
import { keep, tidy } from '../engine.js';
import { add } from '../ops/add.js';
import { cumsum } from '../ops/cumsum.js';
import { matmul } from '../ops/matmul.js';
import { matmulBias } from '../ops/matmul-bias.js';
import { mul } from '../ops/mul.js';
import { sin } from '../ops/sin.js';
import { sum } from '../ops/sum.js';
import { takeAlongAxis } from '../ops/take-along-axis.js';
import { tanh } from '../ops/tanh.js';
import { tensor } from '../creation.js';
import { logsumexp } from '../math/reductions.js';
import type { Tensor } from '../tensor.js';
import { finiteDiffGrad } from './finite-diff.js';
import { expectCloseData, randomRef, readRef, rng, toTensor } from './harness.js';
import { type Ref, matmul as refMatmul } from './reference.js';

/**
 * Second derivatives pass through two float32 backward sweeps: errors of a
 * few ulp of O(10) intermediates, ~1e-5; finite differences in float64 add
 * ~1e-7. 1e-4 absolute and relative.
 */
const TOL = 1e-4;

/** Runs f in a scope, keeps what it returns, reads it, disposes it. */
async function evaluate(f: () => Tensor): Promise<Float64Array> {
  const t = tidy(() => keep(f()));
  const r = await readRef(t);
  t.dispose();
  return r.data;
}

export function describeSecondOrder(): void {
  describe('second order', () => {
    const next = rng(20240611);
    const n = 4;
    const A = randomRef(next, [n, n]);
    const x = randomRef(next, [n, 1]);
    const v = randomRef(next, [n, 1]);

    test('hvp of the quadratic form xᵀAx is (A + Aᵀ)v', async () => {
      const [tA, tx, tv] = [toTensor(A), toTensor(x), toTensor(v)];
      const got = await evaluate(() => hvp((y: Tensor) => sum(mul(y, matmul(tA, y))), tx, tv));
      const expected = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expected[i]! += (A.data[i * n + j]! + A.data[j * n + i]!) * v.data[j]!;
      expectCloseData(got, expected, TOL, TOL, 'H v');
      [tA, tx, tv].forEach((t) => t.dispose());
    });

    test('hvp of Σ x³ is 6 x ∘ v', async () => {
      const [tx, tv] = [toTensor(x), toTensor(v)];
      const got = await evaluate(() => hvp((y: Tensor) => sum(mul(mul(y, y), y)), tx, tv));
      expectCloseData(got, x.data.map((xi, i) => 6 * xi * v.data[i]!), TOL, TOL, 'H v');
      [tx, tv].forEach((t) => t.dispose());
    });

    test('hvp of logsumexp is (diag(p) − ppᵀ)v with p = softmax(x)', async () => {
      const [tx, tv] = [toTensor(x), toTensor(v)];
      const got = await evaluate(() => hvp((y: Tensor) => logsumexp(y), tx, tv));
      const e = x.data.map(Math.exp);
      const z = e.reduce((a, b) => a + b, 0);
      const p = e.map((ei) => ei / z);
      const pv = p.reduce((s, pi, i) => s + pi * v.data[i]!, 0);
      expectCloseData(got, p.map((pi, i) => pi * v.data[i]! - pi * pv), TOL, TOL, 'H v');
      [tx, tv].forEach((t) => t.dispose());
    });

    test('hvp over a tree {a, b} of f = Σ a ∘ b²: H = [[0, 2 diag b], [2 diag b, 2 diag a]]', async () => {
      const a = randomRef(next, [3]);
      const b = randomRef(next, [3]);
      const va = randomRef(next, [3]);
      const vb = randomRef(next, [3]);
      const ts = [a, b, va, vb].map((r) => toTensor(r));
      const out = tidy(() => {
        const h = hvp((t: { a: Tensor; b: Tensor }) => sum(mul(t.a, mul(t.b, t.b))), { a: ts[0]!, b: ts[1]! }, { a: ts[2]!, b: ts[3]! });
        return [keep(h.a), keep(h.b)];
      });
      const [ha, hb] = [await readRef(out[0]!), await readRef(out[1]!)];
      expectCloseData(ha.data, b.data.map((bi, i) => 2 * bi * vb.data[i]!), TOL, TOL, '(H v)_a');
      expectCloseData(hb.data, b.data.map((bi, i) => 2 * bi * va.data[i]! + 2 * a.data[i]! * vb.data[i]!), TOL, TOL, '(H v)_b');
      [...ts, ...out].forEach((t) => t.dispose());
    });

    test('a pullback called twice in one scope is linear and unchanged: f = x ∘ x gives 2x ∘ ct', async () => {
      const tx = toTensor(x);
      const c1 = randomRef(next, [n, 1]);
      const c2 = randomRef(next, [n, 1]);
      const [g1, g2] = tidy(() => {
        const { pullback } = vjp((y: Tensor) => mul(y, y), tx);
        return [keep(pullback(toTensor(c1))), keep(pullback(toTensor(c2)))];
      });
      expectCloseData((await readRef(g1!)).data, x.data.map((xi, i) => 2 * xi * c1.data[i]!), TOL, TOL, 'first pullback');
      expectCloseData((await readRef(g2!)).data, x.data.map((xi, i) => 2 * xi * c2.data[i]!), TOL, TOL, 'second pullback');
      [tx, g1!, g2!].forEach((t) => t.dispose());
    });

    test('grad of grad of Σ x⁴ is 12x², and a third derivative of Σ sin x is −cos x', async () => {
      const tx = toTensor(x);
      const second = await evaluate(() => grad((y: Tensor) => sum(grad((z: Tensor) => sum(mul(mul(z, z), mul(z, z))))(y)))(tx));
      expectCloseData(second, x.data.map((xi) => 12 * xi * xi), TOL, TOL, 'd²/dx²');
      const d1 = (y: Tensor): Tensor => grad((z: Tensor) => sum(sin(z)))(y);
      const d2 = (y: Tensor): Tensor => grad((z: Tensor) => sum(d1(z)))(y);
      const third = await evaluate(() => grad((y: Tensor) => sum(d2(y)))(tx));
      expectCloseData(third, x.data.map((xi) => -Math.cos(xi)), TOL, TOL, 'd³/dx³');
      tx.dispose();
    });

    test('jvp of tanh(A x) ∘ x matches a central difference along v', async () => {
      const [tA, tx, tv] = [toTensor(A), toTensor(x), toTensor(v)];
      const got = await evaluate(() => jvp((y: Tensor) => mul(tanh(matmul(tA, y)), y), tx, tv)[1]);
      const f = (y: Float64Array): Float64Array => {
        const ay = refMatmul(A, { shape: [n, 1], data: y }).data;
        return ay.map((s, i) => Math.tanh(s) * y[i]!);
      };
      const h = 1e-3;
      const plus = f(x.data.map((xi, i) => xi + h * v.data[i]!));
      const minus = f(x.data.map((xi, i) => xi - h * v.data[i]!));
      expectCloseData(got, plus.map((p, i) => (p - minus[i]!) / (2 * h)), TOL, TOL, 'J v');
      [tA, tx, tv].forEach((t) => t.dispose());
    });

    test('residual-flow pattern: ∇_W ⟨u, vᵀJ_g(x)⟩ for g(x) = tanh(Wx + b), vᵀJ from vjp', async () => {
      const b = randomRef(next, [n, 1]);
      const u = randomRef(next, [n, 1]);
      const [tW, tb, tx, tu, tv] = [A, b, x, u, v].map((r) => toTensor(r));
      const got = await evaluate(() =>
        grad((W: Tensor) => {
          const { pullback } = vjp((y: Tensor) => tanh(add(matmul(W, y), tb!)), tx!);
          return sum(mul(tu!, pullback(tv!)));
        })(tW!),
      );
      // vᵀJ = Wᵀ (v ∘ (1 − tanh²(Wx + b))), so ⟨u, vᵀJ⟩ = Σᵢⱼ Wᵢⱼ uⱼ vᵢ (1 − tanh²(Wx + b)ᵢ).
      const L = (W: Float64Array): number => {
        const pre = refMatmul({ shape: [n, n], data: W }, x).data.map((s, i) => s + b.data[i]!);
        let s = 0;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += W[i * n + j]! * u.data[j]! * v.data[i]! * (1 - Math.tanh(pre[i]!) ** 2);
        return s;
      };
      expectCloseData(got, finiteDiffGrad(L, A.data), TOL, TOL, '∇_W');
      [tW, tb, tx, tu, tv].forEach((t) => t!.dispose());
    });

    test('hvp of Σ tanh(X Wᵀ + b)² through matmulBias matches finite differences and the unfused composition', async () => {
      // ∂f/∂pre = D = 2 t ∘ (1 − t²), t = tanh(X Wᵀ + b); ∇W = Dᵀ X, ∇b = Σ_rows D; differenced along (vW, vb).
      const [rows, inF, outF] = [3, 4, 2];
      const [X, W, b, vW, vb] = [[rows, inF], [outF, inF], [outF], [outF, inF], [outF]].map((sh) => randomRef(next, sh));
      const [tX, tW, tb, tvW, tvb] = [X, W, b, vW, vb].map((r) => toTensor(r!));
      const f = (fused: boolean) => (p: { w: Tensor; b: Tensor }): Tensor => {
        const pre = fused ? matmulBias(tX!, p.w, p.b, { transposeB: true }) : add(matmul(tX!, p.w, { transposeB: true }), p.b);
        return sum(mul(tanh(pre), tanh(pre)));
      };
      const hv = (fused: boolean) => tidy(() => {
        const r = hvp(f(fused), { w: tW!, b: tb! }, { w: tvW!, b: tvb! });
        return [keep(r.w), keep(r.b)];
      });
      const [fw, fb] = hv(true), [uw, ub] = hv(false);
      const gradF = (w: Float64Array, bb: Float64Array): Float64Array => {
        const pre = refMatmul(X!, { shape: [outF, inF], data: w }, false, true).data.map((s, i) => s + bb[i % outF]!);
        const D: Ref = { shape: [rows, outF], data: pre.map((s) => 2 * Math.tanh(s) * (1 - Math.tanh(s) ** 2)) };
        const gb = new Float64Array(outF);
        D.data.forEach((d, i) => { gb[i % outF]! += d; });
        return Float64Array.from([...refMatmul(D, X!, true, false).data, ...gb]);
      };
      const h = 1e-3;
      const plus = gradF(W!.data.map((w, i) => w + h * vW!.data[i]!), b!.data.map((c, i) => c + h * vb!.data[i]!));
      const minus = gradF(W!.data.map((w, i) => w - h * vW!.data[i]!), b!.data.map((c, i) => c - h * vb!.data[i]!));
      const fd = plus.map((p, i) => (p - minus[i]!) / (2 * h));
      const got = Float64Array.from([...(await readRef(fw!)).data, ...(await readRef(fb!)).data]);
      const unfused = Float64Array.from([...(await readRef(uw!)).data, ...(await readRef(ub!)).data]);
      expectCloseData(got, fd, TOL, TOL, 'H v (fused)');
      expectCloseData(got, unfused, TOL, TOL, 'H v (fused vs unfused)');
      [tX, tW, tb, tvW, tvb, fw, fb, uw, ub].forEach((t) => t!.dispose());
    });

    test('hvp with a random direction matches finite differences of the gradient in float64', async () => {
      // f(x) = Σ tanh(Ax)²: ∇f = 2 Aᵀ(tanh(Ax) ∘ (1 − tanh²(Ax))), differenced along v.
      const [tA, tx, tv] = [toTensor(A), toTensor(x), toTensor(v)];
      const got = await evaluate(() => hvp((y: Tensor) => sum(mul(tanh(matmul(tA, y)), tanh(matmul(tA, y)))), tx, tv));
      const gradF = (y: Float64Array): Float64Array => {
        const t = refMatmul(A, { shape: [n, 1], data: y }).data.map(Math.tanh);
        const w: Ref = { shape: [n, 1], data: t.map((ti) => 2 * ti * (1 - ti * ti)) };
        return refMatmul(A, w, true).data;
      };
      const h = 1e-3;
      const plus = gradF(x.data.map((xi, i) => xi + h * v.data[i]!));
      const minus = gradF(x.data.map((xi, i) => xi - h * v.data[i]!));
      expectCloseData(got, plus.map((p, i) => (p - minus[i]!) / (2 * h)), TOL, TOL, 'H v');
      expect(got.length).toBe(n);
      [tA, tx, tv].forEach((t) => t.dispose());
    });

    test('hvp through cumsum and takeAlongAxis: f = Σ u³, u = S L x per row, Hv = Lᵀ Sᵀ (6u ∘ S L v)', async () => {
      // Rows of 4; L is the running sum along a row, S picks columns [3, 0, 3, 1] (repeats included).
      const [rows, cols, pick] = [2, 4, [3, 0, 3, 1]];
      const xr = randomRef(next, [rows, cols]);
      const vr = randomRef(next, [rows, cols]);
      const [tx, tv] = [toTensor(xr), toTensor(vr)];
      const idx = tensor(Int32Array.from([...pick, ...pick]), [rows, pick.length], 'int32');
      const got = await evaluate(() => hvp((y: Tensor) => sum(mul(mul(takeAlongAxis(cumsum(y, 1), idx), takeAlongAxis(cumsum(y, 1), idx)), takeAlongAxis(cumsum(y, 1), idx))), tx, tv));
      const expected = new Float64Array(rows * cols);
      for (let r = 0; r < rows; r++) {
        const run = (d: Float64Array) => Array.from({ length: cols }, (_, k) => d.slice(r * cols, r * cols + k + 1).reduce((a, b) => a + b, 0));
        const [lx, lv] = [run(xr.data), run(vr.data)];
        const w = new Array<number>(cols).fill(0); // Sᵀ(6u ∘ S L v)
        for (const c of pick) w[c]! += 6 * lx[c]! * lv[c]!;
        for (let j = 0; j < cols; j++) for (let k = j; k < cols; k++) expected[r * cols + j]! += w[k]!; // Lᵀ: sum over k ≥ j
      }
      expectCloseData(got, expected, TOL, TOL, 'H v');
      [tx, tv, idx].forEach((t) => t.dispose());
    });
  });
}
