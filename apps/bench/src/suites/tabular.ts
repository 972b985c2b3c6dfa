import { ArgumentError, fold, key } from '@rheo/tensor';
import type { RunContext } from '../context.js';
import { datasetKind, loadDataset, TABULAR_NAMES } from '../datasets.js';
import { couplingFlow, mafFlow, residualFlow, saefGenerator, type BenchModel } from '../models.js';
import type { Objective } from '../train-model.js';
import { trainAndMeasure } from './measure.js';

/** Block sizes compared for SAEF: from nearly autoregressive to one pass. */
function blockSizes(d: number, quick: boolean): number[] {
  if (quick) return [Math.ceil(d / 2)];
  return [...new Set([Math.max(1, Math.floor(d / 4)), Math.ceil(d / 2), d])];
}

/**
 * POWER and MINIBOONE (MAF preprocessing) × {MAF and RealNVP by MLE, MAF by
 * energy, SAEF samplers at several block sizes, a residual flow}: sample
 * quality (energy distance, MMD), test NLL, sampling throughput.
 */
export async function tabularSuite(ctx: RunContext): Promise<void> {
  const o = ctx.options;
  if (o.dataset !== undefined && datasetKind(o.dataset) !== 'tabular') {
    throw new ArgumentError(`--dataset ${o.dataset}: the tabular suite takes ${TABULAR_NAMES.join(', ')} or npy:DIR`);
  }
  const names = o.dataset !== undefined ? [o.dataset] : ctx.size({ quick: [...TABULAR_NAMES], default: [...TABULAR_NAMES], full: [...TABULAR_NAMES] });
  const steps = ctx.steps({ quick: 30, default: 300, full: 3000 });
  const slowSteps = ctx.steps({ quick: 10, default: 100, full: 1000 });
  const energyMafSteps = ctx.steps({ quick: 3, default: 25, full: 300 });
  const quick = o.size === 'quick';
  const base = key(o.seed);
  for (const [di, name] of names.entries()) {
    const data = await loadDataset(name, o.dataDir, fold(base, 200 + di), { train: 0, test: 0 });
    if (data.note) ctx.note('tabular', `${data.name}: ${data.note}`);
    const d = data.dim;
    const size = { layers: quick ? 2 : 5, hidden: d > 20 ? [128, 128] : [64, 64] };
    // Sampling MAF costs d passes per layer and the energy objective pays it every step: fewer steps at large d.
    const mafEnergySteps = d > 20 ? energyMafSteps : slowSteps;
    const runs: Array<[BenchModel, Objective, number, number]> = [
      [mafFlow(fold(base, 11), d, size), 'mle', steps, 256],
      [couplingFlow(fold(base, 12), d, size), 'mle', steps, 256],
      [mafFlow(fold(base, 11), d, { layers: 2, hidden: size.hidden }), 'energy', mafEnergySteps, 64],
      ...blockSizes(d, quick).map((k): [BenchModel, Objective, number, number] => [saefGenerator(fold(base, 13), d, k, { layers: 1, hidden: size.hidden }), 'energy', steps, 128]),
      [residualFlow(fold(base, 14), d, { layers: quick ? 1 : 3, hidden: [64, 64] }), 'mle', slowSteps, 128],
    ];
    for (const [mi, [model, objective, s, batch]] of runs.entries()) {
      await trainAndMeasure(ctx, 'tabular', data, model, objective, fold(base, 1000 * di + mi), {
        steps: s, batch, lr: 1e-3, samples: quick ? 300 : 1000, metricRows: quick ? 300 : 1000, nllRows: quick ? 300 : 2000, withMmd: true,
      });
    }
  }
  ctx.note('tabular', 'Energy distance and MMD (Gaussian kernels, bandwidths 0.5, 1, 2 × √d) between 1000 model samples and 1000 test rows in standardised units; NLL on up to 2000 test rows. Energy-trained models are judged by their samples: their likelihood (where one exists) is not what they optimise and may be poor. train_nll_nats is the mean NLL of the last 20 training batches: far below the test NLL, it marks overfitting.');
}
