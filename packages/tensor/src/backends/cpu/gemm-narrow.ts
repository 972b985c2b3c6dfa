import { type Arena, arenaOfArray, blockBytes, outputArray, recycle } from './buffer-pool.js';
import type { GemmAddRowFn } from './wasm-gemm-strided.js';
import { registerSimdFunction } from './wasm-elementwise.js';
import { I32, op, V128 } from './wasm-emitter.js';

/**
 * Products with a narrow side — k or n up to 8, or m up to 4, as the layers
 * of 2- to 8-dimensional flows make ([256, 2]·[2, 32], [256, 32]·[32, 2],
 * [256, 2]ᵀ·[256, 32]) — where the blocked kernel's packing and edge tiles cost
 * several times the arithmetic. Each row of C is built from 16-column chunks:
 * for p = 0…k−1, A[i, p] broadcast times row p of B, added to four vector
 * accumulators; so every entry is the in-order float32 sum from zero that the
 * blocked kernel computes, bit for bit. A is read in place with any strides (a
 * transposed A included); B must be row-major (a transposed B is copied).
 */

// gemm_narrow(a, ars, acs, b, nb, c, ldc, m, nv, k): byte offsets and strides; nv vectors per row of C.
const [A, ARS, ACS, B, NB, C, LDC, M, NV, K] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const [AROW, CROW, J, JB, AP, BP, P] = [10, 11, 12, 13, 14, 15, 16];
const [AV, ACC] = [17, 18];

function body(): number[] {
  const code: number[] = [];
  const put = (...parts: readonly (readonly number[])[]) => { for (const x of parts) code.push(...x); };
  const bump = (local: number, by: readonly number[]) => put(op.localGet(local), by, op.i32Add, op.localSet(local));
  // One chunk of `w` vectors at column byte offset JB of the current row.
  const chunk = (w: number) => {
    for (let v = 0; v < w; v++) put(op.v128Zero, op.localSet(ACC + v));
    put(op.localGet(AROW), op.localSet(AP), op.localGet(B), op.localGet(JB), op.i32Add, op.localSet(BP), op.localGet(K), op.localSet(P));
    put(op.loop);
    put(op.localGet(AP), op.v128Load32Splat(0), op.localSet(AV));
    for (let v = 0; v < w; v++) {
      put(op.localGet(ACC + v), op.localGet(AV), op.localGet(BP), op.v128Load(16 * v), op.f32x4Mul, op.f32x4Add, op.localSet(ACC + v));
    }
    bump(AP, op.localGet(ACS));
    bump(BP, op.localGet(NB));
    put(op.localGet(P), op.i32Const(1), op.i32Sub, op.localTee(P), op.brIf(0), op.end);
    for (let v = 0; v < w; v++) put(op.localGet(CROW), op.localGet(JB), op.i32Add, op.localGet(ACC + v), op.v128Store(16 * v));
    bump(JB, op.i32Const(16 * w));
    put(op.localGet(J), op.i32Const(w), op.i32Sub, op.localSet(J));
  };
  put(op.localGet(A), op.localSet(AROW), op.localGet(C), op.localSet(CROW));
  put(op.loop); // rows
  put(op.i32Const(0), op.localSet(JB), op.localGet(NV), op.localSet(J));
  // Chunks of four vectors while four remain, then one vector at a time.
  put(op.block, op.loop, op.localGet(J), op.i32Const(4), op.i32LtU, op.brIf(1));
  chunk(4);
  put(op.br(0), op.end, op.end);
  put(op.block, op.loop, op.localGet(J), op.i32Eqz, op.brIf(1));
  chunk(1);
  put(op.br(0), op.end, op.end);
  bump(AROW, op.localGet(ARS));
  bump(CROW, op.localGet(LDC));
  put(op.localGet(M), op.i32Const(1), op.i32Sub, op.localTee(M), op.brIf(0), op.end);
  return code;
}

/**
 * Four rows at a time for outputs of one or two vectors per row (n ≤ 8): each
 * row's sum is a chain of dependent adds, so four rows keep four (or eight)
 * chains in flight where one row would wait on its own. gemm_narrow_r4_w(a,
 * ars, acs, b, nb, c, ldc, groups, k), `groups` blocks of four rows.
 */
function rows4(w: number): number[] {
  const [a, ars, acs, b, nb, c, ldc, groups, k] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [aRow, cRow, ap, bp, p, ars2, ars3, ldc2, ldc3] = [9, 10, 11, 12, 13, 14, 15, 16, 17];
  const av = 18, bv = 19, acc = 19 + w; // v128 locals: av, bv[0..w), acc[4·w]
  const code: number[] = [];
  const put = (...parts: readonly (readonly number[])[]) => { for (const x of parts) code.push(...x); };
  const bump = (local: number, by: readonly number[]) => put(op.localGet(local), by, op.i32Add, op.localSet(local));
  const times = (local: number, f: number, into: number) => put(op.localGet(local), op.i32Const(f), op.i32Mul, op.localSet(into));
  times(ars, 2, ars2); times(ars, 3, ars3); times(ldc, 2, ldc2); times(ldc, 3, ldc3);
  put(op.localGet(a), op.localSet(aRow), op.localGet(c), op.localSet(cRow));
  put(op.loop);
  for (let i = 0; i < 4 * w; i++) put(op.v128Zero, op.localSet(acc + i));
  put(op.localGet(aRow), op.localSet(ap), op.localGet(b), op.localSet(bp), op.localGet(k), op.localSet(p));
  put(op.loop);
  for (let v = 0; v < w; v++) put(op.localGet(bp), op.v128Load(16 * v), op.localSet(bv + v));
  const rowOffset = [null, ars, ars2, ars3];
  for (let r = 0; r < 4; r++) {
    put(op.localGet(ap));
    if (r > 0) put(op.localGet(rowOffset[r]!), op.i32Add);
    put(op.v128Load32Splat(0), op.localSet(av));
    for (let v = 0; v < w; v++) put(op.localGet(acc + r * w + v), op.localGet(av), op.localGet(bv + v), op.f32x4Mul, op.f32x4Add, op.localSet(acc + r * w + v));
  }
  bump(ap, op.localGet(acs));
  bump(bp, op.localGet(nb));
  put(op.localGet(p), op.i32Const(1), op.i32Sub, op.localTee(p), op.brIf(0), op.end);
  // Rows in order: a row's partial last vector lands on the next row's start, which that row then overwrites.
  const cOffset = [null, ldc, ldc2, ldc3];
  for (let r = 0; r < 4; r++) {
    for (let v = 0; v < w; v++) {
      put(op.localGet(cRow));
      if (r > 0) put(op.localGet(cOffset[r]!), op.i32Add);
      put(op.localGet(acc + r * w + v), op.v128Store(16 * v));
    }
  }
  bump(aRow, [...op.localGet(ars), ...op.i32Const(4), ...op.i32Mul]);
  bump(cRow, [...op.localGet(ldc), ...op.i32Const(4), ...op.i32Mul]);
  put(op.localGet(groups), op.i32Const(1), op.i32Sub, op.localTee(groups), op.brIf(0), op.end);
  return code;
}

registerSimdFunction({ name: 'gemm_narrow', params: new Array<number>(10).fill(I32), locals: [[7, I32], [5, V128]], body: body() });
for (const w of [1, 2]) {
  registerSimdFunction({ name: `gemm_narrow_r4_${w}`, params: new Array<number>(9).fill(I32), locals: [[9, I32], [1 + w + 4 * w, V128]], body: rows4(w) });
}
type Rows4Fn = (a: number, ars: number, acs: number, b: number, nb: number, c: number, ldc: number, groups: number, k: number) => void;

type NarrowFn = (a: number, ars: number, acs: number, b: number, nb: number, c: number, ldc: number, m: number, nv: number, k: number) => void;

/** C[cOff…] += the bias row, as float32 adds: the blocked kernel's bias pass where the bias can be in C's arena. */
function addBias(C: Float32Array, cOff: number, m: number, n: number, bias: Float32Array, arena: Arena): void {
  let row = bias;
  let copy: Float32Array | null = null;
  if (arenaOfArray(bias) !== arena && (copy = scratch(n, C)) !== null) {
    copy.set(bias);
    row = copy;
  }
  const pass = arena.exports['gemm_add_row'] as GemmAddRowFn | undefined;
  if (pass !== undefined && arenaOfArray(row) === arena) pass(C.byteOffset + cOff * 4, row.byteOffset, m, n, 4 * n);
  // Float64 sum of two float32 values, rounded: the float32 sum's bits (what add gives).
  else for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) C[cOff + i * n + j] = Math.fround(C[cOff + i * n + j]! + bias[j]!);
  if (copy !== null) recycle(copy);
}

/** A pooled block of at least n floats in C's arena, or null. */
function scratch(n: number, C: Float32Array): Float32Array | null {
  const s = outputArray('float32', Math.max(n, 16), C) as Float32Array;
  if (arenaOfArray(s) === arenaOfArray(C)) return s;
  recycle(s);
  return null;
}

/** Whether op(A)·op(B) of these sizes takes the narrow kernel. */
export function isNarrowProduct(m: number, n: number, k: number): boolean {
  return k > 0 && m > 0 && n > 0 && (k <= 8 || n <= 8 || m <= 4) && m * n * k <= 1 << 18;
}

/**
 * C[cOff…] = op(A)·op(B) (+ bias row) by the narrow kernel, or false, touching
 * nothing, where an operand is outside C's pool arena or C has no slack for a
 * last partial vector. A is [m, k] row-major, or [k, m] with `transA`; B is
 * [k, n], or [n, k] with `transB`.
 */
export function narrowGemm(
  A: Float32Array, aOff: number, transA: boolean, B: Float32Array, bOff: number, transB: boolean,
  C: Float32Array, cOff: number, m: number, n: number, k: number, bias: Float32Array | null,
): boolean {
  const arena = arenaOfArray(C);
  const fn = arena?.exports['gemm_narrow'] as NarrowFn | undefined;
  if (arena === undefined || fn === undefined) return false;
  const nv = Math.ceil(n / 4);
  // The last row's last vector runs nv·4 − n floats past C's and B's ends: only into their blocks' slack.
  const cEnd = (cOff + (m - 1) * n + 4 * nv) * 4;
  if (cEnd > blockBytes(C)) return false;
  // Operands outside C's arena (small ones are plain arrays) and a transposed B are copied into it.
  let left = A, leftOff = aOff, scratchA: Float32Array | null = null;
  if (arenaOfArray(A) !== arena) {
    if ((scratchA = scratch(m * k, C)) === null) return false;
    scratchA.set(A.subarray(aOff, aOff + m * k));
    [left, leftOff] = [scratchA, 0];
  }
  let rows = B, rowsOff = bOff, scratchB: Float32Array | null = null;
  const bEnd = (bOff + (k - 1) * n + 4 * nv) * 4;
  if (transB || arenaOfArray(B) !== arena || bEnd > blockBytes(B)) {
    if ((scratchB = scratch(k * n + 4, C)) === null) {
      if (scratchA !== null) recycle(scratchA);
      return false;
    }
    if (transB) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) scratchB[p * n + j] = B[bOff + j * k + p]!;
    else scratchB.set(B.subarray(bOff, bOff + k * n));
    [rows, rowsOff] = [scratchB, 0];
  }
  const [ars, acs] = transA ? [4, m * 4] : [k * 4, 4];
  const aAt = left.byteOffset + leftOff * 4, bAt = rows.byteOffset + rowsOff * 4, cAt = C.byteOffset + cOff * 4;
  const r4 = nv <= 2 ? arena.exports[`gemm_narrow_r4_${nv}`] as Rows4Fn | undefined : undefined;
  const groups = r4 === undefined ? 0 : m >> 2;
  if (groups > 0) r4!(aAt, ars, acs, bAt, n * 4, cAt, n * 4, groups, k);
  if (m > 4 * groups) fn(aAt + 4 * groups * ars, ars, acs, bAt, n * 4, cAt + 4 * groups * n * 4, n * 4, m - 4 * groups, nv, k);
  if (scratchA !== null) recycle(scratchA);
  if (scratchB !== null) recycle(scratchB);
  if (bias !== null) addBias(C, cOff, m, n, bias, arena);
  return true;
}
