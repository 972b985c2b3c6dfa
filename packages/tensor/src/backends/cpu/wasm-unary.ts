import { emitModule, type FunctionSpec, I32, op, uleb, V128 } from './wasm-emitter.js';

/**
 * Vectorised exp, tanh and the logistic sigmoid: four float32 lanes per instruction, in single
 * precision throughout, within a few ulp of the correctly rounded result.
 *
 * exp(y): y is clamped to [-104, 89] (beyond it the float32 result is 0 or
 * +Inf anyway) with the pseudo-minimum and -maximum (f32x4.pmin/pmax: one
 * minps/maxps each on x86, where f32x4.min/max need about seven instructions
 * for their NaN and signed-zero rules; a NaN input still passes through,
 * since pmin(y, c) = c < y ? c : y), then reduced as y = k·ln2 + r with k = round(y/ln2) and
 * |r| <= ln2/2, ln2 split into a short high part (so k·ln2_hi is exact) and a
 * low part (Cody & Waite, 1980). exp(r) is its
 * degree-7 Taylor polynomial (truncation error r^8/8! < 5e-9 relative). 2^k is built from exponent bits
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
const LN2_HI = 0.693359375;
const LN2_LO = -2.1219444005469057e-4;
const EXP_TAYLOR = [1, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040];
// tanh x = x + x·s·(c1 + s·(c2 + …)), s = x²: the Taylor coefficients 2^2n(2^2n − 1)B_2n/(2n)!.
const TANH_TAYLOR = [-1 / 3, 2 / 15, -17 / 315, 62 / 2835, -1382 / 155925, 21844 / 6081075];

type Code = number[];

// SIMD opcodes beyond the emitter's table: f32x4.pmin, f32x4.pmax, i32x4.max_u, i32x4.gt_u, v128.any_true.
const F32X4_PMIN = [0xfd, ...uleb(0xea)];
const F32X4_PMAX = [0xfd, ...uleb(0xeb)];
const I32X4_MAX_U = [0xfd, ...uleb(0xb9)];
const I32X4_GT_U = [0xfd, ...uleb(0x3c)];
const V128_ANY_TRUE = [0xfd, ...uleb(0x53)];
const IF = [0x04, 0x40];

/** Horner: c0 + r·(c1 + r·(c2 + …)), with r in local `r`. */
function horner(coefs: readonly number[], r: number): Code {
  const code: Code = [...op.f32x4Const(coefs[coefs.length - 1]!)];
  for (let i = coefs.length - 2; i >= 0; i--) {
    code.push(...op.localGet(r), ...op.f32x4Mul, ...op.f32x4Const(coefs[i]!), ...op.f32x4Add);
  }
  return code;
}

/**
 * exp of the vector on the stack, leaving the result on the stack; uses
 * locals y, k, r. `wide`: the whole float32 range (clamp, and 2^k in
 * two halves so subnormal and infinite results come out of the products);
 * without it the caller guarantees |y| <= 86.5 (tanh's y is in [−20, 0]), the
 * narrow path of the header, which gives the same bits there.
 */
function expCode(y: number, k: number, r: number, wide = true): Code {
  if (!wide) {
    return [
      ...op.localSet(y),
      // k = t with t = y·log2e + M; then r (holding k − M first) = y − k·ln2_hi − k·ln2_lo.
      ...op.localGet(y), ...op.f32x4Const(LOG2E), ...op.f32x4Mul, ...op.f32x4Const(ROUND_MAGIC), ...op.f32x4Add, ...op.localSet(k),
      ...op.localGet(k), ...op.f32x4Const(ROUND_MAGIC), ...op.f32x4Sub, ...op.localSet(r),
      ...op.localGet(y), ...op.localGet(r), ...op.f32x4Const(LN2_HI), ...op.f32x4Mul, ...op.f32x4Sub,
      ...op.localGet(r), ...op.f32x4Const(LN2_LO), ...op.f32x4Mul, ...op.f32x4Sub, ...op.localSet(r),
      ...horner(EXP_TAYLOR, r),
      ...op.localGet(k), ...op.i32Const(23), ...op.i32x4Shl, ...op.i32x4Add,
    ];
  }
  return [
    ...op.f32x4Const(89), ...F32X4_PMIN, ...op.f32x4Const(-104), ...F32X4_PMAX, ...op.localSet(y),
    ...op.localGet(y), ...op.f32x4Const(LOG2E), ...op.f32x4Mul, ...op.f32x4Nearest, ...op.localSet(k),
    ...op.localGet(y), ...op.localGet(k), ...op.f32x4Const(LN2_HI), ...op.f32x4Mul, ...op.f32x4Sub,
    ...op.localGet(k), ...op.f32x4Const(LN2_LO), ...op.f32x4Mul, ...op.f32x4Sub, ...op.localSet(r),
    ...horner(EXP_TAYLOR, r),
    ...op.localGet(k), ...op.i32x4TruncSatF32x4S, ...op.localSet(k),
    // k1 = k >> 1, k2 = k − k1; scale by (k1 + 127) << 23 and (k2 + 127) << 23.
    ...op.localGet(k), ...op.i32Const(1), ...op.i32x4ShrS, ...op.localSet(y),
    ...op.localGet(y), ...op.i32x4Const(127), ...op.i32x4Add, ...op.i32Const(23), ...op.i32x4Shl, ...op.f32x4Mul,
    ...op.localGet(k), ...op.localGet(y), ...op.i32x4Sub, ...op.i32x4Const(127), ...op.i32x4Add,
    ...op.i32Const(23), ...op.i32x4Shl, ...op.f32x4Mul,
  ];
}

// Locals after the three i32 params (src, dst, count of vectors).
const X = 3, Y = 4, K = 5, R = 6, A = 7, T = 8;

function expBody(wide = true): Code {
  return [...op.localGet(X), ...expCode(Y, K, R, wide)];
}

function tanhBody(): Code {
  return [
    ...op.localGet(X), ...op.f32x4Abs, ...op.localSet(A),
    // Large branch: (1 − e)/(1 + e), e = exp(−2·min(a, 10)).
    ...op.localGet(A), ...op.f32x4Const(10), ...op.f32x4Min, ...op.f32x4Const(-2), ...op.f32x4Mul,
    ...expCode(Y, K, R, false), ...op.localSet(T),
    ...op.f32x4Const(1), ...op.localGet(T), ...op.f32x4Sub,
    ...op.f32x4Const(1), ...op.localGet(T), ...op.f32x4Add, ...op.f32x4Div, ...op.localSet(T),
    // Small branch: a + a·s·P(s), s = a².
    ...op.localGet(A), ...op.localGet(A), ...op.f32x4Mul, ...op.localSet(R),
    ...op.localGet(A),
    ...op.localGet(A), ...op.localGet(R), ...op.f32x4Mul, ...horner(TANH_TAYLOR, R), ...op.f32x4Mul,
    ...op.f32x4Add,
    ...op.localGet(T),
    ...op.localGet(A), ...op.f32x4Const(0.4), ...op.f32x4Lt,
    ...op.v128Bitselect,
    // Restore the sign: t >= 0, so OR-ing in x's sign bit gives sign(x)·t (and −0 for −0).
    ...op.localGet(X), ...op.i32x4Const(-0x80000000), ...op.v128And, ...op.v128Or,
  ];
}

/**
 * σ(x) = w/(1 + e), e = exp(−|x|), w = e for x < 0 and 1 otherwise: e <= 1,
 * so nothing overflows, and the operations are those of the composite
 * where(x < 0, e, 1)/(e + 1) over `exp`, in the same order (the same bits).
 */
function sigmoidBody(wide = true): Code {
  return [
    ...op.localGet(X), ...op.f32x4Abs, ...op.f32x4Neg, ...expCode(Y, K, R, wide), ...op.localSet(T),
    ...op.localGet(T), ...op.f32x4Const(1),
    ...op.localGet(X), ...op.f32x4Const(0), ...op.f32x4Lt, ...op.v128Bitselect,
    ...op.localGet(T), ...op.f32x4Const(1), ...op.f32x4Add, ...op.f32x4Div,
  ];
}

/**
 * fn(src, dst, n): for each of n 16-byte vectors, dst[i] = f(src[i]); n >= 1.
 * With `track`, also folds the largest |x| bits of the input into local MAX_ABS.
 */
function loopOver(body: Code, track = false): Code {
  const [src, dst, n] = [0, 1, 2];
  return [
    ...op.loop,
    ...op.localGet(src), ...op.v128Load(0), ...op.localSet(X),
    ...(track ? [...op.localGet(MAX_ABS), ...op.localGet(X), ...op.i32x4Const(0x7fffffff), ...op.v128And, ...I32X4_MAX_U, ...op.localSet(MAX_ABS)] : []),
    ...op.localGet(dst), ...body, ...op.v128Store(0),
    ...op.localGet(src), ...op.i32Const(16), ...op.i32Add, ...op.localSet(src),
    ...op.localGet(dst), ...op.i32Const(16), ...op.i32Add, ...op.localSet(dst),
    ...op.localGet(n), ...op.i32Const(1), ...op.i32Sub, ...op.localTee(n), ...op.brIf(0),
    ...op.end,
  ];
}

// exp and sigmoid: locals after the six vectors, the largest |x| bits and copies of the three params.
const MAX_ABS = 9, SAVED = 10;

/**
 * The narrow loop over everything, then, where some |x| > 86.5 or is NaN
 * (as integers, NaN's bits exceed every finite value's), the wide loop over
 * everything again: one pass for the data flows see, the same bits as the wide loop alone.
 */
function narrowThenWide(narrow: Code, wide: Code): Code {
  return [
    ...[0, 1, 2].flatMap((p) => [...op.localGet(p), ...op.localSet(SAVED + p)]),
    ...loopOver(narrow, true),
    ...op.localGet(MAX_ABS), ...op.i32x4Const(NARROW_LIMIT_BITS), ...I32X4_GT_U, ...V128_ANY_TRUE, ...IF,
    ...[0, 1, 2].flatMap((p) => [...op.localGet(SAVED + p), ...op.localSet(p)]),
    ...loopOver(wide),
    ...op.end,
  ];
}

const LOCALS: readonly (readonly [number, number])[] = [[6, V128]];

/** Local holding the input vector inside a unary body; scratch locals follow it. */
export const UNARY_INPUT = X;

/**
 * fn(src, dst, n) computing exp, tanh or sigmoid over n >= 1 16-byte
 * vectors: the kernels of this file as functions (in place on pool memory, or on this module's page).
 */
export function unaryKernelFunction(kernel: UnaryKernelName, name: string): FunctionSpec {
  if (kernel === 'tanh') return unaryFunction(name, tanhBody());
  const [narrow, wide] = kernel === 'exp' ? [expBody(false), expBody()] : [sigmoidBody(false), sigmoidBody()];
  return { name, params: [I32, I32, I32], locals: [[7, V128], [3, I32]], body: narrowThenWide(narrow, wide) };
}

/** fn(src, dst, n) applying `body` (code of local UNARY_INPUT) to each of n >= 1 16-byte vectors. */
export function unaryFunction(name: string, body: readonly number[]): FunctionSpec {
  return { name, params: [I32, I32, I32], locals: LOCALS, body: loopOver([...body]) };
}

export const unaryModuleBytes: Uint8Array<ArrayBuffer> = emitModule(
  (['exp', 'tanh', 'sigmoid'] as const).map((k) => unaryKernelFunction(k, k)),
  1,
);

export type UnaryKernelName = 'exp' | 'tanh' | 'sigmoid';

interface UnaryKernels {
  readonly memory: WebAssembly.Memory;
  readonly exp: (src: number, dst: number, n: number) => void;
  readonly tanh: (src: number, dst: number, n: number) => void;
  readonly sigmoid: (src: number, dst: number, n: number) => void;
}

let kernels: UnaryKernels | null | undefined;

/** The instantiated module, or null where WebAssembly SIMD is missing. */
export function wasmUnaryKernels(): UnaryKernels | null {
  if (kernels !== undefined) return kernels;
  kernels = null;
  try {
    if (typeof WebAssembly === 'object' && WebAssembly.validate(unaryModuleBytes)) {
      kernels = new WebAssembly.Instance(new WebAssembly.Module(unaryModuleBytes), {}).exports as unknown as UnaryKernels;
    }
  } catch {
    kernels = null;
  }
  return kernels;
}

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
