import { expect, test } from 'vitest';
import { randomUniformPrimitive } from '../ops/random-uniform.js';
import type { TensorInfo, WgslProgram } from '../primitive.js';
import type { TypedArray } from '../dtype.js';
import { describeGpu } from '../wgsl-testing/describe-gpu.js';
import { runProgram } from '../wgsl-testing/run-program.js';
import { THREEFRY_WGSL } from './threefry-wgsl.js';

/**
 * Known-answer vectors of Threefry-2x32-20 from Random123 (Salmon, Moraes,
 * Dror, Shaw 2011): [counter, key, output].
 */
const KAT: readonly (readonly number[])[] = [
  [0, 0, 0, 0, 0x6b200159, 0x99ba4efe],
  [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x1cb996fc, 0xbb002be7],
  [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xc4923a9c, 0x483df7a0],
];

// One invocation per vector: counter and key in, both words out (as i32 bits).
const KAT_PROGRAM: WgslProgram = {
  key: 'threefry-kat',
  source: `${THREEFRY_WGSL}
@group(0) @binding(0) var<storage, read> in0: array<i32>;
@group(0) @binding(1) var<storage, read_write> out: array<i32>;
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) wid: vec3<u32>) {
  let b = 4u * wid.x;
  let w = threefry2x32(vec2<u32>(u32(in0[b + 2u]), u32(in0[b + 3u])), vec2<u32>(u32(in0[b]), u32(in0[b + 1u])));
  out[2u * wid.x] = bitcast<i32>(w.x);
  out[2u * wid.x + 1u] = bitcast<i32>(w.y);
}
`,
  dispatch: [KAT.length, 1, 1],
};

const KEYS: readonly [number, number][] = [[0, 0], [0, 1], [0xdeadbeef, 0x12345678], [0xffffffff, 0xfffffffe]];

await describeGpu('Threefry-2x32-20 WGSL', (gpu) => {
  test('matches the Random123 known answers', async () => {
    const input = new Int32Array(KAT.flatMap((v) => v.slice(0, 4)));
    const out = await runProgram(gpu(), KAT_PROGRAM, [input], { shape: [2 * KAT.length], dtype: 'int32' });
    expect(Array.from(new Uint32Array(out.buffer))).toEqual(KAT.flatMap((v) => v.slice(4)));
  });

  // The words of a float32 array (the CPU's may be a view into a pooled block).
  const words = (a: TypedArray) => new Uint32Array(a.buffer, a.byteOffset, a.length);
  const uniformOnBoth = async (k0: number, k1: number, shape: number[]) => {
    const out: TensorInfo = { shape, dtype: 'float32' };
    const attrs = { k0, k1, shape };
    const gpuValues = await runProgram(gpu(), randomUniformPrimitive.wgsl!([], attrs, out), [], out);
    const cpuValues = randomUniformPrimitive.cpu([], attrs, out);
    return { gpuValues, cpuValues };
  };

  test.each(KEYS.flatMap((k) => [[...k, 1], [...k, 2], [...k, 7], [...k, 1000], [...k, 4097]]))(
    'randomUniform key (%i, %i), %i elements: bit-identical to the CPU kernel',
    async (k0, k1, n) => {
      const { gpuValues, cpuValues } = await uniformOnBoth(k0!, k1!, [n!]);
      expect(words(gpuValues)).toEqual(words(cpuValues));
    },
  );

  test('more counters than 65535 workgroups of 64 hold (dispatch folds into y), still bit-identical', async () => {
    const n = 2 * 65535 * 64 + 131; // 4 194 306 counter pairs, the last one half used
    const program = randomUniformPrimitive.wgsl!([], { k0: 3, k1: 5, shape: [n] }, { shape: [n], dtype: 'float32' });
    expect(program.dispatch[1]).toBeGreaterThan(1);
    const { gpuValues, cpuValues } = await uniformOnBoth(3, 5, [n]);
    const g = words(gpuValues), c = words(cpuValues);
    let mismatches = 0;
    for (let i = 0; i < n; i++) if (g[i] !== c[i]) mismatches++;
    expect(mismatches).toBe(0);
    expect(g[n - 1]).toBe(c[n - 1]);
  });
});
