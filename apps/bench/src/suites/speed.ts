import { join } from 'node:path';
import { ArgumentError, fold, key } from '@rheo/tensor';
import type { RunContext } from '../context.js';
import type { Dataset } from '@rheo/data';
import { datasetKind, loadDataset, toOriginalUnits, withLogit } from '../datasets.js';
import { mafFlow, saefGenerator, type BenchModel } from '../models.js';
import { imageGrid } from '@rheo/eval';
import { writePlot } from '@rheo/eval/node';
import type { Objective } from '../train-model.js';
import { trainAndMeasure } from './measure.js';

/**
 * Generation speed at equal dimension on images: a SAEF sampler needs ⌈d/k⌉
 * conditioner passes per sample, a MAF layer d. Both are trained briefly
 * (MAF by MLE, SAEF by energy) so that the sample grids mean something;
 * the throughput itself does not depend on training.
 */
export async function speedSuite(ctx: RunContext): Promise<void> {
  const o = ctx.options;
  if (o.dataset !== undefined && datasetKind(o.dataset) !== 'image') {
    throw new ArgumentError(`--dataset ${o.dataset}: the speed suite takes digits or mnist`);
  }
  const names = o.dataset !== undefined ? [o.dataset] : ctx.size({ quick: ['digits'], default: ['digits'], full: ['digits', 'mnist'] });
  const base = key(o.seed);
  for (const [di, name] of names.entries()) {
    const data = await loadDataset(name, o.dataDir, fold(base, 300 + di), { train: 0, test: 0 });
    // The same rows and dequantisation noise, logit-transformed: the usual input of a density model on images.
    const logitData = withLogit(data);
    const d = data.dim;
    const side = Math.round(Math.sqrt(d));
    // MNIST's 784 dimensions make every pass 12× the digits' cost: its long run uses a narrower network and
    // fewer energy steps (an energy step of SAEF k = 28 takes about 7 s on 2 cores at width 256).
    const large = d > 256;
    const hidden = ctx.size({ quick: [64], default: [128], full: large ? [256] : [512] });
    // Maximum-likelihood steps cost one network pass; energy steps cost ⌈d/k⌉ passes plus pairwise distances.
    const steps = ctx.steps({ quick: 10, default: 100, full: large ? 100 : 1500 });
    const mleSteps = ctx.steps({ quick: 10, default: 1000, full: large ? 2000 : 3000 });
    const runs: Array<[BenchModel, Objective, Dataset]> = [
      [mafFlow(fold(base, 21), d, { layers: 1, hidden }), 'mle', data],
      ...[side, 4 * side, d].map((k): [BenchModel, Objective, Dataset] => [saefGenerator(fold(base, 22), d, k, { layers: 1, hidden }), 'energy', data]),
      [{ ...mafFlow(fold(base, 23), d, { layers: 1, hidden }), name: 'maf-logit' }, 'mle', logitData],
    ];
    const grid = (x: Float32Array, file: string, title: string) => {
      const rel = join('plots', file);
      const n = Math.min(64, x.length / d);
      // Each pixel drawn as a z×z block, so 8×8 digits stay visible.
      const z = side < 16 ? 4 : 2;
      const big = new Float32Array(n * d * z * z);
      for (let i = 0; i < n; i++) {
        for (let r = 0; r < side * z; r++) {
          for (let c = 0; c < side * z; c++) big[i * d * z * z + r * side * z + c] = x[i * d + Math.floor(r / z) * side + Math.floor(c / z)]!;
        }
      }
      writePlot(join(o.out, rel), imageGrid({ data: big, rows: n, cols: d * z * z }, { width: side * z, height: side * z, columns: 8, background: 40 }));
      ctx.figure('speed', title, rel);
    };
    grid(data.test.data, `speed-${name}-data.png`, `${name}: test images`);
    for (const [mi, [model, objective, set]] of runs.entries()) {
      const m = await trainAndMeasure(ctx, 'speed', set, model, objective, fold(base, 1000 * di + mi), {
        steps: objective === 'mle' ? mleSteps : steps, batch: 64, lr: 1e-3, samples: ctx.size({ quick: 64, default: 512, full: 1024 }), metricRows: ctx.size({ quick: 32, default: 256, full: 256 }), nllRows: 500, withMmd: false, originalUnits: true,
      });
      ctx.add('speed', { dataset: name, model: model.name, objective, metric: 'network_passes', value: model.samplePasses, unit: 'passes/sample' });
      grid(toOriginalUnits(set, m.samples), `speed-${name}-${model.name}.png`, `${name}: ${model.name} / ${objective} samples`);
    }
  }
  ctx.note('speed', 'Sampling throughput at equal dimension: MAF inverts one dimension per pass (d passes); SAEF with block size k needs ⌈d/k⌉. Pixels are dequantised to [0, 1) (pixel + uniform noise, divided by the number of grey levels); maf-logit is trained on logit(α + (1 − 2α)x) of the same pixels. Energy distances are in pixel units / levels for every model; bits/dim are of the discrete pixels, with the dequantisation and logit corrections.');
}
