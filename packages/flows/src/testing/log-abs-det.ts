import { tensor, tidy, vjp, type Tensor } from '@rheo/tensor';

/** log |det A| of a dense row-major d×d matrix, in float64, by LU with partial pivoting (a test reference). */
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
 * log |det ∂f/∂x| per row of x [n, d] for a row-wise map f, from the dense
 * Jacobians: d vector-Jacobian products (cotangent e_j in every row), then
 * `logAbsDet` of each d×d Jacobian in float64. Independent of the
 * transform's own log-det.
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
