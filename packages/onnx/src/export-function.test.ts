import { mlp, type LinearParams } from '@rheo/nn';
import { concat, key, mul, normal, sum, type Tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { exportFunctionOnnx } from './export-function.js';
import { checkWithOnnxChecker, pythonWithOnnx, runOnnx, worstError } from './test-support/ort-run.js';

/** |ORT − rheo CPU| ≤ TOL·(1 + |rheo CPU|) for every output value. */
const TOL = 1e-5;

const files: Record<string, Uint8Array> = {};

describe('exportFunctionOnnx', () => {
  const net = mlp(key(1), [8, 32, 32, 3]);

  it('exports an nn MLP that onnxruntime-node evaluates as rheo does on the CPU, at any batch', async () => {
    const bytes = await exportFunctionOnnx((p: LinearParams[], { x }) => ({ y: net.apply(p, x!) }), net.params, { inputs: { x: [8] }, name: 'mlp' });
    files['mlp'] = bytes;
    for (const n of [5, 1, 64]) {
      const x = normal(key(10 + n), [n, 8]);
      const got = await runOnnx(bytes, { x });
      expect(Object.keys(got)).toEqual(['y']);
      expect(got['y']!.length).toBe(n * 3);
      expect(worstError(got['y']!, net.apply(net.params, x).dataSync())).toBeLessThanOrEqual(TOL);
    }
  });

  it('takes several inputs and returns several outputs, each with the batch first', async () => {
    const fn = (p: LinearParams[], { a, b }: Readonly<Record<string, Tensor>>) => {
      const y = net.apply(p, concat([a!, b!], 1));
      return { y, energy: sum(mul(y, y), [1]) };
    };
    const bytes = await exportFunctionOnnx(fn, net.params, { inputs: { a: [5], b: [3] } });
    files['two inputs'] = bytes;
    const a = normal(key(3), [7, 5]), b = normal(key(4), [7, 3]);
    const got = await runOnnx(bytes, { a, b });
    const want = fn(net.params, { a, b });
    expect(got['energy']!.length).toBe(7);
    expect(worstError(got['y']!, want.y.dataSync())).toBeLessThanOrEqual(TOL);
    expect(worstError(got['energy']!, want.energy.dataSync())).toBeLessThanOrEqual(TOL);
  });

  it('rejects bad options and functions a static graph cannot hold, in one line naming the cause', async () => {
    const ok = (p: LinearParams[], { x }: Readonly<Record<string, Tensor>>) => ({ y: net.apply(p, x!) });
    await expect(exportFunctionOnnx(ok, net.params, { inputs: {} })).rejects.toThrow(/exportFunctionOnnx\(options\.inputs\): expected at least one input/);
    await expect(exportFunctionOnnx(ok, net.params, { inputs: { x: [0] } })).rejects.toThrow(/options\.inputs\.x\): received \[0\]; expected an event shape of positive integers/);
    await expect(exportFunctionOnnx(ok, net.params, { inputs: { '1x': [8] } })).rejects.toThrow(/received the input name "1x"/);
    await expect(exportFunctionOnnx(() => ({}), net.params, { inputs: { x: [8] } })).rejects.toThrow(/expected the function to return its outputs by name/);
    await expect(exportFunctionOnnx((_p, { x }) => ({ x: x! }), net.params, { inputs: { x: [8] } })).rejects.toThrow(/output name "x"; expected .* distinct from the inputs' names/);
    const reads = (p: LinearParams[], { x }: Readonly<Record<string, Tensor>>) => {
      const y = net.apply(p, x!);
      return y.dataSync()[0]! > 0 ? { y } : { y: mul(y, 2) };
    };
    await expect(exportFunctionOnnx(reads, net.params, { inputs: { x: [8] } })).rejects.toThrow(/function: reads tensor values back into JS/);
  });

  it('writes files that pass onnx.checker.check_model(full_check=True) where python3-onnx is installed', (ctx) => {
    const python = pythonWithOnnx();
    if (python === null) {
      if (process.env['CI'] === 'true') throw new Error('python3 with the onnx package (Debian python3-onnx) is required under CI=true');
      console.log('skipped: no python3 with the onnx package (apt-get install python3-onnx) to run onnx.checker');
      ctx.skip();
      return;
    }
    expect(Object.keys(files)).toEqual(['mlp', 'two inputs']);
    expect(checkWithOnnxChecker(python, files)).toEqual({});
  });
});
