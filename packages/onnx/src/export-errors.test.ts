import type { AnyTransform } from '@rheo/flows';
import { maf } from '@rheo/models';
import { add, key, normal, type Tensor } from '@rheo/tensor';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ExportError } from './errors.js';
import { exportOnnx } from './export-onnx.js';
import { exportTransformOnnx } from './export-transform.js';
import { ONNX_PROTO } from './onnx-proto.js';
import { checkWithOnnxChecker, pythonWithOnnx } from './test-support/ort-run.js';

// A layer y = x + c whose forward does something a static graph cannot hold.
function layer(kind: string, forward: (x: Tensor) => Tensor): () => AnyTransform {
  return () => ({
    kind, params: {}, buffers: null,
    forwardAndLogDet: (_p, _b, x) => ({ out: forward(x), logDet: normal(key(0), [x.shape[0]!]) }),
    inverseAndLogDet: (_p, _b, z) => ({ out: z, logDet: normal(key(0), [z.shape[0]!]) }),
  });
}

describe('layers that cannot export raise one line naming the layer and why', () => {
  it('a value read back into JS during the pass (a data-dependent loop)', async () => {
    const make = layer('peeking', (x) => add(x, x.dataSync()[0]!));
    const err = await exportTransformOnnx(make, {}, { features: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExportError);
    expect((err as Error).message).toMatch(/^layer \(peeking\) forward: reads tensor values back into JS during the pass/);
    expect((err as Error).message).not.toMatch(/\n/);
  });

  it('random numbers drawn inside the pass (a stochastic estimator)', async () => {
    const make = layer('noisy', (x) => add(x, normal(key(1), x.shape)));
    const err = await exportTransformOnnx(make, {}, { features: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExportError);
    expect((err as Error).message).toMatch(/^layer \(noisy\) forward: draws random numbers inside the pass/);
  });

  it('a constant computed in JS from the batch', async () => {
    const make = layer('batch-constant', (x) => add(x, normal(key(x.shape[0]!), [x.shape[0]!, 1])));
    const err = await exportTransformOnnx(make, {}, { features: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExportError);
  });
});

describe('the onnx checker is a real second validator', () => {
  it.runIf(pythonWithOnnx() !== null)('rejects a file whose node reads a tensor that does not exist', async () => {
    const bytes = await exportOnnx(maf(key(2), 3, { transforms: 1, hidden: [8] }));
    const Model = protobuf.parse(ONNX_PROTO).root.lookupType('onnx.ModelProto');
    const m = Model.toObject(Model.decode(bytes)) as { graph: { node: { input: string[] }[] } };
    m.graph.node[0]!.input[0] = 'missing_tensor';
    const broken = Model.encode(Model.fromObject(m)).finish();
    const failed = checkWithOnnxChecker(pythonWithOnnx()!, { good: bytes, broken });
    expect(Object.keys(failed)).toEqual(['broken']);
    expect(failed['broken']).toMatch(/missing_tensor/);
  });
});
