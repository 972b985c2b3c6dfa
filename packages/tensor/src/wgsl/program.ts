import type { DType } from '../dtype.js';

/**
 * Shared pieces of the generated WGSL. Every kernel follows one binding
 * contract: input i at `@binding(i)` (read-only storage, in input order), the
 * output at `@binding(n)` (read-write storage), and, when the program has
 * uniforms, `@binding(n + 1)` holding them as u32 words padded to 16 bytes.
 */

/** Invocations per workgroup of the one-thread-per-element kernels. */
export const WORKGROUP_SIZE = 64;

/** WebGPU guarantees 65535 workgroups per dispatch dimension; larger grids fold into y. */
export const MAX_GROUPS_PER_DIMENSION = 65535;

export function wgslType(dtype: DType): 'f32' | 'i32' {
  return dtype === 'int32' ? 'i32' : 'f32';
}

/** Workgroup counts covering `groups` workgroups, folded into y beyond 65535. */
export function dispatchGroups(groups: number): [number, number, number] {
  if (groups <= MAX_GROUPS_PER_DIMENSION) return [groups, 1, 1];
  const y = Math.ceil(groups / MAX_GROUPS_PER_DIMENSION);
  return [Math.ceil(groups / y), y, 1];
}

/** Workgroups for one invocation per element of `n` elements. */
export function dispatchFor(n: number, workgroup = WORKGROUP_SIZE): [number, number, number] {
  return dispatchGroups(Math.ceil(n / workgroup));
}

/**
 * The binding declarations of the contract, for inputs of `inputs` dtypes and
 * one output; `vec4` marks the inputs (and output) read as arrays of vec4.
 */
export function bindings(inputs: readonly DType[], out: DType, uniformWords: number, vec4: { inputs?: readonly boolean[]; out?: boolean } = {}): string {
  const type = (d: DType, v: boolean | undefined) => (v ? `vec4<${wgslType(d)}>` : wgslType(d));
  const lines = inputs.map((d, i) => `@group(0) @binding(${i}) var<storage, read> in${i}: array<${type(d, vec4.inputs?.[i])}>;`);
  lines.push(`@group(0) @binding(${inputs.length}) var<storage, read_write> out: array<${type(out, vec4.out)}>;`);
  if (uniformWords > 0) {
    lines.push(`struct Uniforms { w: array<vec4<u32>, ${Math.ceil(uniformWords / 4)}> };`);
    lines.push(`@group(0) @binding(${inputs.length + 1}) var<uniform> u: Uniforms;`);
  }
  return lines.join('\n');
}

/** The WGSL expression reading uniform word `k` (a constant index). */
export function word(k: number): string {
  return `u.w[${k >> 2}][${k & 3}]`;
}

/** Entry point whose `i` is the flat invocation index across a y-folded grid. */
export function entry(workgroup: number, body: string): string {
  return `@compute @workgroup_size(${workgroup})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * ${workgroup}u + lid;
${body}
}`;
}

/**
 * Functions generic in the element type `T`, defined per dtype. WGSL lets an
 * implementation assume floats are never NaN, so NaN is detected from the
 * bits (exponent all ones, mantissa non-zero) rather than by `x != x`.
 * Integer division by zero gives 0, as the CPU's float division stored into
 * an Int32Array does (WGSL would return the dividend).
 *
 * tanh and log1p are written out because the platform forms lose all
 * relative accuracy near 0 (tanh as (e^2x − 1)/(e^2x + 1); log1p through
 * compensations a shader compiler may reassociate away):
 * - tanh x = x − x³/3 + 2x⁵/15 − 17x⁷/315 + 62x⁹/2835 for |x| < 1/4 (next term
 *   < 1e-8 relative), else sign(x)·(1 − e)/(1 + e) with e = exp(−2|x|) ≤ 0.61,
 *   whose 1 − e ≥ 0.39 keeps the rounding of e to a few ulp.
 * - log1p x = 2 atanh(s) = 2(s + s³/3 + s⁵/5 + … + s¹⁵/15), s = x/(2 + x), for
 *   −1/2 < x < 1 (|s| ≤ 1/3, truncation < 1e-9), else log(1 + x), where 1 + x
 *   is exact or its rounding is small against the logarithm.
 *
 * sin and cos are written out because WGSL only bounds the platform forms'
 * absolute error by 2^-11 on [−π, π] (SwiftShader, Chrome's software adapter,
 * uses that freedom: its normal samples, which go through cos, were off by
 * 6e-4): x = k·π/2 + r with k = round(2x/π) and r from a three-part π/2
 * (Cody & Waite 1980; the parts of Cephes' sinf, whose first has 8 bits, so
 * k·P1 is exact for |k| < 2^16), then Taylor polynomials on |r| ≤ π/4
 * (truncation below 3e-8) and the quadrant k mod 4. Beyond |x| = 65536 the
 * reduction loses its exactness and the platform form is used.
 */
export function prelude(dtype: DType): string {
  if (dtype === 'int32') {
    return `alias T = i32;
fn rheo_isnan(x: T) -> bool { return false; }
fn rheo_div(a: T, b: T) -> T { return select(a / b, 0, b == 0); }`;
  }
  return `alias T = f32;
fn rheo_isnan(x: T) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn rheo_div(a: T, b: T) -> T { return a / b; }
fn rheo_tanh(x: f32) -> f32 {
  if (rheo_isnan(x)) { return x; }
  let ax = abs(x);
  if (ax < 0.25) {
    let z = x * x;
    return x * (1.0 + z * (-1.0 / 3.0 + z * (2.0 / 15.0 + z * (-17.0 / 315.0 + z * (62.0 / 2835.0)))));
  }
  let e = exp(-2.0 * ax);
  return sign(x) * ((1.0 - e) / (1.0 + e));
}
fn rheo_sincos_r(x: f32) -> vec2<f32> {
  let k = round(x * 0.63661977236758134);
  // Without reduction when k = 0 (|x| < π/4), where x itself is exact.
  let r = select(((x - k * 1.5703125) - k * 4.837512969970703125e-4) - k * 7.54978995489188216e-8, x, k == 0.0);
  let z = r * r;
  let s = r + r * z * (-1.0 / 6.0 + z * (1.0 / 120.0 + z * (-1.0 / 5040.0 + z * (1.0 / 362880.0))));
  let c = 1.0 - 0.5 * z + z * z * (1.0 / 24.0 + z * (-1.0 / 720.0 + z * (1.0 / 40320.0)));
  let q = i32(k) & 3;
  // (sin x, cos x) from (sin r, cos r) by the quadrant.
  if (q == 0) { return vec2<f32>(s, c); }
  if (q == 1) { return vec2<f32>(c, -s); }
  if (q == 2) { return vec2<f32>(-s, -c); }
  return vec2<f32>(-c, s);
}
fn rheo_sin(x: f32) -> f32 {
  if (!(abs(x) <= 65536.0)) { return sin(x); }
  // ±0 as given: the polynomial's r + r·z·p would turn −0 into +0.
  if (x == 0.0) { return x; }
  return rheo_sincos_r(x).x;
}
fn rheo_cos(x: f32) -> f32 {
  if (!(abs(x) <= 65536.0)) { return cos(x); }
  return rheo_sincos_r(x).y;
}
fn rheo_log1p(x: f32) -> f32 {
  if (x > -0.5 && x < 1.0) {
    let s = x / (2.0 + x);
    let z = s * s;
    return s * (2.0 + z * (2.0 / 3.0 + z * (2.0 / 5.0 + z * (2.0 / 7.0 + z * (2.0 / 9.0 + z * (2.0 / 11.0 + z * (2.0 / 13.0 + z * (2.0 / 15.0))))))));
  }
  return log(1.0 + x);
}`;
}

/** Bits of a number stored as `dtype`, for a uniform word (int32: truncated as an Int32Array store does). */
export function bitsOf(value: number, dtype: DType): number {
  if (dtype === 'int32') return Int32Array.of(value)[0]! >>> 0;
  return new Uint32Array(Float32Array.of(value).buffer)[0]!;
}

/**
 * Offsets of a flat index decomposed over `dims` (row-major), accumulated
 * with each operand's strides read from uniforms: emits `var o{k}` for each
 * operand. `dimWord(d)` and `strideWord(k, d)` give the uniform word indices;
 * `index` is the WGSL expression of the flat index (default `i`).
 */
export function stridedOffsets(rank: number, operands: number, dimWord: (d: number) => number, strideWord: (k: number, d: number) => number, index = 'i'): string {
  const lines: string[] = [`  var rest = ${index};`];
  for (let k = 0; k < operands; k++) lines.push(`  var o${k} = 0u;`);
  for (let d = rank - 1; d >= 0; d--) {
    // What is left of an in-range index is already below the outermost size: no division there.
    lines.push(d > 0 ? `  { let n = ${word(dimWord(d))}; let c = rest % n; rest = rest / n;` : '  { let c = rest;');
    for (let k = 0; k < operands; k++) lines.push(`    o${k} += c * ${word(strideWord(k, d))};`);
    lines.push('  }');
  }
  return lines.join('\n');
}
