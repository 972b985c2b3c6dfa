import { tensor, tidy, vjp, type Tensor, type TensorTree } from '@rheo/tensor';
import { expect } from 'vitest';
import type { Buffers, Transform, TransformOptions } from '../transform.js';

/** log |det A| of a dense float64 matrix by LU with partial pivoting (test reference). */
export function logAbsDet(a: Float64Array, d: number): number {
  const m = Float64Array.from(a);
  let acc = 0;
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r * d + c]!) > Math.abs(m[p * d + c]!)) p = r;
    if (m[p * d + c] === 0) return -Infinity;
    if (p !== c) for (let j = 0; j < d; j++) [m[c * d + j], m[p * d + j]] = [m[p * d + j]!, m[c * d + j]!];
    const piv = m[c * d + c]!;
    acc += Math.log(Math.abs(piv));
    for (let r = c + 1; r < d; r++) {
      const f = m[r * d + c]! / piv;
      for (let j = c; j < d; j++) m[r * d + j] = m[r * d + j]! - f * m[c * d + j]!;
    }
  }
  return acc;
}

/**
 * Per-sample Jacobians of a map applied row-wise to x [n, d], by d
 * vector-Jacobian products (cotangent e_j in every row), then log |det| each.
 */
export async function bruteForceLogDet(f: (x: Tensor) => Tensor, x: Tensor): Promise<number[]> {
  const [n, d] = x.shape as [number, number];
  const rows: Float32Array[] = [];
  for (let j = 0; j < d; j++) {
    const ct = tensor(Float32Array.from({ length: n * d }, (_, i) => (i % d === j ? 1 : 0)), [n, d]);
    const g = tidy(() => vjp(f, x).pullback(ct));
    rows.push((await g.data()) as Float32Array);
    g.dispose();
    ct.dispose();
  }
  return Array.from({ length: n }, (_, s) => {
    const J = new Float64Array(d * d);
    for (let j = 0; j < d; j++) for (let i = 0; i < d; i++) J[j * d + i] = rows[j]![s * d + i]!;
    return logAbsDet(J, d);
  });
}

export interface CheckOptions {
  readonly tol?: number;
  readonly options?: TransformOptions;
}

function expectAllClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const ok = Math.abs(got[i]! - want[i]!) <= tol * (1 + Math.abs(want[i]!));
    expect(ok, `${what}[${i}]: received ${got[i]}, expected ${want[i]} (tol ${tol})`).toBe(true);
  }
}

/**
 * The property every transform must have: f⁻¹(f(x)) = x; the forward
 * log-det equals log |det| of the brute-force Jacobian; the inverse log-det
 * at f(x) is its negation; fused and plain methods agree.
 */
export async function checkTransform<P extends TensorTree, B extends Buffers>(
  t: Transform<P, B>, params: P, buffers: B, x: Tensor, check: CheckOptions = {},
): Promise<void> {
  const tol = check.tol ?? 1e-4;
  const o = check.options;
  const fwd = t.forwardAndLogDet(params, buffers, x, o);
  const back = t.inverseAndLogDet(params, buffers, fwd.out, o);
  expectAllClose(await back.out.data(), await x.data(), tol, `${t.kind}: inverse(forward(x))`);
  const brute = await bruteForceLogDet((v) => t.forwardAndLogDet(params, buffers, v, o).out, x);
  expectAllClose(await fwd.logDet.data(), brute, tol, `${t.kind}: forward log-det vs brute-force Jacobian`);
  const negated = await back.logDet.data();
  expectAllClose(Array.from(negated, (v) => -v), brute, tol, `${t.kind}: inverse log-det vs brute-force Jacobian`);
  if (t.forward) expectAllClose(await t.forward(params, buffers, x, o).data(), await fwd.out.data(), tol, `${t.kind}: forward vs fused`);
  if (t.inverse) expectAllClose(await t.inverse(params, buffers, fwd.out, o).data(), await back.out.data(), tol, `${t.kind}: inverse vs fused`);
  expect(fwd.logDet.shape, `${t.kind}: log-det shape`).toEqual([x.shape[0]]);
}
