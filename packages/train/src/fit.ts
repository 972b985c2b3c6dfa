import {
  add, ArgumentError, flattenTree, fold, jit, mapTree, mul, sum, tidy, untraceable, valueAndGrad, type JitTree, type Key, type Tensor, type TensorTree,
} from '@rheo/tensor';
import { adamInit, adamStep, disposeTree, emaInit, emaUpdate, type AdamOptions, type StateTree } from '@rheo/nn';
import { checkMetadata, NO_PROGRESS, readCheckpoint, removeBestOrphans, writeBestCheckpoint, writeCheckpoint, type FitProgress, type TrainingState } from './checkpoint-state.js';
import { epochBatcher, type EpochBatcher } from './epoch-batches.js';
import type { EpochBatches, FitOptions, FitResult, StepInfo, StopReason, ValidationRecord } from './fit-options.js';
import { scaledGradNorm } from './grad-norm.js';
import { locateNonFinite } from './non-finite.js';
import { checkSchedule, learningRate, reduceOnPlateau, type LearningRateSchedule, type PlateauState } from './schedule.js';
import { copyTree } from './state-tree.js';
import { VALIDATION_STREAM, validationLoss, validationSet } from './validation.js';

const positiveInteger = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;

function checkOptions(o: FitOptions<TensorTree, StateTree, unknown>): void {
  if (typeof o.loss !== 'function') throw new ArgumentError(`fit(loss): expected a function (params, batch, context) => scalar tensor, received ${typeof o.loss}`);
  if (typeof o.batch !== 'function' && (o.batch === null || typeof o.batch !== 'object')) {
    throw new ArgumentError(`fit(batch): expected a function (step, key) => batch or epoch batches { data, size }, received ${o.batch === null ? 'null' : typeof o.batch}`);
  }
  const c = o.checkpoint;
  if (c && !positiveInteger(c.every)) throw new ArgumentError(`fit(checkpoint.every): expected a positive integer, received ${c.every}`);
  if (c && (typeof c.path !== 'string' || c.path === '')) throw new ArgumentError(`fit(checkpoint.path): expected a file path, received ${JSON.stringify(c.path)}`);
  if (c?.bestPath !== undefined && (typeof c.bestPath !== 'string' || c.bestPath === '' || c.bestPath === c.path)) {
    throw new ArgumentError(`fit(checkpoint.bestPath): expected a file path other than checkpoint.path, received ${JSON.stringify(c.bestPath)}`);
  }
  const v = o.validation;
  if (v && !positiveInteger(v.every)) throw new ArgumentError(`fit(validation.every): expected a positive integer, received ${v.every}`);
  if (v?.patience !== undefined && !positiveInteger(v.patience)) throw new ArgumentError(`fit(validation.patience): expected a positive integer, received ${v.patience}`);
  if (v?.loss !== undefined && typeof v.loss !== 'function') throw new ArgumentError(`fit(validation.loss): expected a function like loss, received ${typeof v.loss}`);
  if (o.budgetMs !== undefined && !(o.budgetMs > 0)) throw new ArgumentError(`fit(budgetMs): expected a positive number of milliseconds, received ${o.budgetMs}`);
  if (o.metadata !== undefined) checkMetadata(o.metadata);
}

/** steps, or epochs × batches per epoch: exactly one of the two is given. */
function stepCount(o: FitOptions<TensorTree, StateTree, unknown>, batcher: EpochBatcher | null): number {
  const { steps, epochs } = o;
  if (steps !== undefined && epochs !== undefined) throw new ArgumentError(`fit(steps, epochs): expected exactly one of them, received steps ${steps} and epochs ${epochs}`);
  if (epochs !== undefined) {
    if (batcher === null) throw new ArgumentError('fit(epochs): counts passes over epoch batches, so batch must be { data, size }; received a batch function (pass steps instead)');
    if (!Number.isInteger(epochs) || epochs < 0) throw new ArgumentError(`fit(epochs): expected a non-negative integer, received ${epochs}`);
    return epochs * batcher.batchesPerEpoch;
  }
  if (steps === undefined) throw new ArgumentError('fit(steps): expected a non-negative integer (or epochs with epoch batches), received neither steps nor epochs');
  if (!Number.isInteger(steps) || steps < 0) throw new ArgumentError(`fit(steps): expected a non-negative integer, received ${steps}`);
  return steps;
}

/** `run.safetensors` → `run.best.safetensors`; any other name gets `.best` appended. */
export function defaultBestPath(path: string): string {
  return path.endsWith('.safetensors') ? `${path.slice(0, -'.safetensors'.length)}.best.safetensors` : `${path}.best`;
}

/**
 * Trains `params` by Adam/AdamW on `loss` for `steps` steps (or `epochs`
 * passes over epoch batches). Each step: batch → loss and gradients (one
 * reverse pass) → finite check → clipping, learning rate and Adam update →
 * buffer update → EMA → every `validation.every` steps and at the last step
 * the held-out loss (best copies kept, plateau and early-stopping counts) →
 * callback → checkpoint every N steps and when stopping (atomic: a killed run
 * leaves the previous file). With the same key, batches and backend, an
 * interrupted and resumed run ends with the same parameters, validation
 * history and best copies as an uninterrupted one (bit for bit on the CPU).
 * Resuming from a checkpoint past `steps` is an error, and a run that
 * stopped early returns its saved result without training.
 */
export async function fit<P extends TensorTree, B extends StateTree, D = Tensor>(options: FitOptions<P, B, D>): Promise<FitResult<P, B>> {
  const started = performance.now();
  const loose = options as unknown as FitOptions<TensorTree, StateTree, unknown>;
  checkOptions(loose);
  const { key: baseKey, optimizer = {}, ema: emaOptions, checkpoint, validation, metadata = {}, onStep } = options;
  const batcher = typeof options.batch === 'function' ? null : epochBatcher(options.batch as EpochBatches, baseKey);
  const batchOf = batcher ? (step: number) => batcher.batch(step) as unknown as D : (options.batch as (step: number, key: Key) => D);
  const steps = stepCount(loose, batcher);
  const schedule: LearningRateSchedule = typeof optimizer.lr === 'object' ? optimizer.lr : { lr: optimizer.lr ?? 1e-3 };
  checkSchedule(schedule);
  const plateau = schedule.decay === 'plateau' ? schedule : null;
  if (plateau && !validation) throw new ArgumentError("fit(optimizer.lr.decay): 'plateau' reduces the rate when the validation loss stalls, so it needs fit(validation); received no validation");
  // Clipping happens here, from the squared norm the finite check reads anyway, not again inside adamStep.
  const { clipNorm, ...rest } = optimizer;
  if (clipNorm !== undefined && !(clipNorm > 0)) throw new ArgumentError(`fit(optimizer.clipNorm): expected a positive number, received ${clipNorm}`);
  const adamOptions: AdamOptions = { ...rest, lr: schedule.lr };
  const held = validation ? validationSet<D>(validation.data, validation.batchSize ?? 1024) : null;
  const heldLoss = validation?.loss ?? options.loss;
  const heldKey = fold(baseKey, VALIDATION_STREAM);
  const bestPath = checkpoint && validation ? (checkpoint.bestPath ?? defaultBestPath(checkpoint.path)) : null;

  // Copies, so the caller's tensors stay theirs: the loop disposes each step's old state.
  const params0 = copyTree(options.params as StateTree) as P;
  const buffers0 = copyTree((options.buffers ?? null) as StateTree) as B;
  let state: TrainingState<P, B> = {
    step: 0, params: params0, buffers: buffers0, adam: adamInit(options.params), ema: emaOptions ? emaInit(options.params) : null,
    best: validation ? { params: copyTree(params0), buffers: copyTree(buffers0) } : null,
  };
  let resumedFrom = 0;
  if (checkpoint && checkpoint.resume !== false) {
    // The best-validation copy may not be saved again for a while: clear what a killed save of it left now.
    if (bestPath !== null) await removeBestOrphans(bestPath);
    const loaded = await readCheckpoint(checkpoint.path, state);
    if (loaded !== null) {
      disposeTree([state.params, state.buffers, state.adam, state.ema, state.best ?? null] as StateTree);
      if (loaded.step > steps) {
        disposeTree([loaded.params, loaded.buffers, loaded.adam, loaded.ema, loaded.best ?? null] as StateTree);
        throw new ArgumentError(
          `fit(steps): received ${steps}, but the checkpoint ${checkpoint.path} is at step ${loaded.step}; expected steps >= ${loaded.step} (the file is left untouched; pass resume: false or another path to start over)`,
        );
      }
      state = loaded;
      resumedFrom = loaded.step;
    }
  }

  const saved: FitProgress = state.progress ?? NO_PROGRESS;
  let { trainLossSum, trainLossCount, best: bestAt, sinceImprovement } = saved;
  const history: ValidationRecord[] = [...saved.history];
  let plateauState: PlateauState | null = plateau ? (saved.plateau ?? { lr: plateau.lr, bad: 0 }) : null;
  let best = state.best ?? null;
  let stopReason: StopReason = saved.stopReason === 'early-stopping' ? 'early-stopping' : 'steps';
  const progress = (): FitProgress => ({
    trainLossSum, trainLossCount, best: bestAt, sinceImprovement, history, plateau: plateauState, stopReason: stopReason === 'steps' ? null : stopReason,
  });

  const losses: number[] = [];
  const valueAndGradOf = (params: P, step: number) => {
    const k = fold(baseKey, step);
    return valueAndGrad((p: P) => options.loss(p, batchOf(step, k), { key: k, step, buffers: state.buffers, training: true }))(params);
  };
  // Loss, gradients and Σg² of one step, as one function of its tensors (what jit records).
  // The step number is not an argument (each step would be a new recording); eager runs read the current one.
  let current = 0;
  const lossAndGrad = (a: { params: P; batch: D; buffers: B }, k?: Key) => {
    const context = options.jit ? stepHiddenFromJit(k!, current, a.buffers) : { key: k!, step: current, buffers: a.buffers, training: true as const };
    const [l, g] = valueAndGrad((p: P) => options.loss(p, a.batch, context))(a.params);
    const leaves = flattenTree(g).leaves;
    const total = leaves.reduce<Tensor | null>((acc, x) => { const s = sum(mul(x, x)); return acc === null ? s : add(acc, s); }, null);
    return { l, g, sq: total ?? mul(l, 0) };
  };
  const jitted = options.jit ? jit(lossAndGrad as unknown as (a: JitTree, k?: Key) => JitTree, { name: 'fit(loss)' }) : null;
  const stepFn = jitted === null ? lossAndGrad : (jitted as unknown as typeof lossAndGrad);
  // The buffer update (a residual flow's power iterations: hundreds of tiny ops) is replayed too.
  const update = options.updateBuffers;
  const updateArgs = (a: { params: P; buffers: B }) => update!(a.params, a.buffers);
  const jittedUpdate = options.jit && update ? jit(updateArgs as unknown as (a: JitTree) => JitTree, { name: 'fit(updateBuffers)' }) : null;
  const updateFn = jittedUpdate === null ? updateArgs : (jittedUpdate as unknown as typeof updateArgs);
  for (let step = state.step + 1; step <= steps && stopReason === 'steps'; step++) {
    const t0 = performance.now();
    const [lossT, grads, sq] = tidy(() => {
      const k = fold(baseKey, step);
      current = step;
      const { l, g, sq: total } = stepFn({ params: state.params, batch: batchOf(step, k), buffers: state.buffers }, k);
      return [l, g, total] as const;
    });
    const [lossValue, sqValue] = [(await lossT.data())[0]!, (await sq.data())[0]!];
    lossT.dispose();
    sq.dispose();
    // Σ g² overflows float32 long before any g does: rescale before calling a finite gradient non-finite.
    const norm = Number.isFinite(sqValue) || !Number.isFinite(lossValue) ? Math.sqrt(sqValue) : await scaledGradNorm(grads);
    if (!Number.isFinite(lossValue) || !Number.isFinite(norm)) {
      disposeTree(grads as StateTree);
      const what = Number.isFinite(lossValue) ? 'the gradient' : `the loss (${lossValue})`;
      await locateNonFinite((p: P) => { valueAndGradOf(p, step); }, state.params, step, what);
    }
    const spent = options.budgetMs === undefined ? 0 : (performance.now() - started) / options.budgetMs;
    const lr = learningRate(plateauState ? { ...schedule, lr: plateauState.lr } : schedule, step, steps, spent);
    const clipped = clipNorm !== undefined && norm > clipNorm ? tidy(() => mapTree(grads, (g) => mul(g, clipNorm / norm))) : grads;
    const [params, adam] = adamStep(state.params, clipped, state.adam, { ...adamOptions, lr });
    disposeTree(grads as StateTree);
    if (clipped !== grads) disposeTree(clipped as StateTree);
    let buffers = state.buffers;
    if (options.updateBuffers) {
      const next = tidy(() => updateFn({ params, buffers: state.buffers }));
      if (next !== state.buffers) disposeTree(state.buffers);
      buffers = next;
    }
    const ema = state.ema && emaOptions ? emaUpdate(state.ema, params, emaOptions.decay, { schedule: emaOptions.schedule }) : null;
    disposeTree([state.params, state.adam, state.ema] as StateTree);
    state = { step, params, buffers, adam, ema, best };
    losses.push(lossValue);
    trainLossSum += lossValue;
    trainLossCount += 1;

    let validationValue: number | undefined;
    if (validation && held && (step % validation.every === 0 || step === steps)) {
      validationValue = await validationLoss(held, heldLoss, state.params, state.buffers, step, heldKey);
      const improved = bestAt === null || validationValue < bestAt.loss;
      history.push({ step, trainLoss: trainLossSum / trainLossCount, validationLoss: validationValue });
      [trainLossSum, trainLossCount] = [0, 0];
      sinceImprovement = improved ? 0 : sinceImprovement + 1;
      if (plateau && plateauState) plateauState = reduceOnPlateau(plateau, plateauState, improved);
      if (improved) {
        if (best) disposeTree([best.params, best.buffers] as StateTree);
        best = { params: copyTree(state.params as StateTree) as P, buffers: copyTree(state.buffers as StateTree) as B };
        bestAt = { step, loss: validationValue };
        state = { ...state, best };
        if (bestPath !== null) await writeBestCheckpoint(bestPath, best, bestAt, metadata);
      }
    }
    const info: StepInfo = { step, steps, loss: lossValue, lr, gradNorm: norm, ms: performance.now() - t0 };
    onStep?.(validationValue === undefined ? info : { ...info, validationLoss: validationValue });
    if (step < steps) {
      if (validation?.patience !== undefined && sinceImprovement >= validation.patience) stopReason = 'early-stopping';
      else if (options.budgetMs !== undefined && performance.now() - started > options.budgetMs) stopReason = 'budget';
    }
    if (checkpoint && (step % checkpoint.every === 0 || step === steps || stopReason !== 'steps')) {
      await writeCheckpoint(checkpoint.path, { ...state, progress: progress() }, metadata);
    }
  }
  // The recordings' constants go back now, not when the collector finds them.
  const jitStats = jitted?.stats();
  jitted?.clear();
  jittedUpdate?.clear();
  return finish(state, best, bestAt !== null && validation !== undefined && validation.restoreBest !== false, {
    losses, resumedFrom, history, best: bestAt, stepsRun: state.step, stoppedAt: state.step, stopReason,
    ...(jitStats === undefined ? {} : { jit: jitStats }),
  });
}

/** The loss context under jit: reading `step` marks the recording unusable (the step changes every call). */
function stepHiddenFromJit<B>(key: Key, step: number, buffers: B): { key: Key; step: number; buffers: B; training: true } {
  return {
    key, buffers, training: true,
    get step(): number {
      untraceable('the loss reads context.step, which changes every step');
      return step;
    },
  };
}

/** The result, handing the caller either the best copies (the last parameters are then released) or the last parameters. */
function finish<P extends TensorTree, B extends StateTree>(
  state: TrainingState<P, B>, best: { params: P; buffers: B } | null, restore: boolean,
  rest: Omit<FitResult<P, B>, 'params' | 'buffers' | 'adam' | 'ema'>,
): FitResult<P, B> {
  const common = { adam: state.adam, ema: state.ema, ...rest };
  if (restore && best) {
    disposeTree([state.params, state.buffers] as StateTree);
    return { params: best.params, buffers: best.buffers, ...common };
  }
  if (best) disposeTree([best.params, best.buffers] as StateTree);
  return { params: state.params, buffers: state.buffers, ...common };
}
