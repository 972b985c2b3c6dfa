import type { TypedArray } from '../../dtype.js';
import { arenaOfArray, outputArray, recycle } from './buffer-pool.js';
import { type Code, simdOp } from './simd-code.js';
import { registerSimdFunction } from './wasm-elementwise.js';
import { I32, op, uleb, V128 } from './wasm-emitter.js';

/**
 * cos of float32 values in WebAssembly SIMD, giving the bits of the plain
 * kernel, Math.fround(Math.cos(x)), for every element.
 *
 * Each value is computed in float64, two to a vector: x = n·π/2 + r with
 * n = nearest(2x/π) and π/2 in three parts (Cody & Waite, 1980; the split of
 * fdlibm's __ieee754_rem_pio2, Sun Microsystems, 1993), then cos r or sin r
 * (fdlibm's __kernel_cos and __kernel_sin polynomials) with the sign of the
 * quadrant. Only |x| <= 8 takes this path (n <= 5: the products n·π/2 parts
 * are exact, and r keeps a relative error near 2^-52), which covers the
 * Box–Muller angle 2πu of every normal draw. The float64 result y is within
 * 2^-50·|y| of cos x, and so is Math.cos's (fdlibm, under one ulp): both round
 * to the same float32 unless y lies within 2^-46·|y| of a float32 rounding
 * boundary. Such elements (about one in two million), and those of larger or
 * non-finite x, are listed and recomputed by Math.cos.
 *
 * cos_f64(src, dst, iterations, bad, cap): four elements per iteration; the
 * iterations that hold an element to recompute are written as i32 from
 * bad + 4 (at most cap of them) and their count to bad.
 */

const f64x2 = {
  splat: [0xfd, ...uleb(0x14)],
  eq: [0xfd, ...uleb(0x47)],
  abs: [0xfd, ...uleb(0xec)],
  neg: [0xfd, ...uleb(0xed)],
  add: [0xfd, ...uleb(0xf0)],
  sub: [0xfd, ...uleb(0xf1)],
  mul: [0xfd, ...uleb(0xf2)],
  floor: [0xfd, ...uleb(0x75)],
  nearest: [0xfd, ...uleb(0x94)],
  demote: [0xfd, ...uleb(0x5e)],
  promoteLow: [0xfd, ...uleb(0x5f)],
};
const f32x4Eq = [0xfd, ...uleb(0x41)];
const f32x4Le = [0xfd, ...uleb(0x45)];
const i32x4AllTrue = [0xfd, ...uleb(0xa3)];
const i32Store = (offset: number): Code => [0x36, 2, ...uleb(offset)];
/** A constant vector of two equal float64 lanes. */
const f64c = (v: number): Code => [0xfd, ...uleb(12), ...new Uint8Array(new Float64Array([v, v]).buffer)];

// π/2 = P1 + P2 + P3: P1 and P2 have 33 significant bits, so n·P1 and n·P2 are exact for small n.
const P1 = 1.57079632673412561417e+00;
const P2 = 6.07710050630396597660e-11;
const P3 = 2.02226624879595063154e-21;
const SIN = [-1.66666666666666324348e-01, 8.33333333332248946124e-03, -1.98412698298579493134e-04, 2.75573137070700676789e-06, -2.50507602534068634195e-08, 1.58969099521155010221e-10];
const COS = [4.16666666666666019037e-02, -1.38888888888741095749e-03, 2.48015872894767294178e-05, -2.75573143513906633035e-07, 2.08757232129817482790e-09, -1.13596475577881948265e-11];
/** Largest |x| computed here. */
export const COS_SIMD_LIMIT = 8;

// Locals: params, then i32 scratch, then vectors.
const [SRC, DST, ITERS, BAD, CAP, CNT] = [0, 1, 2, 3, 4, 5];
const [XV, V, N, R, Z, S, C, M, YA, YB, OKA, OKB] = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];

/** Horner in z (local Z): c0 + z·(c1 + z·(…)), float64 lanes. */
function horner64(coefs: readonly number[]): Code {
  const code: Code = [...f64c(coefs[coefs.length - 1]!)];
  for (let i = coefs.length - 2; i >= 0; i--) code.push(...op.localGet(Z), ...f64x2.mul, ...f64c(coefs[i]!), ...f64x2.add);
  return code;
}

/** cos of the two float64 lanes of local V into local `y`, and into local `ok` the float32 lanes' "rounds the same" mask. */
function cosHalf(y: number, ok: number): Code {
  return [
    ...op.localGet(V), ...f64c(2 / Math.PI), ...f64x2.mul, ...f64x2.nearest, ...op.localSet(N),
    ...op.localGet(V), ...op.localGet(N), ...f64c(P1), ...f64x2.mul, ...f64x2.sub,
    ...op.localGet(N), ...f64c(P2), ...f64x2.mul, ...f64x2.sub,
    ...op.localGet(N), ...f64c(P3), ...f64x2.mul, ...f64x2.sub, ...op.localSet(R),
    ...op.localGet(R), ...op.localGet(R), ...f64x2.mul, ...op.localSet(Z),
    // sin r = r + r·z·S(z), cos r = 1 − z/2 + z²·C(z)
    ...op.localGet(R), ...op.localGet(R), ...op.localGet(Z), ...f64x2.mul, ...horner64(SIN), ...f64x2.mul, ...f64x2.add, ...op.localSet(S),
    ...f64c(1), ...f64c(0.5), ...op.localGet(Z), ...f64x2.mul, ...f64x2.sub,
    ...op.localGet(Z), ...op.localGet(Z), ...f64x2.mul, ...horner64(COS), ...f64x2.mul, ...f64x2.add, ...op.localSet(C),
    // m = n mod 4 (exact): quadrants 1 and 3 take sin r, 1 and 2 the negation.
    ...op.localGet(N), ...op.localGet(N), ...f64c(0.25), ...f64x2.mul, ...f64x2.floor, ...f64c(4), ...f64x2.mul, ...f64x2.sub, ...op.localSet(M),
    ...op.localGet(S), ...op.localGet(C),
    ...op.localGet(M), ...f64c(1), ...f64x2.eq, ...op.localGet(M), ...f64c(3), ...f64x2.eq, ...op.v128Or,
    ...op.v128Bitselect, ...op.localSet(y),
    ...op.localGet(y), ...f64x2.neg, ...op.localGet(y),
    ...op.localGet(M), ...f64c(1), ...f64x2.eq, ...op.localGet(M), ...f64c(2), ...f64x2.eq, ...op.v128Or,
    ...op.v128Bitselect, ...op.localSet(y),
    // y ± 2^-46·|y| round to the same float32: so does any value that close, Math.cos's included.
    ...op.localGet(y), ...op.localGet(y), ...f64x2.abs, ...f64c(2 ** -46), ...f64x2.mul, ...op.localTee(R), ...f64x2.sub, ...f64x2.demote,
    ...op.localGet(y), ...op.localGet(R), ...f64x2.add, ...f64x2.demote, ...f32x4Eq, ...op.localSet(ok),
  ];
}

function cosBody(): Code {
  return [
    ...op.i32Const(0), ...op.localSet(CNT),
    ...op.block, ...op.loop,
    ...op.localGet(ITERS), ...op.i32Eqz, ...op.brIf(1),
    ...op.localGet(SRC), ...op.v128Load(0), ...op.localSet(XV),
    ...op.localGet(XV), ...f64x2.promoteLow, ...op.localSet(V), ...cosHalf(YA, OKA),
    ...op.localGet(XV), ...op.localGet(XV), ...op.i8x16ShuffleHigh, ...f64x2.promoteLow, ...op.localSet(V), ...cosHalf(YB, OKB),
    ...op.localGet(DST), ...op.localGet(YA), ...f64x2.demote, ...op.localGet(YB), ...f64x2.demote, ...op.i8x16ShuffleLowLow, ...op.v128Store(0),
    // Every lane in range (|x| <= limit; NaN is not) and rounding robustly, or the iteration is listed.
    ...op.localGet(OKA), ...op.localGet(OKB), ...op.i8x16ShuffleLowLow,
    ...op.localGet(XV), ...op.f32x4Abs, ...op.f32x4Const(COS_SIMD_LIMIT), ...f32x4Le, ...op.v128And,
    ...i32x4AllTrue, ...op.i32Eqz,
    ...simdOp.if,
    ...op.localGet(CNT), ...op.localGet(CAP), ...op.i32LtU,
    ...simdOp.if,
    // bad + 4 + 4·cnt ← the iteration's index, counted from the remaining iterations at the end.
    ...op.localGet(BAD), ...op.localGet(CNT), ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...op.localGet(ITERS), ...i32Store(4),
    ...op.end,
    ...op.localGet(CNT), ...op.i32Const(1), ...op.i32Add, ...op.localSet(CNT),
    ...op.end,
    ...op.localGet(SRC), ...op.i32Const(16), ...op.i32Add, ...op.localSet(SRC),
    ...op.localGet(DST), ...op.i32Const(16), ...op.i32Add, ...op.localSet(DST),
    ...op.localGet(ITERS), ...op.i32Const(1), ...op.i32Sub, ...op.localSet(ITERS),
    ...op.br(0), ...op.end, ...op.end,
    ...op.localGet(BAD), ...op.localGet(CNT), ...i32Store(0),
  ];
}

registerSimdFunction({ name: 'cos_f64', params: [I32, I32, I32, I32, I32], locals: [[1, I32], [12, V128]], body: cosBody() });

type CosFn = (src: number, dst: number, iterations: number, bad: number, cap: number) => void;

/** Iterations listed at most per call; past it, the whole array is recomputed by Math.cos (never seen in practice). */
const LIST_CAP = 1023;

/**
 * out[i] = Math.fround(Math.cos(x[i])) for i < x.length, through the SIMD
 * kernel where x and out are pooled in one arena; false, touching nothing, otherwise.
 */
export function simdCos(x: TypedArray, out: TypedArray): boolean {
  if (!(x instanceof Float32Array) || !(out instanceof Float32Array)) return false;
  const arena = arenaOfArray(out);
  if (arena === undefined || arenaOfArray(x) !== arena) return false;
  const fn = arena.exports['cos_f64'] as CosFn | undefined;
  if (fn === undefined) return false;
  const list = outputArray('float32', LIST_CAP + 1, out) as Float32Array;
  if (arenaOfArray(list) !== arena) {
    recycle(list);
    return false;
  }
  const n = x.length, iterations = Math.ceil(n / 4);
  fn(x.byteOffset, out.byteOffset, iterations, list.byteOffset, LIST_CAP);
  const bad = new Int32Array(list.buffer, list.byteOffset, LIST_CAP + 1);
  const count = bad[0]!;
  if (count > LIST_CAP) {
    for (let i = 0; i < n; i++) out[i] = Math.cos(x[i]!);
  } else {
    for (let k = 0; k < count; k++) {
      // Stored as the iterations left at that point.
      const start = 4 * (iterations - bad[1 + k]!);
      for (let i = start; i < Math.min(n, start + 4); i++) out[i] = Math.cos(x[i]!);
    }
  }
  recycle(list);
  return true;
}
