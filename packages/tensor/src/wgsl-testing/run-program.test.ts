import { expect, test } from 'vitest';
import { BackendError } from '../errors.js';
import type { WgslProgram } from '../primitive.js';
import { describeGpu } from './describe-gpu.js';
import { runProgram } from './run-program.js';

// out[i] = in0[i] · s + f32(in1[i]) + f32(u.w) with s = bitcast<f32>(u.scale):
// checks binding order, mixed element types and the u32 uniform words.
const AXPY: WgslProgram = {
  key: 'test-axpy',
  source: `
struct U { n: u32, scale: u32, pad: u32, w: u32, tail: u32 }
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read> in1: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> u: U;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  if (g.x >= u.n) { return; }
  out[g.x] = in0[g.x] * bitcast<f32>(u.scale) + f32(in1[g.x]) + f32(u.w) + f32(u.tail);
}
`,
  dispatch: [2, 1, 1],
  uniforms: [100, new Uint32Array(new Float32Array([0.5]).buffer)[0]!, 0, 3, 0],
};

await describeGpu('test runner', (gpu) => {
  test('binds inputs, output and uniform words in contract order', async () => {
    const x = Float32Array.from({ length: 100 }, (_, i) => i), y = Int32Array.from({ length: 100 }, (_, i) => -i);
    const out = await runProgram(gpu(), AXPY, [x, y], { shape: [100], dtype: 'float32' });
    expect(Array.from(out)).toEqual(Array.from({ length: 100 }, (_, i) => i * 0.5 - i + 3));
  });

  test('a shader that does not compile throws a BackendError naming the program', async () => {
    const bad = { ...AXPY, key: 'test-broken', source: AXPY.source.replace('bitcast<f32>(u.scale)', 'undefined_name') };
    await expect(runProgram(gpu(), bad, [new Float32Array(4), new Int32Array(4)], { shape: [4], dtype: 'float32' }))
      .rejects.toThrow(BackendError);
    await expect(runProgram(gpu(), bad, [new Float32Array(4), new Int32Array(4)], { shape: [4], dtype: 'float32' }))
      .rejects.toThrow(/test-broken/);
  });
});
