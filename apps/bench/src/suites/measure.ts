import type { Dataset } from '@rheo/data';
import { fold, type Key } from '@rheo/tensor';
import type { RunContext } from '../context.js';
import { toOriginalUnits } from '../datasets.js';
import { logLikelihoods, roundTripError, sampleHost } from '../evaluate.js';
import { testBitsPerDim } from '../preprocess-log-det.js';
import { energyDistance, mmd2 } from '@rheo/eval';
import { initialized, type BenchModel } from '../models.js';
import { sliceRows, toTensor } from '@rheo/data';
import { tidy } from '@rheo/tensor';
import { progress } from '../progress.js';
import { trainModel, type Objective, type Trained } from '../train-model.js';
import { datasetIdentity } from '../dataset-identity.js';

export interface MeasureConfig {
  readonly steps: number;
  readonly batch: number;
  readonly lr: number;
  /** Samples drawn for the metrics and the .npy file. */
  readonly samples: number;
  /** Test rows used for the sample metrics (pairwise: O(n²)). */
  readonly metricRows: number;
  /** Test rows used for the NLL. */
  readonly nllRows: number;
  readonly withMmd: boolean;
  /** Compute sample metrics in the data's original units (e.g. pixels in [0, 1) for logit-space models), so models trained on differently preprocessed copies compare. */
  readonly originalUnits?: boolean;
  /** Validate on the data set's `val` split every `every` steps and stop after `patience` evaluations without improvement. */
  readonly validation?: { readonly every: number; readonly patience: number };
  /** Per-model training budget (ms). */
  readonly budgetMs?: number;
}

export interface Measured {
  readonly trained: Trained;
  /** Samples in the model's (preprocessed) units. */
  readonly samples: Float32Array;
}

/**
 * Trains one model on one data set with one objective and records the
 * standard rows: sample quality against held-out data (energy distance,
 * optionally MMD), test NLL where a density exists, sampling throughput,
 * training step time and the round-trip error of invertible models.
 */
export async function trainAndMeasure(
  ctx: RunContext, suite: string, data: Dataset, fresh: BenchModel, objective: Objective, k: Key, c: MeasureConfig,
): Promise<Measured> {
  // ActNorm layers start from the training data's scale, whatever its units (Glow's data-dependent initialisation).
  const model = tidy(() => initialized(fresh, toTensor(sliceRows(data.train, 0, Math.min(data.train.rows, 4096)))));
  const id = `${suite}-${datasetIdentity(data)}-${model.name}-${objective}`;
  const validation = c.validation && data.val ? { data: data.val, ...c.validation } : undefined;
  const trained = await trainModel(model, data.train, objective, fold(k, 1), {
    steps: c.steps, batch: c.batch, lr: c.lr, checkpoint: ctx.checkpoint(id, c.steps), label: `${suite} ${data.name} ${model.name}/${objective}`,
    ...(validation ? { validation } : {}), ...(c.budgetMs !== undefined ? { budgetMs: c.budgetMs } : {}),
  });
  const row = (metric: string, value: number, unit: string) =>
    ctx.add(suite, { dataset: data.name, model: model.name, objective, metric, value, unit });
  // The configured step count keys the checkpoint; results.json records it beside the steps run.
  row('steps', c.steps, 'steps (configured)');
  row('steps_run', trained.stepsRun, trained.stopReason === 'steps' ? 'steps' : `steps (${trained.stopReason})`);
  if (trained.best) {
    row('best_val_loss', trained.best.loss, objective === 'mle' ? 'nats' : 'energy score');
    row('best_step', trained.best.step, 'step');
  }
  const bar = progress(`${suite} ${data.name} ${model.name}/${objective} eval`, 4);
  bar.update(0, 'sampling');
  const { x, ms } = await sampleHost(model, trained, fold(k, 2), c.samples);
  bar.update(1, 'sample metrics');
  const d = data.dim;
  const testRows = sliceRows(data.test, 0, Math.min(data.test.rows, c.metricRows));
  const test = c.originalUnits ? { ...testRows, data: toOriginalUnits(data, testRows.data) } : testRows;
  const kept = Math.min(c.metricRows, x.length / d);
  const xk = x.subarray(0, kept * d);
  const xs = { data: c.originalUnits ? toOriginalUnits(data, xk) : xk, rows: kept, cols: d };
  row('energy_distance', energyDistance(xs, test), c.originalUnits ? 'data units' : 'preprocessed units');
  // Fixed bandwidths {0.5, 1, 2}·√d (the scale of standardised data), so values compare across models.
  if (c.withMmd) row('mmd', mmd2(xs, test, { bandwidths: [0.5, 1, 2].map((f) => f * Math.sqrt(d)) }), 'squared, Gaussian kernels');
  bar.update(2, 'test NLL');
  const nllRows = sliceRows(data.test, 0, Math.min(data.test.rows, c.nllRows));
  const ll = await logLikelihoods(model, trained, nllRows, fold(k, 3));
  if (ll !== undefined) {
    row('nll_nats', -ll.reduce((a, v) => a + v, 0) / ll.length, 'nats');
    // The median beside the mean: one test row far outside the training data (MINIBOONE has some) can dominate the mean.
    const sorted = Array.from(ll, (v) => -v).sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    row('nll_median_nats', sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2, 'nats');
    // The training batches' NLL beside the test NLL shows overfitting (MINIBOONE trains on 3,284 rows).
    if (objective === 'mle' && Number.isFinite(trained.recentLoss)) row('train_nll_nats', trained.recentLoss, 'nats');
    // Dequantised images: bits/dim of the discrete pixels, corrected for dequantisation and any logit.
    const bpd = testBitsPerDim(data, nllRows, ll);
    if (bpd !== undefined) row('bits_per_dim', bpd, 'bits/dim');
  }
  row('samples_per_s', (c.samples / ms) * 1000, 'samples/s');
  if (Number.isFinite(trained.stepMs)) row('train_step_ms', trained.stepMs, 'ms');
  bar.update(3, 'round trip');
  if (model.roundTrip) row('inverse_max_err', await roundTripError(model, trained, sliceRows(data.test, 0, Math.min(data.test.rows, 256))), 'abs');
  ctx.writeSamples(id, toOriginalUnits(data, x), d);
  bar.finish();
  return { trained, samples: x };
}
