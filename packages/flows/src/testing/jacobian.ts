import { tensor, tidy, vjp, type Tensor } from '@rheo/tensor';

/**
 * Per-sample Jacobians J[s][i][j] = ∂out_i/∂in_j of a row-wise map on x [n, d]
 * (out [n, m]), by m vector-Jacobian products with cotangent e_i in every row.
 */
export async function jacobians(f: (x: Tensor) => Tensor, x: Tensor, m?: number): Promise<number[][][]> {
  const [n, d] = x.shape as [number, number];
  const outDim = m ?? d;
  const rows: Float32Array[] = [];
  for (let i = 0; i < outDim; i++) {
    const ct = tensor(Float32Array.from({ length: n * outDim }, (_, k) => (k % outDim === i ? 1 : 0)), [n, outDim]);
    const g = tidy(() => vjp(f, x).pullback(ct));
    rows.push((await g.data()) as Float32Array);
    g.dispose();
    ct.dispose();
  }
  return Array.from({ length: n }, (_, s) => rows.map((r) => Array.from(r.subarray(s * d, (s + 1) * d))));
}
