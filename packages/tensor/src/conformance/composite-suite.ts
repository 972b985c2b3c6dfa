import { describe, expect, test } from 'vitest';
import { vjp } from '../autodiff.js';
import { keep, tidy } from '../engine.js';
import { elu, lipSwish, logSigmoid, relu, sigmoid, softplus, swish } from '../math/elementwise.js';
import { logsumexp, mean, norm, softmax, variance } from '../math/reductions.js';
import type { Tensor } from '../tensor.js';
import { finiteDiffVjp } from './finite-diff.js';
import { expectClose, expectCloseData, randomRef, readRef, rng, toTensor } from './harness.js';
import * as R from './reference.js';

/** Float64 references, each in its numerically safe textbook form. */
const sig = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
const splus = (v: number): number => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));

interface Composite {
  readonly name: string;
  readonly op: (x: Tensor) => Tensor;
  readonly reference: (x: R.Ref) => R.Ref;
}

const lastAxis = (x: R.Ref): number[] => [x.shape.length - 1];

function normRef(x: R.Ref, p: number): R.Ref {
  const a = R.map(x, Math.abs);
  if (p === Infinity) return R.reduce(a, lastAxis(x), false, 'max');
  // Scaled by the largest entry so |x|^p cannot overflow in float64 either.
  const m = R.reduce(a, lastAxis(x), true, 'max');
  const s = R.reduce(R.zip(a, m, (v, mv) => (mv === 0 ? 0 : (v / mv) ** p)), lastAxis(x), true, 'sum');
  return { shape: x.shape.slice(0, -1), data: R.zip(s, m, (sv, mv) => mv * sv ** (1 / p)).data };
}

function meanRef(x: R.Ref): R.Ref {
  const n = x.shape[x.shape.length - 1]!;
  return R.map(R.reduce(x, lastAxis(x), false, 'sum'), (v) => v / n);
}

const COMPOSITES: readonly Composite[] = [
  { name: 'sigmoid', op: sigmoid, reference: (x) => R.map(x, sig) },
  { name: 'softplus', op: softplus, reference: (x) => R.map(x, splus) },
  { name: 'logSigmoid', op: logSigmoid, reference: (x) => R.map(x, (v) => -splus(-v)) },
  { name: 'relu', op: relu, reference: (x) => R.map(x, (v) => Math.max(v, 0)) },
  { name: 'elu', op: (x) => elu(x), reference: (x) => R.map(x, (v) => (v > 0 ? v : Math.expm1(v))) },
  { name: 'swish', op: (x) => swish(x), reference: (x) => R.map(x, (v) => v * sig(v)) },
  { name: 'lipSwish', op: (x) => lipSwish(x), reference: (x) => R.map(x, (v) => (v * sig(v)) / 1.1) },
  { name: 'logsumexp', op: (x) => logsumexp(x, -1), reference: (x) => R.logsumexp(x, lastAxis(x), false) },
  {
    name: 'softmax',
    op: (x) => softmax(x, -1),
    reference: (x) => R.zip(x, R.logsumexp(x, lastAxis(x), true), (v, l) => Math.exp(v - l)),
  },
  { name: 'mean', op: (x) => mean(x, -1), reference: meanRef },
  {
    name: 'variance',
    op: (x) => variance(x, -1),
    reference: (x) => {
      const m = meanRef(x);
      const d = R.zip(x, { shape: [...m.shape, 1], data: m.data }, (v, mv) => (v - mv) ** 2);
      return meanRef(d);
    },
  },
  ...[1, 2, 3, Infinity].map((p) => ({ name: `norm p=${p}`, op: (x: Tensor) => norm(x, p, -1), reference: (x: R.Ref) => normRef(x, p) })),
];

/** Inputs far in the tails, where naive formulas overflow or cancel. */
const EXTREME = R.ref([2, 5], [-1e4, -100, -3, 0.5, 100, 1e4, 100, -0.5, -100, 3].map(Math.fround));

/**
 * Forward: a composite chains a few float32 ops, each within a few ulp;
 * 1e-5 relative plus 1e-6 absolute (for results that underflow to float32
 * subnormals, e.g. sigmoid(−100) ≈ 3.7e-44). Gradients as for primitives.
 */
const FWD_ATOL = 1e-6;
const FWD_RTOL = 1e-5;
const GRAD_TOL = 1e-4;

export function describeComposites(): void {
  describe('composites', () => {
    test.each(COMPOSITES.map((c) => [c.name, c] as const))('%s: forward on random and extreme (±100, ±1e4) inputs is finite and accurate', async (_n, c) => {
      for (const x of [randomRef(rng(7), [3, 4], -6, 6), EXTREME]) {
        const t = toTensor(x);
        const y = c.op(t);
        const got = await readRef(y);
        y.dispose();
        t.dispose();
        expectClose(got, c.reference(x), FWD_ATOL, FWD_RTOL, c.name);
      }
    });

    test('logsumexp and softmax with infinite entries: all −∞ gives −∞, a +∞ gives +∞, −∞ entries get weight 0', async () => {
      const x = toTensor(R.ref([3, 2], [-Infinity, -Infinity, Infinity, 1, -Infinity, 0]));
      const l = logsumexp(x, -1);
      const s = toTensor(R.ref([2, 2], [-Infinity, 0, 1, 1]));
      const p = softmax(s, -1);
      expectCloseData(await l.data(), [-Infinity, Infinity, 0], 0, 0, 'logsumexp');
      expectCloseData(await p.data(), [0, 1, 0.5, 0.5], 0, 0, 'softmax');
      [x, l, s, p].forEach((t) => t.dispose());
    });

    test.each(COMPOSITES.map((c) => [c.name, c] as const))('%s: VJP against central finite differences', async (_n, c) => {
      const next = rng(11);
      const x = randomRef(next, [3, 4]);
      const ct = randomRef(next, c.reference(x).shape, -1, 1);
      const tx = toTensor(x);
      const g = tidy(() => keep(vjp(c.op, tx).pullback(toTensor(ct))));
      const got = await readRef(g);
      g.dispose();
      tx.dispose();
      expectCloseData(got.data, finiteDiffVjp(([a]) => c.reference(a!), [x], 0, ct), GRAD_TOL, GRAD_TOL, `${c.name} gradient`);
    });

    test.each(COMPOSITES.map((c) => [c.name, c] as const))('%s: VJP on extreme inputs is finite and matches finite differences', async (_n, c) => {
      const ct = randomRef(rng(13), c.reference(EXTREME).shape, -1, 1);
      const tx = toTensor(EXTREME);
      const g = tidy(() => keep(vjp(c.op, tx).pullback(toTensor(ct))));
      const got = await readRef(g);
      g.dispose();
      tx.dispose();
      expect(got.data.every(Number.isFinite), `${c.name} gradient has a non-finite entry: ${Array.from(got.data).join(', ')}`).toBe(true);
      // The relative step (1e-3·|x|) keeps the difference meaningful at |x| = 1e4,
      // where every composite here is linear or flat to float64 precision.
      expectCloseData(got.data, finiteDiffVjp(([a]) => c.reference(a!), [EXTREME], 0, ct), GRAD_TOL, GRAD_TOL, `${c.name} gradient`);
    });
  });
}
