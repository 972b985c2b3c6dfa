import '../../webgpu/index.js';
import { afterAll, describe, expect, test } from 'vitest';
import * as T from '../../index.js';
import { matmulPrimitive } from '../../ops/matmul.js';
import type { Tensor } from '../../tensor.js';
import { rng } from '../../conformance/harness.js';
import { webgpuAdapterForTests } from './test-adapter.js';

/**
 * The CPU and WebGPU backends on the same random inputs: every primitive, at
 * sizes past the kernels' special cases (reductions longer than one
 * workgroup, strided broadcasting, a grid folded into y), special values, and
 * the gradients of one training step of a small MLP.
 */

const gpu = await webgpuAdapterForTests();


interface Input {
  readonly shape: number[];
  readonly values: Float32Array | Int32Array;
}

function floats(next: () => number, shape: number[], lo = -2, hi = 2): Input {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, values: Float32Array.from({ length: n }, () => lo + (hi - lo) * next()) };
}

function ints(next: () => number, shape: number[], lo: number, hi: number): Input {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, values: Int32Array.from({ length: n }, () => lo + Math.floor((hi - lo) * next())) };
}

const make = (x: Input): Tensor => T.tensor(x.values, x.shape, x.values instanceof Int32Array ? 'int32' : 'float32');

/** Runs `f` on fresh copies of the inputs on one backend and reads every output. */
async function on(backend: string, inputs: readonly Input[], f: (xs: Tensor[]) => Tensor | Tensor[]): Promise<{ shape: number[]; values: number[] }[]> {
  await T.setBackend(backend);
  const xs = inputs.map(make);
  const ys = T.tidy(() => {
    const y = f(xs);
    return Array.isArray(y) ? y : [y];
  });
  const out = [];
  for (const y of ys) out.push({ shape: [...y.shape], values: Array.from(await y.data()) });
  ys.forEach((y) => y.dispose());
  xs.forEach((x) => x.dispose());
  return out;
}

/** |gpu − cpu| ≤ atol + tol·|cpu|; NaN matches NaN, infinities match exactly. */
function expectAgree(label: string, got: { shape: number[]; values: number[] }[], want: { shape: number[]; values: number[] }[], tol: number, atol: number): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, k) => {
    const w = want[k]!;
    expect(g.shape, `${label}: shape of output ${k}`).toEqual(w.shape);
    for (let i = 0; i < w.values.length; i++) {
      const a = g.values[i]!, e = w.values[i]!;
      const ok = Number.isNaN(e) ? Number.isNaN(a) : Number.isFinite(e) ? Math.abs(a - e) <= atol + tol * Math.abs(e) : a === e;
      if (!ok) expect.fail(`${label}: output ${k} at ${i}: webgpu ${a}, cpu ${e}`);
    }
  });
}

async function agree(label: string, inputs: readonly Input[], f: (xs: Tensor[]) => Tensor | Tensor[], tol = 1e-5, atol = tol): Promise<void> {
  const want = await on('cpu', inputs, f);
  const got = await on('webgpu', inputs, f);
  expectAgree(label, got, want, tol, atol);
}

const UNARY: [string, (x: Tensor) => Tensor, number, number][] = [
  ['neg', T.neg, -3, 3], ['exp', T.exp, -3, 3], ['log', T.log, 0.1, 5], ['log1p', T.log1p, -0.9, 3], ['sqrt', T.sqrt, 0, 5],
  ['sin', T.sin, -6, 6], ['cos', T.cos, -6, 6], ['tanh', T.tanh, -4, 4], ['abs', T.abs, -3, 3], ['sign', T.sign, -3, 3], ['floor', T.floor, -5, 5],
];

const BINARY: [string, (a: Tensor, b: Tensor) => Tensor][] = [
  ['add', T.add], ['sub', T.sub], ['mul', T.mul], ['div', T.div], ['maximum', T.maximum], ['less', T.less], ['equal', T.equal],
];

/** dense(x, W) = x·W written as a broadcast product and a sum, so it runs on the kernels here. */
function dense(x: Tensor, w: Tensor): Tensor {
  const [b, k] = x.shape as [number, number];
  const n = w.shape[1]!;
  return T.sum(T.mul(T.reshape(x, [b, k, 1]), T.reshape(w, [1, k, n])), 1);
}

describe.skipIf(!gpu.available)(`CPU and WebGPU agree (${gpu.reason})`, () => {
  afterAll(async () => {
    await T.setBackend('cpu');
  });

  test.each(UNARY)('%s on [6, 37]', async (name, f, lo, hi) => {
    // log1p accuracy near 0 matters (softplus, log-sigmoid): half the inputs are tiny.
    const x = floats(rng(name.length), [6, 37], lo, hi);
    if (name === 'log1p') for (let i = 0; i < x.values.length; i += 2) x.values[i] = (x.values[i]! * 1e-4) / 3;
    // Relative to the CPU's value, plus 1e-6 absolute where sin, cos, tanh or log1p cross 0.
    await agree(name, [x], ([a]) => f(a!), 4e-6, 1e-6);
  });

  test.each(BINARY)('%s with broadcasting [4, 1, 6] ∘ [5, 1], [3, 5, 6] ∘ [], float32 and int32', async (name, f) => {
    const next = rng(name.charCodeAt(0));
    await agree(name, [floats(next, [4, 1, 6]), floats(next, [5, 1])], ([a, b]) => f(a!, b!));
    await agree(name, [floats(next, [3, 5, 6]), floats(next, [])], ([a, b]) => f(a!, b!));
    // Small integers make ties and exact zeros, so int32 division by zero is covered (0, as on the CPU).
    await agree(`${name} int32`, [ints(next, [4, 1, 6], -20, 20), ints(next, [5, 1], -3, 3)], ([a, b]) => f(a!, b!), 0);
  });

  test('special values: NaN, ±0 and ±∞ through sign, floor, maximum, less, equal, where and cast', async () => {
    const specials = Float32Array.from([NaN, 0, -0, Infinity, -Infinity, 1.5, -2.5, 3e9, -3e9, 2147483520]);
    const x: Input = { shape: [10], values: specials };
    const y: Input = { shape: [10], values: Float32Array.from([1, NaN, 0, -Infinity, 5, 1.5, NaN, -1, 0, -0]) };
    await agree('sign', [x], ([a]) => T.sign(a!), 0);
    await agree('floor', [x], ([a]) => T.floor(a!), 0);
    await agree('maximum', [x, y], ([a, b]) => [T.maximum(a!, b!), T.maximum(b!, a!)], 0);
    await agree('less', [x, y], ([a, b]) => [T.less(a!, b!), T.less(b!, a!)], 0);
    await agree('equal', [x, y], ([a, b]) => [T.equal(a!, b!), T.equal(a!, a!)], 0);
    await agree('where', [x, y], ([a, b]) => T.where(a!, a!, b!), 0);
    await agree('cast', [x], ([a]) => T.cast(T.cast(a!, 'int32'), 'float32'), 0);
    // Near 0 tanh and log1p keep their relative accuracy; exp flushes subnormals to 0, within 1e-30.
    const tiny: Input = { shape: [9], values: Float32Array.from([NaN, 1e-30, -1e-7, 1e-7, 3e-4, -0.2, 0.3, Infinity, -Infinity]) };
    await agree('tanh', [tiny], ([a]) => T.tanh(a!), 1e-6, 0);
    await agree('log1p', [tiny], ([a]) => T.log1p(a!), 1e-6, 0);
    await agree('max reduction', [x], ([a]) => [T.max(a!), T.max(T.slice(a!, [1], [5]))], 0);
  });

  test.each([
    ['sum [3, 70, 5] axis 1 (one workgroup per output)', [3, 70, 5], [1], false],
    ['sum [6, 5, 4] axes [0, 2] keepDims', [6, 5, 4], [0, 2], true],
    ['sum [1000] all', [1000], undefined, false],
    ['sum [0, 4] axis 0 (no terms)', [0, 4], [0], false],
  ] as const)('%s', async (_label, shape, axes, keepDims) => {
    const x = floats(rng(shape.length), [...shape]);
    await agree('sum', [x], ([a]) => [T.sum(a!, axes as number[] | undefined, keepDims), T.max(a!, axes as number[] | undefined, keepDims)], 1e-5);
    await agree('sum int32', [ints(rng(7), [...shape], -1000, 1000)], ([a]) => [T.sum(a!, axes as number[] | undefined), T.max(a!, axes as number[] | undefined)], 0);
  });

  test('movement: broadcastTo, permute, slice, pad, concat, gather, scatterAdd, cast', async () => {
    const next = rng(11);
    const x = floats(next, [2, 3, 4, 5]);
    await agree('broadcastTo', [floats(next, [3, 1, 5])], ([a]) => T.broadcastTo(a!, [2, 3, 4, 5]), 0);
    await agree('permute', [x], ([a]) => [T.permute(a!, [3, 1, 0, 2]), T.permute(a!, [0, 2, 1, 3])], 0);
    await agree('slice', [x], ([a]) => T.slice(a!, [1, 0, 1, 2], [1, 3, 2, 3]), 0);
    await agree('pad', [x], ([a]) => T.pad(a!, [[0, 1], [2, 0], [1, 1], [0, 0]], -1.5), 0);
    await agree('concat', [floats(next, [2, 1, 3]), floats(next, [2, 4, 3]), floats(next, [2, 0, 3]), floats(next, [2, 2, 3])], (xs) => T.concat(xs, 1), 0);
    const ids = ints(next, [3, 4], 0, 3);
    await agree('gather', [x, ids], ([a, i]) => T.gather(a!, i!, 1), 0);
    await agree('scatterAdd', [floats(next, [2, 3, 4, 5]), ids], ([u, i]) => T.scatterAdd(u!, i!, 1, 6), 1e-6);
    await agree('cast', [x], ([a]) => T.cast(T.cast(T.mul(a!, 1000), 'int32'), 'float32'), 0);
  });

  test('scans: cumsum, searchsorted, takeAlongAxis, scatterAddAlongAxis on many rows', async () => {
    const next = rng(13);
    const x = floats(next, [300, 9, 3]);
    await agree('cumsum', [x], ([a]) => [T.cumsum(a!, 1), T.cumsum(a!, 0, { reverse: true }), T.cumsum(a!, -1, { exclusive: true })], 1e-5, 1e-4);
    // Sorted rows of edges from a cumsum of positive widths; values beyond both ends, and exactly at edges.
    const edges = (a: Tensor) => T.cumsum(T.exp(a), -1);
    const at = ints(next, [200, 33], 0, 9);
    await agree('searchsorted', [floats(next, [200, 9]), floats(next, [200, 33], -2, 40), at], ([a, v, i]) => {
      const e = edges(a!);
      const ties = T.takeAlongAxis(e, i!);
      return [T.searchsorted(e, v!), T.searchsorted(e, v!, { right: true }), T.searchsorted(e, ties), T.searchsorted(e, ties, { right: true })];
    }, 0);
    const ids = ints(next, [500, 7], 0, 5);
    await agree('takeAlongAxis', [floats(next, [500, 5]), ids], ([a, i]) => T.takeAlongAxis(a!, i!), 0);
    await agree('scatterAddAlongAxis', [floats(next, [500, 7]), ids], ([u, i]) => T.scatterAddAlongAxis(u!, i!, 5), 1e-6);
  });

  test('a grid of more than 65535 workgroups folds into y', async () => {
    const n = 65535 * 64 + 1000;
    const x: Input = { shape: [n], values: Float32Array.from({ length: n }, (_, i) => i % 4093) };
    await agree('add', [x], ([a]) => T.add(a!, 0.5), 0);
  });

  const mlpStep = (layer: (x: Tensor, w: Tensor) => Tensor) => async () => {
    const next = rng(5);
    const inputs = [floats(next, [16, 3]), floats(next, [16, 2]), floats(next, [3, 8], -1, 1), floats(next, [8]), floats(next, [8, 2], -1, 1), floats(next, [2])];
    await agree(
      'mlp',
      inputs,
      ([x, y, w1, b1, w2, b2]) => {
        const loss = (p: Tensor[]): Tensor => {
          const h = T.tanh(T.add(layer(x!, p[0]!), p[1]!));
          return T.mean(T.square(T.sub(T.add(layer(h, p[2]!), p[3]!), y!)));
        };
        const [value, grads] = T.valueAndGrad(loss)([w1!, b1!, w2!, b2!]);
        return [value, ...grads];
      },
      1e-5,
    );
  };

  test('gradients of one training step of a 2-layer tanh MLP (layers as broadcast products and sums)', mlpStep(dense));

  // 68, 72 and 76 are multiples of 4 but not of the tile: the 64×64 tile with
  // vec4 reads of every operand, partial tiles, and a broadcast batch axis;
  // the gradients are products with the other transpose pairs, on that tile too.
  test.skipIf(!matmulPrimitive.wgsl).each([[false, false], [true, false], [false, true], [true, true]])(
    'value and gradients of a batched product on the 64×64 tile with vec4 reads (transposeA %s, transposeB %s)',
    async (tA, tB) => {
      const next = rng(9);
      const [m, k, n] = [68, 72, 76];
      const inputs = [floats(next, tA ? [2, k, m] : [2, m, k], -1, 1), floats(next, tB ? [n, k] : [k, n], -1, 1), floats(next, [2, m, n], -1, 1)];
      await agree('matmul gradients', inputs, ([a, b, w]) => {
        const loss = (p: Tensor[]) => T.sum(T.mul(T.matmul(p[0]!, p[1]!, { transposeA: tA, transposeB: tB }), w!));
        const [value, grads] = T.valueAndGrad(loss)([a!, b!]);
        return [value, ...grads];
      }, 1e-4);
    },
  );

  // Runs once matmul has a WGSL kernel; until then it is reported as skipped.
  test.skipIf(!matmulPrimitive.wgsl)('gradients of one training step of a 2-layer tanh MLP (layers as matmul)', mlpStep((x, w) => T.matmul(x, w)));
});
