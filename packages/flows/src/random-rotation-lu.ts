import { threefryStream, type Key } from '@rheo/tensor';

/** W = P L (U + diag(sign · exp(logAbsDiag))) in float64, row-major d×d. */
export interface LuFactors {
  /** W[i, :] = (L U')[perm[i], :]. */
  readonly perm: number[];
  /** Unit lower triangular (diagonal 1). */
  readonly lower: Float64Array;
  /** Strictly upper triangular. */
  readonly upper: Float64Array;
  readonly sign: number[];
  readonly logAbsDiag: number[];
}

/** d×d standard normal entries from the key's stream by Box–Muller. */
function gaussianMatrix(k: Key, d: number): Float64Array {
  const words = threefryStream(k.k0, k.k1, 2 * d * d);
  const g = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) {
    const u1 = (words[2 * i]! + 0.5) / 2 ** 32;
    const u2 = (words[2 * i + 1]! + 0.5) / 2 ** 32;
    g[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  return g;
}

/**
 * Q of the QR factorisation of a Gaussian matrix, by modified Gram–Schmidt on
 * its columns. R's diagonal comes out positive, which makes Q Haar-distributed
 * on the orthogonal group (Mezzadri 2007, arXiv:math-ph/0609050).
 */
export function randomRotation(k: Key, d: number): Float64Array {
  const a = gaussianMatrix(k, d);
  const q = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const v = Array.from({ length: d }, (_, r) => a[r * d + j]!);
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let r = 0; r < d; r++) dot += q[r * d + i]! * v[r]!;
      for (let r = 0; r < d; r++) v[r] = v[r]! - dot * q[r * d + i]!;
    }
    const norm = Math.hypot(...v);
    for (let r = 0; r < d; r++) q[r * d + j] = v[r]! / norm;
  }
  return q;
}

/** LU with partial pivoting of a d×d row-major matrix, in the form Glow parametrises. */
export function luFactors(w: Float64Array, d: number): LuFactors {
  const m = Float64Array.from(w);
  const rowOf = Array.from({ length: d }, (_, i) => i);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r * d + c]!) > Math.abs(m[p * d + c]!)) p = r;
    if (p !== c) {
      for (let j = 0; j < d; j++) [m[c * d + j], m[p * d + j]] = [m[p * d + j]!, m[c * d + j]!];
      [rowOf[c], rowOf[p]] = [rowOf[p]!, rowOf[c]!];
    }
    for (let r = c + 1; r < d; r++) {
      const f = m[r * d + c]! / m[c * d + c]!;
      m[r * d + c] = f;
      for (let j = c + 1; j < d; j++) m[r * d + j] = m[r * d + j]! - f * m[c * d + j]!;
    }
  }
  const lower = new Float64Array(d * d);
  const upper = new Float64Array(d * d);
  for (let r = 0; r < d; r++) {
    lower[r * d + r] = 1;
    for (let j = 0; j < d; j++) {
      if (j < r) lower[r * d + j] = m[r * d + j]!;
      else if (j > r) upper[r * d + j] = m[r * d + j]!;
    }
  }
  const diag = Array.from({ length: d }, (_, i) => m[i * d + i]!);
  const perm = new Array<number>(d);
  rowOf.forEach((r, i) => (perm[r] = i));
  return { perm, lower, upper, sign: diag.map((s) => (s < 0 ? -1 : 1)), logAbsDiag: diag.map((s) => Math.log(Math.abs(s))) };
}
