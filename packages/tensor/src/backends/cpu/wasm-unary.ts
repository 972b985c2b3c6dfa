import { emitModule, type FunctionSpec, lazyKernels, op } from './wasm-emitter.js';
import { type Code, type ConstPool, horner, LN2_HI, LN2_LO, simdOp } from './simd-code.js';
import { A, constPool, guardedLoop, K, type NarrowGuard, plainLoop, R, T, X, Y } from './unary-loop.js';
import { LOG_GUARD, LOG1P_GUARD, log1pBody, logBody } from './wasm-log.js';

/**
 * Vectorised exp, tanh and the logistic sigmoid (and, from wasm-log.ts, log
 * and log1p): four float32 lanes per instruction, in single precision
 * throughout, within a few ulp of the correctly rounded result.
 *
 * exp(y): y is clamped to [-104, 89] (beyond it the float32 result is 0 or
 * +Inf anyway) with the pseudo-minimum and -maximum (f32x4.pmin/pmax: one
 * minps/maxps each on x86, where f32x4.min/max need about seven instructions
 * for their NaN and signed-zero rules; a NaN input still passes through,
 * since pmin(y, c) = c < y ? c : y), then reduced as y = k·ln2 + r with k = round(y/ln2) and
 * |r| <= ln2/2, ln2 split into a short high part (so k·ln2_hi is exact) and a
 * low part (Cody & Waite, 1980). exp(r) is 1 + r + r²·h(r), h a degree-4
 * polynomial fitted for least relative error (below, `expPoly`). 2^k is built from exponent bits
 * in two halves, 2^⌊k/2⌋ · 2^(k−⌊k/2⌋), so results that are subnormal or
 * overflow to +Inf come out of ordinary float32 multiplication.
 *
 * Narrow exp, for |y| <= 86.5 (every result normal, k in [−125, 125]): the
 * same k, r and polynomial, fewer instructions. k comes from adding and
 * subtracting M = 1.5·2^23 (float addition rounds y/ln2 to an integer, ties to
 * even, as f32x4.nearest does, for |y/ln2| < 2^22), and the integer k sits in
 * the low bits of t = y/ln2 + M, so (bits of t) << 23 is k << 23 (the bits of
 * M shift out) and adding it to the bits of exp(r) multiplies by 2^k exactly,
 * as the two products of the wide path do for normal results: the same bits.
 * exp and sigmoid run the narrow path over all their input, keeping the
 * largest |x| seen, and rerun the wide path when it exceeds 86.5 (or is NaN).
 *
 * tanh(x) = sign(x) · t(|x|): below |x| = 0.4 the odd Taylor series through
 * x^13 (next term < 4e-9 relative), above it (1 − e)/(1 + e) with e =
 * exp(−2·min(|x|, 10)); there e <= 0.45, so the subtraction loses nothing, and
 * at the clamp 1 − t < 2^-25 rounds to 1. NaN propagates through both paths.
 */

const LOG2E = 1.4426950408889634;
const ROUND_MAGIC = 12582912; // 1.5·2^23
/** |x| up to which exp and sigmoid take the narrow path; its float32 bits, compared as integers. */
const NARROW_LIMIT_BITS = new Int32Array(new Float32Array([86.5]).buffer)[0]!;
/**
 * exp(r) = 1 + r + r²·h(r) on |r| <= ln2/2: h of degree 4, fitted for least
 * maximum relative error (3.7e-9, a thirtieth of an ulp) with the first two
 * coefficients held at 1 so that the last two additions are of r and 1.
 */
const EXP_H = [0.4999999701976776, 0.1666652113199234, 0.04166722670197487, 0.008368700742721558, 0.0013879684265702963];
/**
 * exp(r) for |r| <= ln2/2 (r in local r; local s takes r²), by Estrin's
 * scheme: h = (h0 + h1·r) + r²·((h2 + h3·r) + r²·h4), then r²·h + r + 1.
 * Horner's rule would chain twelve dependent operations; this chains eight,
 * and the loop is bound by that chain's latency, not by throughput.
 */
function expPoly(c: ConstPool, r: number, s: number): Code {
  const h = EXP_H;
  const pair = (i: number) => [...op.localGet(r), ...c.f32(h[i + 1]!), ...op.f32x4Mul, ...c.f32(h[i]!), ...op.f32x4Add];
  return [
    ...op.localGet(r), ...op.localGet(r), ...op.f32x4Mul, ...op.localSet(s),
    ...pair(0), ...pair(2), ...op.localGet(s), ...c.f32(h[4]!), ...op.f32x4Mul, ...op.f32x4Add,
    ...op.localGet(s), ...op.f32x4Mul, ...op.f32x4Add,
    ...op.localGet(s), ...op.f32x4Mul, ...op.localGet(r), ...op.f32x4Add, ...c.f32(1), ...op.f32x4Add,
  ];
}
// tanh x = x + x·s·(c1 + s·(c2 + …)), s = x²: the Taylor coefficients 2^2n(2^2n − 1)B_2n/(2n)!.
const TANH_TAYLOR = [-1 / 3, 2 / 15, -17 / 315, 62 / 2835, -1382 / 155925, 21844 / 6081075];

/**
 * exp of the vector on the stack, leaving the result on the stack; uses
 * locals y, k, r. `wide`: the whole float32 range (clamp, and 2^k in
 * two halves so subnormal and infinite results come out of the products);
 * without it the caller guarantees |y| <= 86.5 (tanh's y is in [−20, 0]), the
 * narrow path of the header, which gives the same bits there.
 */
function expCode(c: ConstPool, y: number, k: number, r: number, wide = true): Code {
  if (!wide) {
    return [
      ...op.localSet(y),
      // k = t with t = y·log2e + M; then r (holding k − M first) = y − k·ln2_hi − k·ln2_lo.
      ...op.localGet(y), ...c.f32(LOG2E), ...op.f32x4Mul, ...c.f32(ROUND_MAGIC), ...op.f32x4Add, ...op.localSet(k),
      ...op.localGet(k), ...c.f32(ROUND_MAGIC), ...op.f32x4Sub, ...op.localSet(r),
      ...op.localGet(y), ...op.localGet(r), ...c.f32(LN2_HI), ...op.f32x4Mul, ...op.f32x4Sub,
      ...op.localGet(r), ...c.f32(LN2_LO), ...op.f32x4Mul, ...op.f32x4Sub, ...op.localSet(r),
      ...expPoly(c, r, y),
      ...op.localGet(k), ...op.i32Const(23), ...op.i32x4Shl, ...op.i32x4Add,
    ];
  }
  return [
    ...c.f32(89), ...simdOp.f32x4Pmin, ...c.f32(-104), ...simdOp.f32x4Pmax, ...op.localSet(y),
    ...op.localGet(y), ...c.f32(LOG2E), ...op.f32x4Mul, ...op.f32x4Nearest, ...op.localSet(k),
    ...op.localGet(y), ...op.localGet(k), ...c.f32(LN2_HI), ...op.f32x4Mul, ...op.f32x4Sub,
    ...op.localGet(k), ...c.f32(LN2_LO), ...op.f32x4Mul, ...op.f32x4Sub, ...op.localSet(r),
    ...expPoly(c, r, y),
    ...op.localGet(k), ...op.i32x4TruncSatF32x4S, ...op.localSet(k),
    // k1 = k >> 1, k2 = k − k1; scale by (k1 + 127) << 23 and (k2 + 127) << 23.
    ...op.localGet(k), ...op.i32Const(1), ...op.i32x4ShrS, ...op.localSet(y),
    ...op.localGet(y), ...c.i32(127), ...op.i32x4Add, ...op.i32Const(23), ...op.i32x4Shl, ...op.f32x4Mul,
    ...op.localGet(k), ...op.localGet(y), ...op.i32x4Sub, ...c.i32(127), ...op.i32x4Add,
    ...op.i32Const(23), ...op.i32x4Shl, ...op.f32x4Mul,
  ];
}


function expBody(c: ConstPool, wide = true): Code {
  return [...op.localGet(X), ...expCode(c, Y, K, R, wide)];
}

function tanhBody(c: ConstPool): Code {
  return [
    ...op.localGet(X), ...op.f32x4Abs, ...op.localSet(A),
    // Large branch: (1 − e)/(1 + e), e = exp(−2·min(a, 10)).
    ...op.localGet(A), ...c.f32(10), ...op.f32x4Min, ...c.f32(-2), ...op.f32x4Mul,
    ...expCode(c, Y, K, R, false), ...op.localSet(T),
    ...c.f32(1), ...op.localGet(T), ...op.f32x4Sub,
    ...c.f32(1), ...op.localGet(T), ...op.f32x4Add, ...op.f32x4Div, ...op.localSet(T),
    // Small branch: a + a·s·P(s), s = a².
    ...op.localGet(A), ...op.localGet(A), ...op.f32x4Mul, ...op.localSet(R),
    ...op.localGet(A),
    ...op.localGet(A), ...op.localGet(R), ...op.f32x4Mul, ...horner(c, TANH_TAYLOR, R), ...op.f32x4Mul,
    ...op.f32x4Add,
    ...op.localGet(T),
    ...op.localGet(A), ...c.f32(0.4), ...op.f32x4Lt,
    ...op.v128Bitselect,
    // Restore the sign: t >= 0, so OR-ing in x's sign bit gives sign(x)·t (and −0 for −0).
    ...op.localGet(X), ...c.i32(-0x80000000), ...op.v128And, ...op.v128Or,
  ];
}

/**
 * σ(x) = w/(1 + e), e = exp(−|x|), w = e for x < 0 and 1 otherwise: e <= 1,
 * so nothing overflows, and the operations are those of the composite
 * where(x < 0, e, 1)/(e + 1) over `exp`, in the same order (the same bits).
 */
function sigmoidBody(c: ConstPool, wide = true): Code {
  return [
    ...op.localGet(X), ...op.f32x4Abs, ...op.f32x4Neg, ...expCode(c, Y, K, R, wide), ...op.localSet(T),
    ...op.localGet(T), ...c.f32(1),
    ...op.localGet(X), ...c.f32(0), ...op.f32x4Lt, ...op.v128Bitselect,
    ...op.localGet(T), ...c.f32(1), ...op.f32x4Add, ...op.f32x4Div,
  ];
}

/** exp and sigmoid take the narrow path while every |x| <= 86.5 (NaN's bits exceed every finite value's). */
const EXP_GUARD: NarrowGuard = {
  value: (c) => [...op.localGet(X), ...c.i32(0x7fffffff), ...op.v128And],
  limit: NARROW_LIMIT_BITS,
};

/** Local holding the input vector inside a unary body; scratch locals follow it. */
export const UNARY_INPUT = X;

/**
 * fn(src, dst, n) computing one of the kernels over n >= 1 16-byte vectors
 * (in place on pool memory, or on this module's page).
 */
export function unaryKernelFunction(kernel: UnaryKernelName, name: string): FunctionSpec {
  const c = constPool();
  // Vectors per iteration, by measurement on [256, 64] (x86-64, V8 11): more
  // copies hide more of the chains' latency until the registers run out.
  switch (kernel) {
    case 'tanh': return plainLoop(name, c, tanhBody(c), 3);
    case 'exp': return guardedLoop(name, c, expBody(c, false), expBody(c), EXP_GUARD, 4);
    case 'sigmoid': return guardedLoop(name, c, sigmoidBody(c, false), sigmoidBody(c), EXP_GUARD, 4);
    case 'log': return guardedLoop(name, c, logBody(c, false), logBody(c), LOG_GUARD, 4);
    case 'log1p': return guardedLoop(name, c, log1pBody(c, false), log1pBody(c), LOG1P_GUARD, 2);
  }
}

/** fn(src, dst, n) applying `body` (code of local UNARY_INPUT) to each of n >= 1 16-byte vectors. */
export function unaryFunction(name: string, body: readonly number[]): FunctionSpec {
  return plainLoop(name, constPool(), [...body]);
}

export const unaryModuleBytes: Uint8Array<ArrayBuffer> = emitModule(
  (['exp', 'tanh', 'sigmoid', 'log', 'log1p'] as const).map((k) => unaryKernelFunction(k, k)),
  1,
);

export type UnaryKernelName = 'exp' | 'tanh' | 'sigmoid' | 'log' | 'log1p';

interface UnaryKernels {
  readonly memory: WebAssembly.Memory;
  readonly exp: (src: number, dst: number, n: number) => void;
  readonly tanh: (src: number, dst: number, n: number) => void;
  readonly sigmoid: (src: number, dst: number, n: number) => void;
  readonly log: (src: number, dst: number, n: number) => void;
  readonly log1p: (src: number, dst: number, n: number) => void;
}

/** The instantiated module, or null where WebAssembly SIMD is missing. */
export const wasmUnaryKernels = lazyKernels<UnaryKernels>(unaryModuleBytes);

// Elements per call: input and output halves of one 64 KiB page.
const CHUNK = 8192;
let view = new Float32Array(0);

/**
 * out[i] = f(x[i]) for i < n through the SIMD kernel, in chunks that fit the
 * module's one page. Returns false, touching nothing, without WebAssembly SIMD.
 */
export function simdUnary(name: UnaryKernelName, x: Float32Array, out: Float32Array, n: number): boolean {
  const k = wasmUnaryKernels();
  if (k === null) return false;
  if (view.buffer !== k.memory.buffer) view = new Float32Array(k.memory.buffer);
  const fn = k[name];
  for (let i = 0; i < n; i += CHUNK) {
    const m = Math.min(CHUNK, n - i);
    view.set(x.subarray(i, i + m), 0);
    fn(0, CHUNK * 4, Math.ceil(m / 4));
    out.set(view.subarray(CHUNK, CHUNK + m), i);
  }
  return true;
}
