import { abs, div, flattenTree, max, mul, sum, tidy, type TensorTree } from '@rheo/tensor';

/**
 * The global L2 norm ‖g‖ of a gradient tree, computed without overflow: with
 * m = max |g_i|, ‖g‖ = m · sqrt(Σ (g_i / m)²), the scaling of LAPACK's
 * xNRM2 (Blue 1978, "A portable Fortran program to find the Euclidean norm of
 * a vector"). In float32, Σ g_i² overflows once ‖g‖ passes about 1.8e19, while
 * every g_i is finite; this form is finite whenever every g_i is. It returns
 * NaN or ±Infinity only when some g_i is not finite. Two reductions and two
 * reads, so `fit` calls it only when the plain Σ g_i² is not finite.
 */
export async function scaledGradNorm(grads: TensorTree): Promise<number> {
  const leaves = flattenTree(grads).leaves.filter((t) => t.size > 0);
  if (leaves.length === 0) return 0;
  const peaks = tidy(() => leaves.map((t) => max(abs(t))));
  let m = 0;
  for (const p of peaks) {
    const v = (await p.data())[0]!;
    p.dispose();
    if (!Number.isFinite(v)) return v;
    m = Math.max(m, v);
  }
  if (m === 0) return 0;
  const scaled = tidy(() => leaves.map((t) => sum(mul(div(t, m), div(t, m)))));
  let s = 0;
  for (const t of scaled) {
    s += (await t.data())[0]!;
    t.dispose();
  }
  return m * Math.sqrt(s);
}

