import { MR, NR } from './wasm-gemm.js';
import { type Arena, arenaOfArray, outputArray, recycle } from './buffer-pool.js';
import { gemmStridedName, type GemmAddRowFn, type GemmPackFn, type GemmPackRowsFn, type GemmStridedFn } from './wasm-gemm-strided.js';

/**
 * A row-major B is packed into panels (contiguous 32-byte rows, by a
 * WebAssembly loop) from this many floats and this many rows of C, and read
 * in place below: packing pays once B is well past L1 and enough rows reuse
 * it. Best of 15 at one thread, in place / packed: 1024×256·256×256 3.40 /
 * 3.10 ms, 512³ 7.9 / 6.3 ms; at 8192 to 16384 floats (256×256·256×64,
 * 128³, 64×128·128×128, 256×64·64×128) within ±10% either way.
 */
export const PACK_B_MIN_FLOATS = 32768;
export const PACK_B_MIN_ROWS = 64;
/**
 * A transposed A (stored k × m, each k step reading 16 bytes 4m apart) is
 * packed into 4-row panels from this many floats and columns of C. Kernel
 * alone, GFLOP/s in place / packed: 1020×256·256×256 30 / 39, 256×1024·1024×256
 * 31 / 37, 64×256·256×64 40 / 43.
 */
const PACK_A_MIN_FLOATS = 32768;
const PACK_A_MIN_COLS = 64;

/**
 * Column panels per kernel call, sized so the packed B block (NC*NR*k floats)
 * stays within ~256 KiB of L2 while every row panel of A streams past it
 * (the "GEBP" loop order of Goto & van de Geijn, 2008, ACM TOMS 34(3)).
 */
export function columnPanelsPerBlock(k: number): number {
  return Math.max(1, Math.floor((256 * 1024) / (NR * k * 4)));
}


/**
 * The single-threaded product on operands that live in the CPU pool's
 * memory: the strided kernels read A (row-major or transposed) and a
 * row-major B in place and write C in place; only a transposed B is packed.
 * Whole MR-row panels take the MR-row kernel and the last m mod MR rows the
 * kernel of that height. A last column panel narrower than NR columns is
 * stored whole, before the others: its extra columns land on the first
 * columns of the next row, which are stored after it, and past the last row
 * in the slack of C's pool block or on values written later (C goes through
 * a scratch block where neither holds). An operand outside C's arena is
 * copied into it first. False, touching nothing, where C is not in the pool
 * or scratch cannot come from its arena. `lda`: the row stride of A as
 * stored (floats), for a block of rows of a larger product (m for a
 * transposed A, whose rows of op(A) are its columns, k otherwise).
 */
export function inArenaGemm(
  A: Float32Array, aOff: number, transA: boolean, B: Float32Array, bOff: number, transB: boolean,
  C: Float32Array, cOff: number, m: number, n: number, k: number, bias: Float32Array | null, restWrittenLater: boolean,
  lda = transA ? m : k,
): boolean {
  const arena = arenaOfArray(C);
  if (arena === undefined) return false;
  const kernels = kernelsOf(arena);
  if (kernels === null) return false;
  const nb = Math.ceil(n / NR), w = n - (nb - 1) * NR;
  // Scratch blocks taken here go back to the pool before returning (no closures: this runs per product).
  const scratch: Float32Array[] = [];
  // An operand outside the pool (a small or plain array) is copied in whole, a memcpy.
  if (arenaOfArray(A) !== arena) {
    const len = transA ? (k - 1) * lda + m : m * k;
    const copy = scratchBlock(scratch, arena, C, len);
    if (copy === null) return release(scratch, false);
    copy.set(A.subarray(aOff, aOff + len));
    [A, aOff] = [copy, 0];
  }
  if (arenaOfArray(B) !== arena) {
    const copy = scratchBlock(scratch, arena, C, k * n);
    if (copy === null) return release(scratch, false);
    copy.set(B.subarray(bOff, bOff + k * n));
    [B, bOff] = [copy, 0];
  }

  let b0 = B.byteOffset + bOff * 4, bps = 4 * n, bjs = 4 * NR;
  const overread = b0 + (nb - 1) * 32 + (k - 1) * 4 * n + 32 > arena.bytes;
  if (transB || overread || (k * n >= PACK_B_MIN_FLOATS && m >= PACK_B_MIN_ROWS)) {
    const packedB = scratchBlock(scratch, arena, C, nb * NR * k);
    if (packedB === null) return release(scratch, false);
    if (transB) {
      if (n < nb * NR) packedB.fill(0, (nb - 1) * NR * k, nb * NR * k);
      kernels.packBt(b0, packedB.byteOffset, n, k);
    } else if (!overread) kernels.pack32(b0, packedB.byteOffset, nb, k, 4 * n);
    else packB(B, bOff, transB, packedB, n, k, nb);
    [b0, bps, bjs] = [packedB.byteOffset, 4 * NR, 4 * NR * k];
  }
  let biasPtr = bias?.byteOffset ?? 0;
  if (bias !== null && arenaOfArray(bias) !== arena) {
    const copy = scratchBlock(scratch, arena, C, n);
    if (copy === null) return release(scratch, false);
    copy.set(bias);
    biasPtr = copy.byteOffset;
  }
  const cEnd = C.byteOffset + (cOff + m * n) * 4;
  const blockEnd = C.byteOffset + (arena.issued.get(C.byteOffset) ?? 0);
  const direct = w === NR || (cEnd + (NR - w) * 4 <= blockEnd && (cOff + m * n >= C.length || restWrittenLater));
  const ldcE = direct ? n : nb * NR;
  const out = direct ? C : scratchBlock(scratch, arena, C, m * ldcE);
  if (out === null) return release(scratch, false);
  const cp = direct ? C.byteOffset + cOff * 4 : out.byteOffset;

  const a0 = A.byteOffset + aOff * 4;
  const [aps, ars] = transA ? [4 * lda, 4] : [4, 4 * k];
  const unit = ars === 4;
  const mb = Math.floor(m / MR), tail = m - mb * MR;
  // A large transposed A is packed into MR-row panels, read with unit strides (rows 16 bytes apart).
  let mainA = a0, mainAps = aps, mainAis = MR * ars;
  if (transA && m * k >= PACK_A_MIN_FLOATS && n >= PACK_A_MIN_COLS && mb > 0) {
    const packedA = scratchBlock(scratch, arena, C, mb * MR * k);
    if (packedA === null) return release(scratch, false);
    kernels.pack16(a0, packedA.byteOffset, mb, k, 4 * lda);
    [mainA, mainAps, mainAis] = [packedA.byteOffset, 4 * MR, 4 * MR * k];
  }
  const nc = columnPanelsPerBlock(k);
  const main = kernels.strided[MR]![unit ? 1 : 0]!;
  const last = tail > 0 ? kernels.strided[tail]![unit ? 1 : 0]! : main;
  const tailA = a0 + mb * MR * ars, tailAis = tail * ars;
  const full = w === NR ? nb : nb - 1;
  // The narrow last column panel first (see above), then blocks of nc full panels.
  for (let j0 = full < nb ? full : 0, first = full < nb; first || j0 < full; j0 = first ? 0 : j0 + nc, first = false) {
    const cols = first ? 1 : Math.min(nc, full - j0);
    if (mb > 0) main(mainA, b0 + j0 * bjs, cp + j0 * NR * 4, mb, cols, k, ldcE * 4, mainAps, ars, mainAis, bps, bjs);
    if (tail > 0) last(tailA, b0 + j0 * bjs, cp + (mb * MR * ldcE + j0 * NR) * 4, 1, cols, k, ldcE * 4, aps, ars, tailAis, bps, bjs);
  }
  if (!direct) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) C[cOff + i * n + j] = out[i * ldcE + j]!;
  if (bias !== null) kernels.addRow(C.byteOffset + cOff * 4, biasPtr, m, n, 4 * n);
  return release(scratch, true);
}

/** The gemm functions of one arena's module, looked up once. */
interface ArenaGemm {
  /** strided[mr][unit ? 1 : 0] for mr = 1..MR. */
  readonly strided: GemmStridedFn[][];
  readonly packBt: GemmPackFn;
  readonly pack32: GemmPackRowsFn;
  readonly pack16: GemmPackRowsFn;
  readonly addRow: GemmAddRowFn;
}

const gemmOf = new WeakMap<Arena, ArenaGemm | null>();

function kernelsOf(arena: Arena): ArenaGemm | null {
  let g = gemmOf.get(arena);
  if (g !== undefined) return g;
  const ex = arena.exports as Record<string, unknown>;
  const strided: GemmStridedFn[][] = [];
  for (let mr = 1; mr <= MR; mr++) strided[mr] = [ex[gemmStridedName(mr)] as GemmStridedFn, ex[gemmStridedName(mr, true)] as GemmStridedFn];
  const fns = [ex['gemm_pack_bt'], ex['gemm_pack_32'], ex['gemm_pack_16'], ex['gemm_add_row']];
  g = strided.slice(1).every((p) => p.every((f) => typeof f === 'function')) && fns.every((f) => typeof f === 'function')
    ? { strided, packBt: fns[0] as GemmPackFn, pack32: fns[1] as GemmPackRowsFn, pack16: fns[2] as GemmPackRowsFn, addRow: fns[3] as GemmAddRowFn }
    : null;
  gemmOf.set(arena, g);
  return g;
}

/** A pooled block of at least `len` floats in C's arena, listed in `scratch`; null if the pool gave one elsewhere. */
function scratchBlock(scratch: Float32Array[], arena: Arena, C: Float32Array, len: number): Float32Array | null {
  // The pool hands out arrays of 16 floats or more; smaller ones would be plain arrays.
  const x = outputArray('float32', Math.max(len, 16), C) as Float32Array;
  scratch.push(x);
  return arenaOfArray(x) === arena ? x : null;
}

/** Gives the scratch blocks back and returns `ok`. */
function release(scratch: readonly Float32Array[], ok: boolean): boolean {
  for (let i = 0; i < scratch.length; i++) recycle(scratch[i]!);
  return ok;
}

/** op(B) into NR-column panels [panel][p][col], columns past n zero (as simdGemm packs it). */
function packB(B: Float32Array, bOff: number, transB: boolean, out: Float32Array, n: number, k: number, nb: number): void {
  for (let jb = 0; jb < nb; jb++) {
    const base = jb * NR * k, j0 = jb * NR, w = Math.min(NR, n - j0);
    for (let p = 0; p < k; p++) {
      const dst = base + p * NR;
      if (transB) for (let c = 0; c < w; c++) out[dst + c] = B[bOff + (j0 + c) * k + p]!;
      else for (let c = 0; c < w; c++) out[dst + c] = B[bOff + p * n + j0 + c]!;
      for (let c = w; c < NR; c++) out[dst + c] = 0;
    }
  }
}
