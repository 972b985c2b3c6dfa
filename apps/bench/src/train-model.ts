import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { takeRows, toTensor, uniforms, type Matrix } from '@rheo/data';
import { disposeTree, type StateTree } from '@rheo/nn';
import { energyLoss, nllLoss } from '@rheo/objectives';
import { fit } from '@rheo/train';
import { ArgumentError, fold, type Key, type Tensor, type TensorTree } from '@rheo/tensor';
import type { BenchModel } from './models.js';
import { progress } from './progress.js';

export type Objective = 'mle' | 'energy';

export interface TrainConfig {
  /** Replay the recorded loss-and-gradient step (`fit({ jit })`); default true. */
  readonly jit?: boolean;
  readonly steps: number;
  readonly batch: number;
  readonly lr: number;
  /** Safetensors checkpoint, resumed from when it exists. */
  readonly checkpoint: string;
  readonly label: string;
  /** Global gradient-norm clip; default 10, null for none. */
  readonly clipNorm?: number | null;
  /** Held-out rows: evaluated every `every` steps, the best parameters kept, training stopped after `patience` evaluations without improvement. */
  readonly validation?: { readonly data: Matrix; readonly every: number; readonly patience: number };
  /** Wall-time budget of this model's training (--budget-minutes); the run stops after the step that exceeds it. */
  readonly budgetMs?: number;
  /** Cosine decay of the learning rate to 2% over the steps (default true). */
  readonly cosine?: boolean;
}

export interface Trained {
  readonly params: TensorTree;
  readonly buffers: StateTree;
  /** Median wall time of a training step, over this call's steps and those timed before the checkpoint it resumed from (NaN when none were timed). */
  readonly stepMs: number;
  readonly resumedFrom: number;
  readonly finalLoss: number;
  /** Mean training loss over the last (up to) 20 steps, from this call or the timing file (NaN when none were recorded). */
  readonly recentLoss: number;
  /** Steps run in all (with resumes); fewer than configured when stopped early or by the budget. */
  readonly stepsRun: number;
  readonly stopReason: 'steps' | 'early-stopping' | 'budget';
  /** Best validation loss and its step, when validating. */
  readonly best: { readonly step: number; readonly loss: number } | null;
}

/** Rows drawn uniformly with replacement from the step's key: a pure function of (step, key), as resumes need. */
export function randomBatch(data: Matrix, k: Key, size: number): Tensor {
  const u = uniforms(k, size);
  const idx = Int32Array.from(u, (v) => Math.min(data.rows - 1, Math.floor(v * data.rows)));
  return toTensor(takeRows(data, idx));
}

/**
 * Step times and losses live beside the checkpoint (`<checkpoint>.steps.json`,
 * triples [step, ms, loss]) so that a run resumed from a finished or partial
 * checkpoint still reports the step time and training loss of the steps it
 * did not repeat. Written through
 * a temporary file and a rename, like the checkpoint.
 */
function stepTimesFile(checkpoint: string): string {
  return `${checkpoint}.steps.json`;
}

type StepRecord = [step: number, ms: number, loss: number];

function readStepTimes(checkpoint: string, upTo: number): StepRecord[] {
  const file = stepTimesFile(checkpoint);
  if (upTo <= 0 || !existsSync(file)) return [];
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!Array.isArray(v)) return [];
    return v.filter((p): p is StepRecord => Array.isArray(p) && p.length === 3 && p.every((x) => typeof x === 'number') && p[0] <= upTo);
  } catch {
    // A damaged timing file only loses the step-time row, never the model.
    return [];
  }
}

function writeStepTimes(checkpoint: string, times: readonly StepRecord[]): void {
  const file = stepTimesFile(checkpoint);
  writeFileSync(`${file}.tmp`, JSON.stringify(times));
  renameSync(`${file}.tmp`, file);
}

/**
 * Trains by maximum likelihood (−mean log p) or by the energy score of
 * reparameterised samples against the batch (Si et al. 2023, arXiv:2206.06672),
 * with gradient clipping at norm 10 (unless configured), checkpointing every 50 steps.
 */
export async function trainModel(model: BenchModel, data: Matrix, objective: Objective, k: Key, config: TrainConfig): Promise<Trained> {
  if (objective === 'mle' && model.logProb === undefined) {
    throw new ArgumentError(`trainModel(objective): received 'mle' for ${model.name}, which has no density; expected 'energy'`);
  }
  const bar = progress(config.label, config.steps);
  let times: StepRecord[] = [];
  let last = Number.NaN;
  const result = await fit<TensorTree, StateTree, Tensor>({
    params: model.params,
    buffers: model.buffers,
    ...(model.updateBuffers ? { updateBuffers: model.updateBuffers } : {}),
    loss: (p, x, { key, buffers }) =>
      objective === 'mle'
        ? nllLoss(model.logProb!(p, buffers, x, key, true))
        : energyLoss((kk, n) => model.sample(p, buffers, kk, n), key, x),
    batch: (step) => randomBatch(data, fold(k, step), config.batch),
    steps: config.steps,
    key: fold(k, 0x7fffffff),
    optimizer: {
      lr: config.cosine === false ? config.lr : { lr: config.lr, decay: 'cosine', finalFraction: 0.02 },
      ...(config.clipNorm === null ? {} : { clipNorm: config.clipNorm ?? 10 }),
    },
    ...(config.validation ? { validation: { data: config.validation.data, every: config.validation.every, patience: config.validation.patience, batchSize: 1000 } } : {}),
    ...(config.budgetMs !== undefined ? { budgetMs: config.budgetMs } : {}),
    // The model's description travels with its checkpoints, so `loadModel` opens them.
    metadata: model.model.metadata,
    checkpoint: { path: config.checkpoint, every: 50 },
    // Loss and gradient recorded once and replayed (the same numbers; see fit's `jit`).
    jit: config.jit ?? true,
    onStep: (info) => {
      if (times.length === 0 && info.step > 1) times = readStepTimes(config.checkpoint, info.step - 1);
      times.push([info.step, info.ms, info.loss]);
      if (info.step % 50 === 0 || info.step === config.steps) writeStepTimes(config.checkpoint, times);
      last = info.loss;
      bar.update(info.step, `loss ${info.loss.toFixed(3)}`);
    },
  });
  const resumed = result.resumedFrom > 0 ? `, resumed after step ${result.resumedFrom}` : '';
  bar.finish(Number.isFinite(last) ? `loss ${last.toFixed(3)}${resumed}` : `restored from step ${result.resumedFrom}`);
  disposeTree(result.adam as StateTree);
  if (times.length === 0) times = readStepTimes(config.checkpoint, result.resumedFrom);
  // The first steps include JIT warm-up; the median ignores them.
  const sorted = times.map((t) => t[1]).sort((a, b) => a - b);
  return {
    params: result.params,
    buffers: result.buffers,
    stepMs: sorted.length ? sorted[Math.floor(sorted.length / 2)]! : Number.NaN,
    resumedFrom: result.resumedFrom,
    finalLoss: last,
    recentLoss: times.length ? times.slice(-20).reduce((a, t) => a + t[2], 0) / Math.min(20, times.length) : Number.NaN,
    stepsRun: result.stepsRun,
    stopReason: result.stopReason,
    best: result.best,
  };
}
