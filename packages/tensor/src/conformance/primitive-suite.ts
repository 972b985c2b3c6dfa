import { describe, expect, test } from 'vitest';
import { vjp } from '../autodiff.js';
import { keep, tidy } from '../engine.js';
import { PRIMITIVES } from '../ops/table.js';
import type { Tensor } from '../tensor.js';
import type { InputSpec, PrimitiveCase } from './case.js';
import { ELEMENTWISE_CASES } from './elementwise-cases.js';
import { INT32_CASES } from './int32-cases.js';
import { SCAN_CASES } from './scan-cases.js';
import { finiteDiffVjp } from './finite-diff.js';
import { expectClose, expectCloseData, randomRef, readRef, rng, toTensor } from './harness.js';
import { type Ref, sizeOfShape } from './reference.js';
import { STRUCTURAL_CASES } from './structural-cases.js';

export const PRIMITIVE_CASES: readonly PrimitiveCase[] = [...ELEMENTWISE_CASES, ...STRUCTURAL_CASES, ...INT32_CASES, ...SCAN_CASES];

/** Primitives whose derivative is zero almost everywhere or undefined: forward cases only. */
const NOT_DIFFERENTIABLE = new Set(['less', 'equal', 'sign', 'floor', 'cast', 'randomUniform', 'searchsorted']);

/**
 * Forward tolerances: inputs are float32 values, so an elementwise kernel
 * may differ from the float64 reference by its final rounding (2⁻²⁴
 * relative) plus the error of the platform's exp/log/sin (a few ulp); sums
 * and products of k ≤ 24 terms of size ≤ 4 accumulate at most k ulp of the
 * partial sums. 1e-5 absolute and relative covers both with margin.
 */
const FORWARD_TOL = 1e-5;

/**
 * Gradient tolerances: the VJP runs in float32 (a few ulp of O(10) values,
 * ~1e-6), the float64 central difference with h = 1e-3 has truncation error
 * h²/6·φ''' ≈ 2e-7·|φ'''|, with |φ'''| ≤ ~60 for exp on [-2, 2] and 1/x³
 * terms on [0.5, 2]: 2e-5 at worst. 1e-4 absolute and relative.
 */
const GRAD_TOL = 1e-4;

function draw(spec: InputSpec, next: () => number): Ref {
  const n = sizeOfShape(spec.shape);
  if (spec.values) return { shape: [...spec.shape], data: Float64Array.from(spec.values, (v) => Math.fround(v)) };
  switch (spec.kind) {
    case 'positive':
      return randomRef(next, spec.shape, 0.5, 2);
    case 'small':
      return { shape: [...spec.shape], data: Float64Array.from({ length: n }, () => Math.floor(next() * 3) - 1) };
    case 'mask':
      return { shape: [...spec.shape], data: Float64Array.from({ length: n }, () => (next() < 0.5 ? 0 : 1)) };
    case 'index':
      return { shape: [...spec.shape], data: Float64Array.from({ length: n }, () => Math.floor(next() * (spec.max ?? 1))) };
    default:
      return randomRef(next, spec.shape);
  }
}

function seedOf(label: string): number {
  let h = 2166136261;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 16777619);
  return h >>> 0;
}

function tensorsOf(c: PrimitiveCase, refs: readonly Ref[]): Tensor[] {
  return refs.map((r, i) => toTensor(r, c.inputs[i]!.kind === 'index' ? 'int32' : 'float32'));
}

async function checkForward(c: PrimitiveCase): Promise<void> {
  const refs = c.inputs.map((s) => draw(s, rng(seedOf(c.label))));
  const inputs = tensorsOf(c, refs);
  const y = c.op(inputs);
  expect(y.dtype).toBe(c.dtype ?? 'float32');
  const got = await readRef(y);
  y.dispose();
  inputs.forEach((t) => t.dispose());
  expectClose(got, c.reference(refs), c.atol ?? FORWARD_TOL, c.rtol ?? FORWARD_TOL, c.label);
}

async function checkGradient(c: PrimitiveCase): Promise<void> {
  const next = rng(seedOf(c.label) ^ 0x9e3779b9);
  const refs = c.inputs.map((s) => draw(s, next));
  const ctShape = c.reference(refs).shape;
  const ct = randomRef(next, ctShape, -1, 1);
  const wrt = c.wrt ?? [];
  const inputs = tensorsOf(c, refs);
  const grads = tidy(() => {
    const f = (ws: Tensor[]): Tensor => c.op(inputs.map((t, i) => (wrt.includes(i) ? ws[wrt.indexOf(i)]! : t)));
    const { pullback } = vjp(f, wrt.map((i) => inputs[i]!));
    return pullback(toTensor(ct)).map((g) => keep(g));
  });
  for (let k = 0; k < wrt.length; k++) {
    const i = wrt[k]!;
    const got = await readRef(grads[k]!);
    const expected = finiteDiffVjp(c.reference, refs, i, ct);
    expect(got.shape, `${c.label}: gradient shape of input ${i}`).toEqual([...refs[i]!.shape]);
    expectCloseData(got.data, expected, GRAD_TOL, GRAD_TOL, `${c.label}: d/dx${i}`);
  }
  grads.forEach((g) => g.dispose());
  inputs.forEach((t) => t.dispose());
}

export function describePrimitives(): void {
  describe('primitives', () => {
    test('every primitive in PRIMITIVES has a forward case, and a gradient case unless not differentiable', () => {
      const missing = PRIMITIVES.filter((p) => !PRIMITIVE_CASES.some((c) => c.primitive === p.name)).map((p) => p.name);
      expect(missing, 'primitives with no forward case').toEqual([]);
      const noGrad = PRIMITIVES.filter((p) => !NOT_DIFFERENTIABLE.has(p.name) && !PRIMITIVE_CASES.some((c) => c.primitive === p.name && (c.wrt?.length ?? 0) > 0));
      expect(noGrad.map((p) => p.name), 'differentiable primitives with no gradient case').toEqual([]);
      const unknown = PRIMITIVE_CASES.filter((c) => !PRIMITIVES.some((p) => p.name === c.primitive)).map((c) => c.primitive);
      expect(unknown, 'cases naming no primitive').toEqual([]);
    });

    describe('forward against the float64 reference', () => {
      test.each(PRIMITIVE_CASES.map((c) => [c.label, c] as const))('%s', async (_label, c) => checkForward(c));
    });

    describe('VJP against central finite differences', () => {
      const diff = PRIMITIVE_CASES.filter((c) => (c.wrt?.length ?? 0) > 0);
      test.each(diff.map((c) => [c.label, c] as const))('%s', async (_label, c) => checkGradient(c));
    });
  });
}
