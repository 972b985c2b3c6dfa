/**
 * C[m x n] = A[m x k] · B[k x n], all row-major and dense, written into C at
 * cOff. Four rows of C are updated per pass over a row of B (register
 * blocking), and k is walked in panels that keep B's rows in cache.
 */
export function gemm(
  A: Float32Array, aOff: number,
  B: Float32Array, bOff: number,
  C: Float32Array, cOff: number,
  m: number, n: number, k: number,
): void {
  C.fill(0, cOff, cOff + m * n);
  const KB = 128;
  for (let p0 = 0; p0 < k; p0 += KB) {
    const p1 = Math.min(k, p0 + KB);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const c0 = cOff + i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
      const a0r = aOff + i * k, a1r = a0r + k, a2r = a1r + k, a3r = a2r + k;
      for (let p = p0; p < p1; p++) {
        const a0 = A[a0r + p]!, a1 = A[a1r + p]!, a2 = A[a2r + p]!, a3 = A[a3r + p]!;
        const br = bOff + p * n;
        for (let j = 0; j < n; j++) {
          const b = B[br + j]!;
          C[c0 + j]! += a0 * b;
          C[c1 + j]! += a1 * b;
          C[c2 + j]! += a2 * b;
          C[c3 + j]! += a3 * b;
        }
      }
    }
    for (; i < m; i++) {
      const c0 = cOff + i * n;
      const a0r = aOff + i * k;
      for (let p = p0; p < p1; p++) {
        const a0 = A[a0r + p]!;
        const br = bOff + p * n;
        for (let j = 0; j < n; j++) C[c0 + j]! += a0 * B[br + j]!;
      }
    }
  }
}
