import * as ort from 'onnxruntime-node';
import { perturb } from '@rheo/flows/testing';
import type { FlowModel } from '@rheo/models';
import { exportOnnx, type GraphKind } from '@rheo/onnx';
import { BackendError, fold, key, normal, tidy, type Tensor, type TensorTree } from '@rheo/tensor';
import type { RunContext } from '../context.js';
import { medianMs } from '../kernels/timing.js';
import { couplingFlow, mafFlow, nsfFlow, residualFlow, saefGenerator, type BenchModel } from '../models.js';
import { progress } from '../progress.js';

/** |ORT − rheo| ≤ PARITY·(1 + |rheo|), checked before anything is timed. */
const PARITY = 1e-4;

/**
 * The bench's models exported with @rheo/onnx and run by onnxruntime-node at 1 and 2 threads,
 * beside rheo's CPU backend on the same inputs: density (logProb) and sampling (the sample graph,
 * its noise an input) in rows per second, and the file size. Throughput does not depend on the
 * parameters, so the models are not trained; their parameters are moved off initialisation
 * (ActNorm from data, N(0, 0.05²) noise) and the two results are checked to agree first.
 */
export async function onnxSuite(ctx: RunContext): Promise<void> {
  const o = ctx.options;
  const quick = o.size === 'quick';
  const base = key(o.seed);
  const batch = quick ? 256 : 1024;
  const repeats = quick ? 3 : 10;
  // The toy suite's 2-D models and the tabular suite's at d = 8 (GAS).
  // The --quick run leaves out the residual flow, whose unrolled fixed-point sampler takes most of the suite's time.
  const models: Array<[string, BenchModel]> = [
    ['toy (d=2)', couplingFlow(fold(base, 1), 2, { layers: 8, hidden: [64, 64] })],
    ['toy (d=2)', nsfFlow(fold(base, 4), 2, { layers: 5, hidden: [64, 64] })],
    ...(quick ? [] : [['toy (d=2)', residualFlow(fold(base, 3), 2, { layers: 8, hidden: [64, 64], coeff: 0.98 })] as [string, BenchModel]]),
    ['toy (d=2)', saefGenerator(fold(base, 2), 2, 1, { layers: 1, hidden: [64, 64] })],
    ['tabular (d=8)', mafFlow(fold(base, 11), 8, { layers: 5, hidden: [64, 64] })],
    ['tabular (d=8)', couplingFlow(fold(base, 12), 8, { layers: 5, hidden: [64, 64] })],
    ['tabular (d=8)', saefGenerator(fold(base, 13), 8, 4, { layers: 1, hidden: [64, 64] })],
  ];
  const bar = progress('onnx', models.length);
  for (const [mi, [dataset, bm]] of models.entries()) {
    if (!ctx.wants(bm.name, '-')) continue;
    const d = bm.model.features;
    const x = normal(fold(base, 500 + mi), [batch, d]);
    const model = bm.model.kind === 'flow' ? bm.model.initialize(x) : bm.model;
    const params = perturb(model.params, fold(base, 600 + mi), 0.05);
    const z = normal(fold(base, 700 + mi), [batch, d]);
    const graphs: GraphKind[] = model.kind === 'flow' ? ['logProb', 'sample'] : ['sample'];
    for (const graph of graphs) {
      const input = graph === 'logProb' ? x : z;
      const rheo = (): Tensor => tidy(() => {
        if (model.kind === 'sampler') return model.generateWith!(params, input);
        const f = (model as FlowModel).flow;
        return graph === 'logProb' ? model.logProb(input, { params }) : f.transform.inverse!(params as TensorTree[], model.buffers as never, input);
      });
      const bytes = await exportOnnx(model, params, { graph });
      const want = rheo().dataSync();
      const metric = graph === 'logProb' ? 'density' : 'sample';
      const row = { dataset, model: bm.name, objective: '-' };
      ctx.add('onnx', { ...row, metric: `${metric}_file_kib`, value: bytes.length / 1024, unit: 'KiB' });
      const rheoMs = await medianMs(() => rheo().dataSync(), 1, repeats);
      ctx.add('onnx', { ...row, metric: `${metric}_rows_per_s_rheo_cpu`, value: batch / (rheoMs / 1000), unit: 'rows/s' });
      for (const threads of [1, 2]) {
        const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1 });
        const feeds = { [graph === 'logProb' ? 'x' : 'z']: new ort.Tensor('float32', Float32Array.from(input.dataSync()), [batch, d]) };
        const got = Object.values(await session.run(feeds))[0]!.data as Float32Array;
        let worst = 0;
        for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
        if (!(worst <= PARITY)) throw new BackendError(`${bm.name} ${graph}: onnxruntime and rheo differ by ${worst} relative (expected ≤ ${PARITY})`);
        const ortMs = await medianMs(() => session.run(feeds), 1, repeats);
        ctx.add('onnx', { ...row, metric: `${metric}_rows_per_s_ort_${threads}t`, value: batch / (ortMs / 1000), unit: 'rows/s' });
        await session.release();
      }
    }
    bar.update(mi + 1, bm.name);
  }
  bar.finish();
  ctx.note('onnx', `Batches of ${batch} rows, medians of ${repeats} runs after one warm-up. rheo runs on its CPU backend; onnxruntime-node runs the file @rheo/onnx exported (opset 17) with 1 and 2 intra-op threads. Untrained parameters: throughput does not depend on them. Residual flows sample by 100 fixed-point steps per block in the file, and by steps until the tolerance is met in rheo.`);
}
