import {
  add, ArgumentError, flattenTree, fold, getBackend, keep, mapTree, mul, NonFiniteError, setBackend, setCheckFinite, sum,
  tidy, toBackend, valueAndGrad, type Key, type Tensor, type TensorTree,
} from '@rheo/tensor';
import {
  adamInit, adamStep, disposeTree, emaInit, emaUpdate, type AdamOptions, type AdamState, type EmaSchedule,
  type EmaState, type StateTree,
} from '@rheo/nn';
import { readCheckpoint, writeCheckpoint, type TrainingState } from './checkpoint-state.js';
import { learningRate, type LearningRateSchedule } from './schedule.js';

export interface StepInfo {
  /** 1-based step just finished. */
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
  readonly lr: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  /** Wall time of the step, milliseconds. */
  readonly ms: number;
}

export interface FitOptions<P extends TensorTree, B extends StateTree, D> {
  /** Initial parameters (a tensor tree). */
  readonly params: P;
  /** Initial non-trainable buffers (spectral-norm vectors); refreshed by `updateBuffers` after every step. */
  readonly buffers?: B;
  readonly updateBuffers?: (params: P, buffers: B) => B;
  /** The scalar loss of one minibatch. `key` is this step's key (fold(key, step)), for stochastic estimators. */
  readonly loss: (params: P, batch: D, context: { readonly key: Key; readonly step: number; readonly buffers: B }) => Tensor;
  /** The minibatch of step `step` (1-based); called inside the step's tidy scope. Must be a pure function of (step, key) for exact resumes. */
  readonly batch: (step: number, key: Key) => D;
  readonly steps: number;
  readonly key: Key;
  /** Learning rate (or a warmup/decay schedule) and Adam/AdamW settings; `clipNorm` clips the global gradient norm. */
  readonly optimizer?: Omit<AdamOptions, 'lr'> & { readonly lr?: number | LearningRateSchedule };
  /** Exponential moving average of the parameters. */
  readonly ema?: { readonly decay: number; readonly schedule?: EmaSchedule };
  /** Atomic safetensors checkpoints every `every` steps and at the end; an existing file is resumed from. */
  readonly checkpoint?: { readonly path: string; readonly every: number; readonly resume?: boolean };
  /** Called after every step (progress bars, logging). Throwing stops training; the last checkpoint stays. */
  readonly onStep?: (info: StepInfo) => void;
}

export interface FitResult<P extends TensorTree, B extends StateTree> {
  readonly params: P;
  readonly buffers: B;
  readonly adam: AdamState<P>;
  readonly ema: EmaState<P> | null;
  /** Loss of every step run in this call (not those before a resume). */
  readonly losses: number[];
  /** The step training resumed after (0 for a fresh start). */
  readonly resumedFrom: number;
}

function checkOptions(o: FitOptions<TensorTree, StateTree, unknown>): void {
  if (!Number.isInteger(o.steps) || o.steps < 0) throw new ArgumentError(`fit(steps): expected a non-negative integer, received ${o.steps}`);
  if (typeof o.loss !== 'function') throw new ArgumentError(`fit(loss): expected a function (params, batch, context) => scalar tensor, received ${typeof o.loss}`);
  if (typeof o.batch !== 'function') throw new ArgumentError(`fit(batch): expected a function (step, key) => batch, received ${typeof o.batch}`);
  const c = o.checkpoint;
  if (c && (!Number.isInteger(c.every) || c.every < 1)) throw new ArgumentError(`fit(checkpoint.every): expected a positive integer, received ${c.every}`);
  if (c && (typeof c.path !== 'string' || c.path === '')) throw new ArgumentError(`fit(checkpoint.path): expected a file path, received ${JSON.stringify(c.path)}`);
}

/**
 * Re-runs a step that produced a non-finite loss or gradient with the
 * engine's finite-value check on, so the error names the first op that made
 * a NaN or infinity. Backends without synchronous reads replay on the CPU.
 */
async function locateNonFinite<T extends StateTree>(run: (inputs: T) => void, inputs: T, step: number, what: string): Promise<never> {
  const original = getBackend();
  const replayOnCpu = original.readSync === undefined;
  let moved: T | null = null;
  try {
    if (replayOnCpu) {
      const cpu = await setBackend('cpu', { quiet: true });
      moved = (await moveTree(inputs, cpu)) as T;
    }
    setCheckFinite(true);
    try {
      tidy(() => run(moved ?? inputs));
    } catch (err) {
      if (err instanceof NonFiniteError) throw new NonFiniteError(`fit: step ${step}: ${what} is not finite; first non-finite value from op ${err.message}`);
      throw err;
    }
  } finally {
    setCheckFinite(false);
    if (moved !== null) disposeTree(moved);
    if (replayOnCpu) await setBackend(original.name, { quiet: true });
  }
  throw new NonFiniteError(`fit: step ${step}: ${what} is not finite, but a replay with finite checks found no op producing NaN or infinity (non-deterministic loss?)`);
}

function mapStateTree(tree: StateTree, fn: (t: Tensor) => Tensor): StateTree {
  if (tree === null || typeof tree !== 'object') return tree;
  if ('dtype' in tree && 'shape' in tree) return fn(tree as Tensor);
  if (Array.isArray(tree)) return tree.map((c) => mapStateTree(c as StateTree, fn));
  const out: Record<string, StateTree> = {};
  for (const [k, v] of Object.entries(tree)) out[k] = mapStateTree(v as StateTree, fn);
  return out;
}

async function moveTree(tree: StateTree, backend: ReturnType<typeof getBackend>): Promise<StateTree> {
  if (tree === null || typeof tree !== 'object') return tree;
  if ('dtype' in tree && 'shape' in tree) return toBackend(tree as Tensor, backend);
  if (Array.isArray(tree)) return Promise.all(tree.map((c) => moveTree(c as StateTree, backend)));
  const out: Record<string, StateTree> = {};
  for (const [k, v] of Object.entries(tree)) out[k] = await moveTree(v as StateTree, backend);
  return out;
}

/**
 * Trains `params` by Adam/AdamW on `loss` for `steps` steps. Each step:
 * batch → loss and gradients (one reverse pass) → finite check → clipping,
 * learning rate and Adam update → buffer update → EMA → callback →
 * checkpoint every N steps (atomic: a killed run leaves the previous file).
 * With the same key, batches and backend, an interrupted and resumed run
 * ends with the same parameters as an uninterrupted one (bit for bit on the CPU).
 */
export async function fit<P extends TensorTree, B extends StateTree, D>(options: FitOptions<P, B, D>): Promise<FitResult<P, B>> {
  checkOptions(options as unknown as FitOptions<TensorTree, StateTree, unknown>);
  const { steps, key: baseKey, optimizer = {}, ema: emaOptions, checkpoint, onStep } = options;
  const schedule: LearningRateSchedule = typeof optimizer.lr === 'object' ? optimizer.lr : { lr: optimizer.lr ?? 1e-3 };
  // Clipping happens here, from the squared norm the finite check reads anyway, not again inside adamStep.
  const { clipNorm, ...rest } = optimizer;
  if (clipNorm !== undefined && !(clipNorm > 0)) throw new ArgumentError(`fit(optimizer.clipNorm): expected a positive number, received ${clipNorm}`);
  const adamOptions: AdamOptions = { ...rest, lr: schedule.lr };

  // Copies, so the caller's tensors stay theirs: the loop disposes each step's old state.
  const copy = <T extends StateTree>(tree: T): T => mapStateTree(tree, (t) => keep(mul(t, 1))) as T;
  let state: TrainingState<P, B> = {
    step: 0,
    params: copy(options.params as StateTree) as P,
    buffers: copy((options.buffers ?? null) as StateTree) as B,
    adam: adamInit(options.params),
    ema: emaOptions ? emaInit(options.params) : null,
  };
  let resumedFrom = 0;
  if (checkpoint && checkpoint.resume !== false) {
    const loaded = await readCheckpoint(checkpoint.path, state);
    if (loaded !== null) {
      disposeTree([state.adam, state.ema] as StateTree);
      state = loaded;
      resumedFrom = loaded.step;
    }
  }

  const losses: number[] = [];
  const valueAndGradOf = (params: P, step: number) => {
    const k = fold(baseKey, step);
    return valueAndGrad((p: P) => options.loss(p, options.batch(step, k), { key: k, step, buffers: state.buffers }))(params);
  };
  for (let step = state.step + 1; step <= steps; step++) {
    const t0 = performance.now();
    const [lossT, grads, sq] = tidy(() => {
      const [l, g] = valueAndGradOf(state.params, step);
      const leaves = flattenTree(g).leaves;
      const total = leaves.reduce<Tensor | null>((acc, x) => { const s = sum(mul(x, x)); return acc === null ? s : add(acc, s); }, null);
      return [l, g, total ?? mul(l, 0)] as const;
    });
    const [lossValue, sqValue] = [(await lossT.data())[0]!, (await sq.data())[0]!];
    lossT.dispose();
    sq.dispose();
    if (!Number.isFinite(lossValue) || !Number.isFinite(sqValue)) {
      disposeTree(grads as StateTree);
      const what = Number.isFinite(lossValue) ? 'the gradient' : `the loss (${lossValue})`;
      await locateNonFinite((p: P) => { valueAndGradOf(p, step); }, state.params, step, what);
    }
    const lr = learningRate(schedule, step, steps);
    const norm = Math.sqrt(sqValue);
    const clipped = clipNorm !== undefined && norm > clipNorm ? tidy(() => mapTree(grads, (g) => mul(g, clipNorm / norm))) : grads;
    const [params, adam] = adamStep(state.params, clipped, state.adam, { ...adamOptions, lr });
    disposeTree(grads as StateTree);
    if (clipped !== grads) disposeTree(clipped as StateTree);
    let buffers = state.buffers;
    if (options.updateBuffers) {
      const next = tidy(() => options.updateBuffers!(params, state.buffers));
      if (next !== state.buffers) disposeTree(state.buffers);
      buffers = next;
    }
    const ema = state.ema && emaOptions ? emaUpdate(state.ema, params, emaOptions.decay, { schedule: emaOptions.schedule }) : null;
    disposeTree([state.params, state.adam, state.ema] as StateTree);
    state = { step, params, buffers, adam, ema };
    losses.push(lossValue);
    onStep?.({ step, steps, loss: lossValue, lr, gradNorm: norm, ms: performance.now() - t0 });
    if (checkpoint && (step % checkpoint.every === 0 || step === steps)) await writeCheckpoint(checkpoint.path, state);
  }
  return { params: state.params, buffers: state.buffers, adam: state.adam, ema: state.ema, losses, resumedFrom };
}
