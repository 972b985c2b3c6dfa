import type { TensorInfo, WgslProgram } from '../primitive.js';
import { sizeOf } from '../shape.js';

/**
 * Threefry-2x32-20 (Salmon et al. 2011, "Parallel random numbers: as easy as
 * 1, 2, 3") in WGSL, the same function as threefry.ts: WGSL u32 addition wraps
 * modulo 2^32 and shifts are logical, so every word is bit-identical to the JS
 * `>>> 0` arithmetic. The 20 rounds and 5 key injections are unrolled here with
 * their rotation constants, as the reference implementation does.
 */
const ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24] as const;
const PARITY = 0x1bd11bda;
const WORKGROUP = 64;

function rounds(): string {
  const ks = ['ks0', 'ks1', 'ks2'];
  let body = '';
  for (let i = 0; i < 20; i++) {
    const r = ROTATIONS[i & 7]!;
    body += `  x0 = x0 + x1; x1 = ((x1 << ${r}u) | (x1 >> ${32 - r}u)) ^ x0;\n`;
    if ((i & 3) === 3) {
      const s = (i + 1) >> 2;
      body += `  x0 = x0 + ${ks[s % 3]}; x1 = x1 + ${ks[(s + 1) % 3]} + ${s}u;\n`;
    }
  }
  return body;
}

/** WGSL function `threefry2x32(key, counter) -> vec2<u32>`, for kernels that draw their own words. */
export const THREEFRY_WGSL = /* wgsl */ `
fn threefry2x32(key: vec2<u32>, ctr: vec2<u32>) -> vec2<u32> {
  let ks0 = key.x; let ks1 = key.y; let ks2 = ${PARITY}u ^ ks0 ^ ks1;
  var x0 = ctr.x + ks0;
  var x1 = ctr.y + ks1;
${rounds()}  return vec2<u32>(x0, x1);
}
`;

const SOURCE = /* wgsl */ `${THREEFRY_WGSL}
struct Uniforms { key: vec2<u32>, n: u32, pairs: u32 }
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<uniform> u: Uniforms;

// Element i of the stream is word (i mod 2) of threefry2x32(key, (i / 2, 0)); as a float, (word >> 8) · 2^-24.
@compute @workgroup_size(${WORKGROUP}, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let j = (wid.x + nwg.x * (wid.y + nwg.y * wid.z)) * ${WORKGROUP}u + li;
  if (j >= u.pairs) { return; }
  let w = threefry2x32(u.key, vec2<u32>(j, 0u));
  out[2u * j] = f32(w.x >> 8u) * 5.9604644775390625e-8;
  if (2u * j + 1u < u.n) { out[2u * j + 1u] = f32(w.y >> 8u) * 5.9604644775390625e-8; }
}
`;

/** The WGSL program of randomUniform: one invocation per counter, i.e. per pair of outputs. */
export function randomUniformWgsl(k0: number, k1: number, out: TensorInfo): WgslProgram {
  const n = sizeOf(out.shape);
  const pairs = Math.ceil(n / 2);
  // Workgroup counts above 65535 per axis fold into y (65535² · 64 pairs is far beyond any buffer).
  const groups = Math.ceil(pairs / WORKGROUP);
  const x = Math.max(1, Math.min(groups, 65535));
  return {
    key: 'random-uniform-threefry',
    source: SOURCE,
    dispatch: [x, Math.max(1, Math.ceil(groups / x)), 1],
    uniforms: [k0 >>> 0, k1 >>> 0, n, pairs],
    workgroupSize: WORKGROUP,
  };
}
