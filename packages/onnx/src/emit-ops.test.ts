import {
  abs, add, broadcastTo, cast, concat, cos, cumsum, div, equal, exp, floor, gather, less, log, log1p, matmul, matmulBias, max, maximum, mul, neg, pad,
  permute, PRIMITIVES, reshape, scatterAdd, scatterAddAlongAxis, searchsorted, sign, sin, slice, sqrt, sub, sum, takeAlongAxis, sigmoid, tanh, tensor,
  where, type Tensor,
} from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { EXPORTED_PRIMITIVES } from './emit-ops.js';
import { exportPass } from './export-pass.js';
import { checkWithOnnxChecker, pythonWithOnnx, runOnnx, worstError } from './test-support/ort-run.js';

// Inputs [n, 4] with negatives, zeros, values on the spline edges below, a NaN and both infinities.
const ROWS = [
  [0.3, -1.2, 2.5, 0], [-0.5, 1, -2, 0.75], [1e-7, -3.5, 0.5, 1.5], [NaN, 4, -0.25, 2], [Infinity, -Infinity, 1, -1],
];
const idx = (v: number[], shape: number[]) => tensor(Int32Array.from(v), shape, 'int32');
const W = () => tensor([[0.5, -1, 2, 0.25], [1, 0, -0.5, 3], [-2, 1, 1, 0.5]]);
const clean = (x: Tensor) => where(equal(x, x), where(less(abs(x), 1e30), x, 0), 0); // NaN and ±∞ → 0

// Each primitive through the one- or two-line compositions that reach it, batch [n, 4] in, one tensor out.
const OPS: Array<[string, (x: Tensor) => Tensor]> = [
  ['neg', neg], ['exp', (x) => exp(clean(x))], ['log', (x) => log(add(abs(clean(x)), 0.1))], ['log1p', (x) => log1p(abs(clean(x)))],
  ['sqrt', (x) => sqrt(abs(x))], ['sin', (x) => sin(clean(x))], ['cos', (x) => cos(clean(x))], ['tanh', tanh], ['sigmoid', sigmoid], ['abs', abs], ['sign', sign],
  ['floor', floor], ['add', (x) => add(x, tensor([1, 2, 3, 4]))], ['sub', (x) => sub(tensor([1, 2, 3, 4]), x)], ['mul', (x) => mul(x, x)],
  ['div', (x) => div(clean(x), tensor([1, -2, 4, 0.5]))], ['maximum', (x) => maximum(clean(x), 0.5)], ['less', (x) => less(x, 0.5)],
  ['equal', (x) => equal(x, 0.5)], ['where', (x) => where(less(x, 0), x, mul(x, 2))],
  ['sum', (x) => sum(clean(x), 1)], ['sum keepDims', (x) => sum(clean(x), [0, 1], true)], ['max', (x) => max(clean(x), 1, true)],
  ['matmul', (x) => matmul(clean(x), W(), { transposeB: true })], ['matmul transposeA', (x) => matmul(clean(x), clean(x), { transposeA: true })],
  ['matmulBias', (x) => matmulBias(clean(x), W(), tensor([0.5, -1, 2]), { transposeB: true })],
  ['cumsum', (x) => cumsum(clean(x), 1)], ['cumsum exclusive reverse', (x) => cumsum(clean(x), 1, { exclusive: true, reverse: true })],
  ['searchsorted', (x) => cast(searchsorted(tensor([-2, 0, 0.5, 1.5]), x), 'float32')],
  ['searchsorted right, per row', (x) => cast(searchsorted(broadcastTo(tensor([[-2, 0, 0.5, 1.5]]), [x.shape[0]!, 4]), x, { right: true }), 'float32')],
  ['reshape', (x) => reshape(x, [-1, 2, 2])], ['broadcastTo', (x) => broadcastTo(reshape(x, [-1, 1, 4]), [x.shape[0]!, 3, 4])],
  ['permute', (x) => permute(reshape(x, [-1, 2, 2]), [2, 0, 1])], ['slice', (x) => slice(x, [1, 1], [-1, 2])],
  ['pad', (x) => pad(x, [[0, 0], [1, 2]], -3)], ['concat', (x) => concat([x, neg(x)], 1)],
  ['gather', (x) => gather(x, idx([3, 0, 0, 2], [2, 2]), 1)], ['scatterAdd', (x) => scatterAdd(x, idx([2, 0, 2, 1], [4]), 1, 3)],
  ['takeAlongAxis', (x) => takeAlongAxis(x, cast(mul(less(x, 0.5), 3), 'int32'))],
  ['scatterAddAlongAxis', (x) => scatterAddAlongAxis(x, cast(mul(less(x, 0.5), 4), 'int32'), 5)],
  ['cast', (x) => cast(cast(mul(clean(x), 3), 'int32'), 'float32')],
];

const files: Record<string, Uint8Array> = {};

describe('each primitive exported alone runs in onnxruntime-node as on rheo\'s CPU', () => {
  it('the table covers every primitive but randomUniform, which no exported pass may draw', () => {
    const names = new Set(OPS.map(([n]) => n.split(' ')[0]));
    const missing = PRIMITIVES.map((p) => p.name).filter((n) => n !== 'randomUniform' && !names.has(n));
    expect(missing).toEqual([]);
    expect([...EXPORTED_PRIMITIVES].sort()).toEqual(PRIMITIVES.map((p) => p.name).filter((n) => n !== 'randomUniform').sort());
  });

  it.each(OPS)('%s', async (_name, op) => {
    const bytes = await exportPass((s) => {
      s.beginPass();
      return { y: op(s.input('x', [4])) };
    }, { graphName: 'op', producerVersion: '', docString: '', metadata: {} });
    files[_name] = bytes;
    for (const rows of [ROWS, ROWS.slice(0, 2)]) {
      const x = tensor(rows);
      const want = op(x).dataSync();
      const got = (await runOnnx(bytes, { x }))['y']!;
      expect(worstError(got, want)).toBeLessThanOrEqual(1e-6);
    }
  });
});

describe('the op graphs', () => {
  it.runIf(pythonWithOnnx() !== null || process.env['CI'] === 'true')('pass onnx.checker.check_model(full_check=True)', () => {
    const python = pythonWithOnnx();
    if (python === null) throw new Error('python3 with the onnx package (Debian python3-onnx) is required under CI=true');
    expect(Object.keys(files)).toHaveLength(OPS.length);
    expect(checkWithOnnxChecker(python, files)).toEqual({});
  });
});
