import { op } from './wasm-emitter.js';
import { type Code, type ConstPool, LN2_HI, LN2_LO, simdOp } from './simd-code.js';
import { A, K, type NarrowGuard, R, T, U, X, Y } from './unary-loop.js';

/**
 * Vectorised natural logarithm and log(1 + x) in single precision, within
 * one ulp of the correctly rounded result (0.84 ulp at worst, measured over
 * 2M points per range in wasm-log.test.ts).
 *
 * log(u), u > 0 normal: u = 2^k·m with m in [√2/2, √2), from the bits (those
 * of u minus those of √2/2 give k in the exponent field and m's mantissa);
 * f = m − 1 is exact. With s = f/(2 + f), log(1 + f) = 2·atanh(s) = 2s + s·R(s²)
 * (|s| <= 0.172), R a degree-4 polynomial without constant term fitted for
 * least absolute error (1e-11), and 2s is evaluated as f − ½f² + s·½f², which keeps
 * the rounding of the large terms small (the form of fdlibm's logf, Sun
 * Microsystems, 1993). log u = k·ln2_hi + (f − (½f² − (s·(½f² + R) + k·ln2_lo))),
 * ln2 split as in exp (Cody & Waite, 1980).
 *
 * log1p(x): u = fl(1 + x), and the rounding error of that sum, recovered
 * exactly (c = x − (u − 1) for u <= 2, both steps exact by Sterbenz's lemma,
 * or c = 1 − (u − x) above, where x >= 1), enters as log(1 + x) = log u + c/u
 * (first order; |c/u| <= 2^-24). For |x| < 2^-24, u = 1 and the result is
 * x itself; the sign of x is OR-ed in so log1p(−0) = −0.
 *
 * Both have a narrow body, valid while every argument of log (u for
 * log1p) is positive, normal and finite, and a wide body that also scales
 * subnormal inputs by 2^23 and gives log(±0) = −Inf, log(x < 0) = NaN,
 * log(+Inf) = +Inf and NaN for NaN; on the narrow body's inputs the two give
 * the same bits.
 */

const SQRT_HALF_BITS = 0x3f3504f3;
/** R(z) = r1·z + r2·z² + r3·z³ + r4·z⁴ ≈ (2·atanh(s) − 2s)/s, z = s². */
const LOG_R = [0.6666666269302368, 0.4000033438205719, 0.2853739261627197, 0.23580828309059143];

/**
 * log of local u (positive, normal) plus `corr` (code pushing a vector added
 * to the low part, or none), on the stack; `shift` (optional) is code pushing
 * a float vector subtracted from k. Uses locals Y, K, R, A, T.
 */
function logCore(c: ConstPool, u: number, corr: Code = [], shift: Code = []): Code {
  const [w, k, f, s, z] = [Y, K, R, A, T];
  return [
    ...op.localGet(u), ...c.i32(SQRT_HALF_BITS), ...op.i32x4Sub, ...op.localSet(k),
    ...op.localGet(k), ...c.i32(0x7fffff), ...op.v128And, ...c.i32(SQRT_HALF_BITS), ...op.i32x4Add,
    ...c.f32(1), ...op.f32x4Sub, ...op.localSet(f),
    ...op.localGet(k), ...op.i32Const(23), ...op.i32x4ShrS, ...simdOp.f32x4ConvertI32x4S,
    ...(shift.length > 0 ? [...shift, ...op.f32x4Sub] : []), ...op.localSet(k),
    ...op.localGet(f), ...op.localGet(f), ...c.f32(2), ...op.f32x4Add, ...op.f32x4Div, ...op.localSet(s),
    ...op.localGet(s), ...op.localGet(s), ...op.f32x4Mul, ...op.localSet(z),
    ...op.localGet(z), ...op.localGet(z), ...op.f32x4Mul, ...op.localSet(w),
    // R = w·(r2 + w·r4) + z·(r1 + w·r3), into w; then z takes ½f².
    ...op.localGet(w), ...op.localGet(w), ...c.f32(LOG_R[3]!), ...op.f32x4Mul, ...c.f32(LOG_R[1]!), ...op.f32x4Add, ...op.f32x4Mul,
    ...op.localGet(z), ...op.localGet(w), ...c.f32(LOG_R[2]!), ...op.f32x4Mul, ...c.f32(LOG_R[0]!), ...op.f32x4Add, ...op.f32x4Mul,
    ...op.f32x4Add, ...op.localSet(w),
    ...c.f32(0.5), ...op.localGet(f), ...op.f32x4Mul, ...op.localGet(f), ...op.f32x4Mul, ...op.localSet(z),
    // k·ln2_hi − ((½f² − (s·(½f² + R) + (k·ln2_lo + corr))) − f)
    ...op.localGet(k), ...c.f32(LN2_HI), ...op.f32x4Mul,
    ...op.localGet(z),
    ...op.localGet(s), ...op.localGet(z), ...op.localGet(w), ...op.f32x4Add, ...op.f32x4Mul,
    ...op.localGet(k), ...c.f32(LN2_LO), ...op.f32x4Mul, ...(corr.length > 0 ? [...corr, ...op.f32x4Add] : []),
    ...op.f32x4Add,
    ...op.f32x4Sub, ...op.localGet(f), ...op.f32x4Sub,
    ...op.f32x4Sub,
  ];
}

/** The result on the stack with log's special values for argument local `u` (kept in local T): u for +Inf and NaN, NaN below 0, −Inf at ±0. */
function specials(c: ConstPool, u: number): Code {
  return [
    ...op.localSet(T),
    ...op.localGet(u), ...op.localGet(T), ...op.localGet(u), ...c.i32(0x7f7fffff), ...simdOp.i32x4GtU, ...op.v128Bitselect, ...op.localSet(T),
    ...c.f32(NaN), ...op.localGet(T), ...op.localGet(u), ...c.f32(0), ...op.f32x4Lt, ...op.v128Bitselect, ...op.localSet(T),
    ...c.f32(-Infinity), ...op.localGet(T), ...op.localGet(u), ...c.f32(0), ...simdOp.f32x4Eq, ...op.v128Bitselect,
  ];
}

/** log of local X; `wide`: every float32 input (subnormals scaled, special values), else positive normal finite ones. */
export function logBody(c: ConstPool, wide = true): Code {
  if (!wide) return logCore(c, X);
  return [
    // A: x below the smallest normal (or not positive); U = x·2^23 there, and k is lowered by 23.
    ...op.localGet(X), ...c.f32(2 ** -126), ...op.f32x4Lt, ...op.localSet(A),
    ...op.localGet(X), ...c.f32(2 ** 23), ...op.f32x4Mul, ...op.localGet(X), ...op.localGet(A), ...op.v128Bitselect, ...op.localSet(U),
    ...logCore(c, U, [], [...op.localGet(A), ...c.f32(23), ...op.v128And]),
    ...specials(c, X),
  ];
}

/** log1p of local X; `wide`: every float32 input, else those with 1 + x positive, normal and finite. */
export function log1pBody(c: ConstPool, wide = true): Code {
  // c/u into local U once u = 1 + x (in U first) has given k and f; Y, K, R, A, T are the core's.
  const corr: Code = [
    ...c.f32(1), ...op.localGet(U), ...op.localGet(X), ...op.f32x4Sub, ...op.f32x4Sub,
    ...op.localGet(X), ...op.localGet(U), ...c.f32(1), ...op.f32x4Sub, ...op.f32x4Sub,
    ...op.localGet(U), ...c.f32(2), ...simdOp.f32x4Gt, ...op.v128Bitselect,
    ...op.localGet(U), ...op.f32x4Div,
  ];
  const core = logCore(c, U, corr);
  return [
    ...c.f32(1), ...op.localGet(X), ...op.f32x4Add, ...op.localSet(U),
    ...core,
    ...(wide ? specials(c, U) : []),
    ...op.localGet(X), ...c.i32(-0x80000000), ...op.v128And, ...op.v128Or,
  ];
}

/** log's narrow body holds where x − 2^-126, as bits, is below +Inf − 2^-126 (unsigned): x positive, normal, finite. */
export const LOG_GUARD: NarrowGuard = {
  value: (c) => [...op.localGet(X), ...c.i32(0x00800000), ...op.i32x4Sub],
  limit: 0x7effffff,
};

/** log1p's: the same of u = 1 + x. */
export const LOG1P_GUARD: NarrowGuard = {
  value: (c) => [...c.f32(1), ...op.localGet(X), ...op.f32x4Add, ...c.i32(0x00800000), ...op.i32x4Sub],
  limit: 0x7effffff,
};
