import type { JitStats, Key, Tensor, TensorTree } from '@rheo/tensor';
import type { AdamOptions, AdamState, EmaSchedule, EmaState, StateTree } from '@rheo/nn';
import type { Dataset, Matrix } from '@rheo/data';
import type { LearningRateSchedule } from './schedule.js';

/**
 * What `fit` passes to the loss beside the parameters and batch: the step's key and number, the
 * current buffers, and whether it is a training or a validation call.
 */
export interface LossContext<B> {
  /** This step's key, fold(key, step), for stochastic estimators; a fixed key in validation. */
  readonly key: Key;
  readonly step: number;
  readonly buffers: B;
  /** True in training steps, false when the validation loss is evaluated. */
  readonly training: boolean;
}

/** The scalar loss of one minibatch (a mean over its rows, so that chunked validation can weight chunks by rows). */
export type LossFunction<P extends TensorTree, B extends StateTree, D> = (params: P, batch: D, context: LossContext<B>) => Tensor;

/**
 * Minibatches drawn from the rows of a table, epoch after epoch: step s
 * (1-based) is batch (s − 1) mod n of epoch ⌊(s − 1)/n⌋ (0-based), n batches
 * per epoch, whose row order is epochOrder(fold(key, EPOCH_STREAM), rows, epoch).
 * Batches are float32 tensors [b, cols]. A Dataset contributes its train split.
 */
export interface EpochBatches {
  readonly data: Matrix | Dataset;
  /** Rows per batch. */
  readonly size: number;
  /** Skip the last batch of an epoch when it has fewer than `size` rows; default false. */
  readonly dropLast?: boolean;
}

/** Epoch batches and Matrix/Tensor/Dataset validation data hand the loss float32 tensors, so they need D to accept a Tensor. */
type WhenTensorBatches<D, T> = [Tensor] extends [D] ? T : never;

/**
 * The held-out loss `fit` computes every `every` steps without gradients: the data, the patience
 * of early stopping, the chunk size, a replacement loss and whether to return the best parameters.
 */
export interface ValidationOptions<P extends TensorTree, B extends StateTree, D> {
  /**
   * Held-out data: one batch D passed whole to the loss, or rows (a Matrix,
   * a [n, …] Tensor, a Dataset's `val` split) evaluated in chunks of
   * `batchSize` rows and averaged weighted by rows.
   */
  readonly data: NoInfer<D> | WhenTensorBatches<NoInfer<D>, Matrix | Tensor | Dataset>;
  /** Evaluate every this many steps, and at the last step. */
  readonly every: number;
  /** Stop after this many evaluations in a row without a new best validation loss. */
  readonly patience?: number;
  /** Rows per chunk of Matrix, Tensor and Dataset data; default 1024. */
  readonly batchSize?: number;
  /** The validation loss, when it differs from the training loss (default: `loss`). */
  readonly loss?: LossFunction<P, B, NoInfer<D>>;
  /** Return the best evaluated parameters and buffers instead of the last ones; default true. */
  readonly restoreBest?: boolean;
}

/**
 * Where and how often `fit` writes its atomic checkpoint (`path`, `every`), whether it resumes
 * from an existing file, and where the best parameters go (`bestPath`).
 */
export interface CheckpointOptions {
  readonly path: string;
  readonly every: number;
  readonly resume?: boolean;
  /** Where the best parameters go when `validation` is on; default `path` with `.safetensors` → `.best.safetensors` (or `.best` appended). */
  readonly bestPath?: string;
}

/**
 * Everything `fit` needs: parameters and buffers, the loss, batches, steps or epochs, a key, and
 * optionally the optimiser and schedule, clipping, EMA, validation, checkpoints, a time budget and
 * metadata.
 */
export interface FitOptions<P extends TensorTree, B extends StateTree, D = Tensor> {
  /** Initial parameters (a tensor tree). */
  readonly params: P;
  /** Initial non-trainable buffers (spectral-norm vectors); refreshed by `updateBuffers` after every step. */
  readonly buffers?: B;
  /** New buffers from the updated parameters and the old buffers, after every step (a pure function of its tensors). */
  readonly updateBuffers?: (params: P, buffers: B) => B;
  readonly loss: LossFunction<P, B, D>;
  /**
   * The minibatch of step `step` (1-based), called inside the step's tidy
   * scope and a pure function of (step, key) for exact resumes; or epoch
   * batches of a Matrix or Dataset.
   */
  readonly batch: ((step: number, key: Key) => D) | WhenTensorBatches<D, EpochBatches>;
  /** Number of steps; give exactly one of `steps` and `epochs`. */
  readonly steps?: number;
  /** Number of passes over epoch batches' data (steps = epochs × batches per epoch). */
  readonly epochs?: number;
  readonly key: Key;
  /** Learning rate (or a warmup/decay/plateau schedule) and Adam/AdamW settings; `clipNorm` clips the global gradient norm. */
  readonly optimizer?: Omit<AdamOptions, 'lr'> & { readonly lr?: number | LearningRateSchedule };
  /** Exponential moving average of the parameters. */
  readonly ema?: { readonly decay: number; readonly schedule?: EmaSchedule };
  /** Held-out loss, best-parameter tracking and early stopping. */
  readonly validation?: ValidationOptions<P, B, D>;
  /** Atomic safetensors checkpoints every `every` steps, at the end and when stopping early; an existing file is resumed from. */
  readonly checkpoint?: CheckpointOptions;
  /** String metadata stored in every checkpoint fit writes (a model description); keys fit uses itself are rejected. */
  readonly metadata?: Readonly<Record<string, string>>;
  /**
   * Wall-time budget of this call, milliseconds: past it, the current step finishes, the checkpoint is written and fit returns.
   * A cosine learning-rate decay follows whichever runs out first, steps or time (see `learningRate`), so a run cut by
   * its budget still ends at a low rate; with a budget, the rates (and so the result) depend on the machine's speed.
   */
  readonly budgetMs?: number;
  /** Called after every step (progress bars, logging). Throwing stops training; the last checkpoint stays. */
  readonly onStep?: (info: StepInfo) => void;
  /**
   * Record the loss-and-gradient computation once and replay it each step (`jit` from
   * @rheo/tensor): the same numbers, bit for bit on the CPU, without the per-op bookkeeping.
   * The loss must then depend only on the parameters, the batch (tensors in arrays and objects),
   * the buffers and `context.key`; one that reads tensor values or key words on the host, or
   * `context.step`, is detected and runs eagerly with a one-line notice. Host numbers it reads
   * from outside (a closure variable changed between steps) are frozen at recording: pass them
   * in the batch as tensors instead. `updateBuffers` is recorded and replayed the same way.
   * Default false.
   */
  readonly jit?: boolean;
}

/**
 * What `onStep` receives after each step: the step and total steps, its loss, learning rate,
 * gradient norm before clipping, wall time, and the validation loss when evaluated.
 */
export interface StepInfo {
  /** 1-based step just finished. */
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
  /** The learning rate this step used. */
  readonly lr: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  /** Wall time of the step, milliseconds. */
  readonly ms: number;
  /** The mean validation loss, on steps that evaluated it. */
  readonly validationLoss?: number;
}

/**
 * One evaluation of `fit`'s validation: the step, the mean training loss since the previous
 * evaluation, and the validation loss.
 */
export interface ValidationRecord {
  readonly step: number;
  /** Mean training loss of the steps since the previous evaluation. */
  readonly trainLoss: number;
  readonly validationLoss: number;
}

/** Why `fit` stopped: the last step was reached, early stopping, or the time budget. */
export type StopReason = 'steps' | 'early-stopping' | 'budget';

/**
 * What `fit` returns: the trained (or best) parameters and buffers, the loss per step, why and
 * when it stopped, and the validation history and best step.
 */
export interface FitResult<P extends TensorTree, B extends StateTree> {
  /** The last parameters, or with validation (and restoreBest) the best evaluated ones. */
  readonly params: P;
  readonly buffers: B;
  readonly adam: AdamState<P>;
  readonly ema: EmaState<P> | null;
  /** Loss of every step run in this call (not those before a resume). */
  readonly losses: number[];
  /** The step training resumed after (0 for a fresh start). */
  readonly resumedFrom: number;
  /** Every validation evaluation of the run, those before a resume included. */
  readonly history: ValidationRecord[];
  /** The best validation loss and its step; null without validation or before the first evaluation. */
  readonly best: { readonly step: number; readonly loss: number } | null;
  /** Steps completed in all, those before a resume included (equals stoppedAt). */
  readonly stepsRun: number;
  /** The last step run. */
  readonly stoppedAt: number;
  readonly stopReason: StopReason;
  /** With `jit: true`: the recording's counters (recordings, replays, eager steps and why). */
  readonly jit?: JitStats;
}
