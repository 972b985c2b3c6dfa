import '../../webgpu/index.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as T from '../../index.js';
import { BackendError } from '../../errors.js';
import type { Primitive } from '../../primitive.js';
import type { Tensor } from '../../tensor.js';
import { createWebGpuBackend, WebGpuBackend } from '../../webgpu/index.js';
import { webgpuAdapterForTests } from './test-adapter.js';

const gpu = await webgpuAdapterForTests();

/** dense(x, W) = x·W as a broadcast product and a sum. */
function dense(x: Tensor, w: Tensor): Tensor {
  return T.sum(T.mul(T.reshape(x, [x.shape[0]!, x.shape[1]!, 1]), T.reshape(w, [1, ...w.shape])), 1);
}

/** A test primitive that runs `wgsl` on the GPU and copies its input on the CPU. */
function testPrimitive(name: string, wgsl?: Primitive['wgsl']): Primitive {
  return { name, infer: ([x]) => x!, cpu: ([x]) => x!.values.slice(), ...(wgsl ? { wgsl } : {}) };
}

describe.skipIf(!gpu.available)(`WebGPU backend runtime (${gpu.reason})`, () => {
  let backend: WebGpuBackend;
  beforeAll(async () => {
    backend = (await T.setBackend('webgpu')) as WebGpuBackend;
  });
  afterAll(async () => {
    await T.setBackend('cpu');
  });

  test("setBackend('auto') prefers WebGPU, and the description names the adapter", async () => {
    expect((await T.setBackend('auto', { quiet: true })).name).toBe('webgpu');
    expect(T.backendInfo().description).toMatch(/^WebGPU \(.+\)$/);
  });

  test('200 steps of training a tiny MLP in tidy() hold GPU memory flat after the first steps', async () => {
    // Fixed inputs in [-1, 1] (a Weyl sequence), so the test needs no random kernels.
    const values = (n: number, phase: number): Float32Array => Float32Array.from({ length: n }, (_, i) => ((i * 0.618034 + phase) % 1) * 2 - 1);
    const x = T.tensor(values(16, 0.1), [8, 2]);
    const y = T.sin(T.sum(x, 1, true));
    let params = [T.tensor(values(12, 0.3), [2, 6]), T.zeros([6]), T.tensor(values(6, 0.7), [6, 1]), T.zeros([1])];
    const loss = (p: Tensor[]): Tensor => T.mean(T.square(T.sub(T.add(dense(T.tanh(T.add(dense(x, p[0]!), p[1]!)), p[2]!), p[3]!), y)));
    const first = (await T.tidy(() => loss(params)).data())[0]!;
    const seen: { buffers: number; bytes: number; pooled: number }[] = [];
    for (let step = 0; step < 200; step++) {
      const next = T.tidy(() => {
        const [, g] = T.valueAndGrad(loss)(params);
        return params.map((p, i) => T.sub(p, T.mul(g[i]!, 0.2)));
      });
      params.forEach((p) => p.dispose());
      params = next;
      const m = T.memory();
      seen.push({ buffers: m.buffers, bytes: m.bytes, pooled: m['pooledBuffers']! });
    }
    const last = (await T.tidy(() => loss(params)).data())[0]!;
    expect(last).toBeLessThan(first / 2);
    const warm = seen[9]!;
    for (const s of seen.slice(10)) {
      expect(s.buffers).toBe(warm.buffers);
      expect(s.bytes).toBe(warm.bytes);
    }
    // The pool stops growing too: later steps reuse the buffers earlier ones released. It settles
    // later than the live count, once the 64-dispatch batch boundaries have met every phase of a step.
    const peak = (from: number, to: number): number => Math.max(...seen.slice(from, to).map((s) => s.pooled));
    expect(peak(100, 200)).toBeLessThanOrEqual(peak(50, 100));
    params.forEach((p) => p.dispose());
    x.dispose();
    y.dispose();
  });

  test('ops are batched: 150 dependent adds are submitted in ceil(150 / 64) command buffers plus one for the read', async () => {
    const queue = backend.device.queue;
    const submit = queue.submit.bind(queue);
    let submits = 0;
    queue.submit = (buffers) => {
      submits++;
      submit(buffers);
    };
    try {
      await backend.flush();
      submits = 0;
      let t = T.zeros([4]);
      for (let i = 0; i < 150; i++) {
        const u = T.add(t, 1);
        t.dispose();
        t = u;
      }
      expect(submits).toBe(2);
      expect(Array.from(await t.data())).toEqual([150, 150, 150, 150]);
      expect(submits).toBe(3);
      t.dispose();
    } finally {
      queue.submit = submit;
    }
  });

  test('pipelines are cached by kernel, not by shape', () => {
    const before = T.memory()['pipelines']!;
    for (let n = 1; n <= 12; n++) {
      T.tidy(() => [T.add(T.ones([n, 3]), T.ones([3])), T.add(T.ones([n + 1, n]), T.ones([n + 1, 1]))]).forEach((t) => t.dispose());
    }
    expect(T.memory()['pipelines']! - before).toBeLessThanOrEqual(4);
  });

  test('a WGSL compile error becomes a BackendError naming the op, and the backend goes on working', async () => {
    const x = T.ones([3]);
    const y = T.run(testPrimitive('brokenKernel', () => ({ key: 'test:broken', source: 'fn main( {', dispatch: [1, 1, 1] })), [x], {});
    const e = await y.data().then(() => null, (err: unknown) => err);
    expect(e).toBeInstanceOf(BackendError);
    expect((e as Error).message).toMatch(/brokenKernel/);
    expect(Array.from(await T.add(x, 1).data())).toEqual([2, 2, 2]);
  });

  test('a validation error at dispatch becomes a BackendError naming the ops of the batch', async () => {
    const x = T.ones([3]);
    const source = '@group(0) @binding(0) var<storage, read> in0: array<f32>;\n@group(0) @binding(1) var<storage, read_write> out: array<f32>;\n@compute @workgroup_size(1) fn main() { out[0] = in0[0]; }';
    const limit = backend.device.limits.maxComputeWorkgroupsPerDimension;
    const y = T.run(testPrimitive('oversizedDispatch', () => ({ key: 'test:oversized', source, dispatch: [limit + 1, 1, 1] })), [x], {});
    await expect(y.data()).rejects.toThrow(/oversizedDispatch/);
    expect(Array.from(await T.mul(x, 3).data())).toEqual([3, 3, 3]);
  });

  test('a primitive with neither wgsl nor wgslExpr is refused by name', () => {
    const x = T.ones([2]);
    expect(() => T.run(testPrimitive('noKernelHere'), [x], {})).toThrow(/noKernelHere.*neither wgsl nor wgslExpr/);
  });

  test('gather and scatterAdd of out-of-range indices computed on the device fail the next read; uploaded indices are checked on the host', async () => {
    const x = T.tensor([[1, 2], [3, 4], [5, 6]]);
    const ids = T.cast(T.tensor([2, 7, -1, 0]), 'int32');
    await expect(T.gather(x, ids).data()).rejects.toThrow(/gather\(x, indices\): indices holds 7 at flat position 1; expected 0 <= index < 3.*computed on the device/);
    const ok = T.cast(T.tensor([2, 0]), 'int32');
    expect(Array.from(await T.gather(x, ok).data())).toEqual([5, 6, 1, 2]);
    T.scatterAdd(T.tensor([1, 1]), T.cast(T.tensor([0, 4]), 'int32'), 0, 3);
    await expect(backend.flush()).rejects.toThrow(/scatterAdd\(updates, indices\): indices holds 4 at flat position 1; expected 0 <= index < 3/);
    await backend.flush();
    expect(() => T.gather(x, T.tensor(Int32Array.of(0, 3), [2], 'int32'))).toThrow(/gather.*3.*\[3, 2\]/);
  });

  test('concat of more inputs than a shader can bind joins them in groups', async () => {
    const count = backend.device.limits.maxStorageBuffersPerShaderStage * 2 + 3;
    const parts = Array.from({ length: count }, (_, k) => T.tensor([[k], [100 + k]]));
    const y = T.concat(parts, 1);
    const expected = [...Array.from({ length: count }, (_, k) => k), ...Array.from({ length: count }, (_, k) => 100 + k)];
    expect(Array.from(await y.data())).toEqual(expected);
  });

  test('reads reuse their mappable buffers, and reads in flight at once never share one', async () => {
    // Five tensors of one size class (100, 90, 64, 100 and 128 floats round up to 512 bytes) read concurrently, three times.
    const sizes = [100, 90, 64, 100, 128];
    for (let round = 0; round < 3; round++) {
      const ts = sizes.map((n, k) => T.tensor(Float32Array.from({ length: n }, (_, i) => 1000 * k + i + round), [n]));
      const got = await Promise.all(ts.map((t) => T.mul(t, 2).data()));
      got.forEach((v, k) => expect(Array.from(v)).toEqual(Array.from({ length: sizes[k]! }, (_, i) => 2 * (1000 * k + i + round))));
      ts.forEach((t) => t.dispose());
    }
    // A kept buffer larger than the read: only the read's bytes come back.
    const small = T.tensor([7, 8, 9], [3]);
    expect(Array.from(await T.add(small, 1).data())).toEqual([8, 9, 10]);
    await backend.flush();
  });

  test('empty tensors run without zero-size dispatches or buffers', async () => {
    const e = T.zeros([0, 3]);
    expect(Array.from(await T.exp(T.add(e, T.ones([3]))).data())).toEqual([]);
    expect(Array.from(await T.sum(e, 0).data())).toEqual([0, 0, 0]);
    expect(Array.from(await T.max(e, 0).data())).toEqual([-Infinity, -Infinity, -Infinity]);
    await backend.flush();
  });

  test('after the device is lost, or the backend disposed, every call says so', async () => {
    const lost = await createWebGpuBackend();
    const s = lost.upload(Float32Array.of(1, 2), { shape: [2], dtype: 'float32' });
    lost.device.destroy();
    await lost.device.lost;
    expect(() => lost.upload(Float32Array.of(1), { shape: [1], dtype: 'float32' })).toThrow(/device was lost/);
    await expect(lost.read(s, { shape: [2], dtype: 'float32' })).rejects.toThrow(BackendError);
    lost.release(s);
    const disposed = await createWebGpuBackend();
    disposed.dispose();
    expect(() => disposed.upload(Float32Array.of(1), { shape: [1], dtype: 'float32' })).toThrow(/disposed/);
  });

  test('no adapter gives a BackendError saying so', async () => {
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    await expect(createWebGpuBackend({ gpu: noAdapter })).rejects.toThrow(/no adapter/);
  });
});
