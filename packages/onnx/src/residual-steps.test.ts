import { perturb } from '@rheo/flows/testing';
import { residualFlow, type FlowModel } from '@rheo/models';
import { key, normal, type TensorTree } from '@rheo/tensor';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';
import { ONNX_PROTO } from './onnx-proto.js';
import { nodeCount, runOnnx, worstError } from './test-support/ort-run.js';

const metadata = (bytes: Uint8Array): Record<string, string> => {
  const Model = protobuf.parse(ONNX_PROTO).root.lookupType('onnx.ModelProto');
  const m = Model.toObject(Model.decode(bytes)) as { metadataProps: { key: string; value: string }[] };
  return Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]));
};

describe('the residual flow inverse: a fixed number of fixed-point steps', () => {
  const m0 = residualFlow(key(3), 3, { blocks: 2, hidden: [16], coeff: 0.9 });
  const m = m0.initialize(normal(key(40), [64, 3])) as FlowModel;
  const params = perturb(m.params, key(42), 0.1) as TensorTree;
  const z = normal(key(43), [8, 3]);
  const want = m.flow.transform.inverse!(params as TensorTree[], m.buffers as never, z).dataSync();

  it('chosen from a tolerance and the Lipschitz bound, recorded, and as accurate as rheo', async () => {
    // Lip(g) ≤ 0.9² (two linear layers); ε = 1e-7 needs ⌈ln(1e-7·(1 − 0.81)) / ln 0.81⌉ steps.
    const lip = 0.9 ** 2;
    const n = Math.ceil(Math.log(1e-7 * (1 - lip)) / Math.log(lip));
    expect(n).toBe(85);
    const bytes = await exportOnnx(m, params, { graph: 'sample', fixedPointTolerance: 1e-7 });
    expect(metadata(bytes)['rheo.inverse']).toMatch(/^fixed point x ← y − g\(x\), 85 steps per block, unrolled; Lip\(g\) ≤ 0\.8100/);
    expect(worstError((await runOnnx(bytes, { z }))['x']!, want)).toBeLessThanOrEqual(1e-5);
  });

  it('too few steps: rows that have not converged come out NaN, and the graph is smaller', async () => {
    const few = await exportOnnx(m, params, { graph: 'sample', fixedPointSteps: 2 });
    const many = await exportOnnx(m, params, { graph: 'sample', fixedPointSteps: 60 });
    expect(metadata(few)['rheo.inverse']).toMatch(/2 steps per block/);
    const x = (await runOnnx(few, { z }))['x']!;
    expect(Array.from(x).some(Number.isNaN)).toBe(true);
    expect(worstError((await runOnnx(many, { z }))['x']!, want)).toBeLessThanOrEqual(1e-5);
    // Each step is one pass of g per block: the node count grows linearly in the steps.
    expect(nodeCount(many)).toBeGreaterThan(10 * nodeCount(few));
  });

  it('refuses step counts and tolerances that are not usable', async () => {
    await expect(exportOnnx(m, params, { graph: 'sample', fixedPointSteps: 0 })).rejects.toThrow(/exportOnnx\(options\.fixedPointSteps\): received 0; expected a positive integer/);
    await expect(exportOnnx(m, params, { graph: 'sample', fixedPointTolerance: 2 })).rejects.toThrow(/exportOnnx\(options\.fixedPointTolerance\): received 2; expected a number in \(0, 1\)/);
  });
});
