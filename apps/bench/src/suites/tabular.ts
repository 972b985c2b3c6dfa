import { sliceRows, type Dataset } from '@rheo/data';
import { ArgumentError, fold, key } from '@rheo/tensor';
import type { RunContext } from '../context.js';
import { datasetKind, loadDataset, TABULAR_NAMES } from '../datasets.js';
import { couplingFlow, mafFlow, residualFlow, saefGenerator, type BenchModel } from '../models.js';
import { nsfFlow } from '../models.js';
import type { Objective } from '../train-model.js';
import { trainAndMeasure } from './measure.js';

/**
 * Published test log-likelihoods (nats) on the full MAF splits, with their
 * training-set sizes, so a reader sees how much of a gap is data and how much
 * training: MAF (5) and Real NVP (5) from Papamakarios, Pavlakou & Murray 2017
 * (arXiv:1705.07057), Table 2; RQ-NSF (C) from Durkan, Bekasov, Murray &
 * Papamakarios 2019 (arXiv:1906.04032), Table 1.
 */
const MAF_PAPER = 'nats (MAF paper, Table 2, 5 layers)';
const NSF_PAPER = 'nats (NSF paper, Table 1, RQ-NSF (C))';
const PUBLISHED: Readonly<Record<string, { readonly trainRows: number; readonly ll: Readonly<Record<string, readonly [number, string]>> }>> = {
  power: { trainRows: 1_659_917, ll: { maf: [0.14, MAF_PAPER], realnvp: [-0.02, MAF_PAPER], nsf: [0.64, NSF_PAPER] } },
  miniboone: { trainRows: 29_556, ll: { maf: [-11.75, MAF_PAPER], realnvp: [-13.55, MAF_PAPER], nsf: [-9.67, NSF_PAPER] } },
};

/** The data set with a validation split: its own, or the last 10% of the training rows when it has none (MINIBOONE here). */
function withValidation(d: Dataset): Dataset {
  if (d.val) return d;
  const cut = Math.floor(d.train.rows * 0.9);
  return { ...d, train: sliceRows(d.train, 0, cut), val: sliceRows(d.train, cut, d.train.rows) };
}

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
  const steps = ctx.steps({ quick: 30, default: 300, full: 50000 });
  const budgetMs = ctx.budgetMs(15);
  const slowSteps = ctx.steps({ quick: 10, default: 100, full: 1000 });
  const energyMafSteps = ctx.steps({ quick: 3, default: 25, full: 300 });
  const quick = o.size === 'quick';
  const base = key(o.seed);
  for (const [di, name] of names.entries()) {
    const loaded = await loadDataset(name, o.dataDir, fold(base, 200 + di), { train: 0, test: 0 });
    if (loaded.note) ctx.note('tabular', `${loaded.name}: ${loaded.note}`);
    if (!loaded.val) ctx.note('tabular', `${loaded.name}: the last 10% of its training rows are held out for validation and early stopping.`);
    const data = withValidation(loaded);
    const d = data.dim;
    const size = { layers: quick ? 2 : 5, hidden: d > 20 ? [128, 128] : [64, 64] };
    // Sampling MAF costs d passes per layer and the energy objective pays it every step: fewer steps at large d.
    const mafEnergySteps = d > 20 ? energyMafSteps : slowSteps;
    const runs: Array<[BenchModel, Objective, number, number]> = [
      [mafFlow(fold(base, 11), d, size), 'mle', steps, 256],
      [couplingFlow(fold(base, 12), d, size), 'mle', steps, 256],
      // The spline's many small elementwise ops cost about 1 s a step at d = 43: the default run keeps NSF to POWER.
      ...(d <= 20 || o.size !== 'default' ? [[nsfFlow(fold(base, 15), d, size), 'mle', steps, 256] as [BenchModel, Objective, number, number]] : []),
      [mafFlow(fold(base, 11), d, { layers: 2, hidden: size.hidden }), 'energy', mafEnergySteps, 64],
      ...blockSizes(d, quick).map((k): [BenchModel, Objective, number, number] => [saefGenerator(fold(base, 13), d, k, { layers: 1, hidden: size.hidden }), 'energy', steps, 128]),
      [residualFlow(fold(base, 14), d, { layers: quick ? 1 : 3, hidden: [64, 64] }), 'mle', slowSteps, 128],
    ];
    for (const [mi, [model, objective, s, batch]] of runs.entries()) {
      if (!ctx.wants(model.name, objective)) continue;
      await trainAndMeasure(ctx, 'tabular', data, model, objective, fold(base, 1000 * di + mi), {
        steps: s, batch, lr: 1e-3, samples: quick ? 300 : 1000, metricRows: quick ? 300 : 1000, nllRows: quick ? 300 : o.size === 'full' ? data.test.rows : 2000, withMmd: true,
        validation: { every: ctx.size({ quick: 10, default: 50, full: 250 }), patience: ctx.size({ quick: 3, default: 5, full: 10 }) },
        ...(budgetMs !== undefined ? { budgetMs } : {}),
      });
      const published = PUBLISHED[name]?.ll[model.name];
      if (objective === 'mle' && published !== undefined) {
        const row = (metric: string, value: number, unit: string) => ctx.add('tabular', { dataset: data.name, model: model.name, objective, metric, value, unit });
        const nll = ctx.rows.find((r) => r.suite === 'tabular' && r.dataset === data.name && r.model === model.name && r.objective === objective && r.metric === 'nll_nats');
        if (nll) row('test_ll_nats', -nll.value, 'nats');
        row('published_test_ll_nats', published[0], published[1]);
        row('train_rows', data.train.rows, 'rows');
        row('published_train_rows', PUBLISHED[name]!.trainRows, 'rows');
      }
    }
  }
  ctx.note('tabular', 'Energy distance and MMD (Gaussian kernels, bandwidths 0.5, 1, 2 × √d) between 1000 model samples and 1000 test rows in standardised units; NLL on up to 2000 test rows. Energy-trained models are judged by their samples: their likelihood (where one exists) is not what they optimise and may be poor. train_nll_nats is the mean NLL of the last 20 training batches: far below the test NLL, it marks overfitting. published_test_ll_nats is the published test log-likelihood (MAF and Real NVP: Papamakarios et al. 2017, Table 2, 5 layers; NSF: Durkan et al. 2019, Table 1, RQ-NSF (C)) trained on published_train_rows rows; test_ll_nats is ours on train_rows rows.');
}
