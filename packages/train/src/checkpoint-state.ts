import { ArgumentError, getBackend, setBackend, toBackend, type Tensor, type TensorTree } from '@rheo/tensor';
import { disposeTree, namedToTree, treeToNamed, type AdamState, type EmaState, type StateTree } from '@rheo/nn';
import type { StopReason, ValidationRecord } from './fit-options.js';
import type { PlateauState } from './schedule.js';

/** The loop's bookkeeping besides tensors, stored as JSON (doubles round-trip exactly through JSON). */
export interface FitProgress {
  /** Sum and count of the training losses since the last validation evaluation. */
  readonly trainLossSum: number;
  readonly trainLossCount: number;
  readonly best: { readonly step: number; readonly loss: number } | null;
  /** Evaluations in a row without a new best validation loss. */
  readonly sinceImprovement: number;
  readonly history: readonly ValidationRecord[];
  readonly plateau: PlateauState | null;
  /** Set when the run ended before its last step (early stopping, budget). */
  readonly stopReason: StopReason | null;
}

export const NO_PROGRESS: FitProgress = {
  trainLossSum: 0, trainLossCount: 0, best: null, sinceImprovement: 0, history: [], plateau: null, stopReason: null,
};

/** Everything a resumed run needs: the step reached, parameters, buffers, optimiser and EMA state, best copies and progress. */
export interface TrainingState<P extends TensorTree, B extends StateTree> {
  readonly step: number;
  readonly params: P;
  readonly buffers: B;
  readonly adam: AdamState<P>;
  readonly ema: EmaState<P> | null;
  /** Copies of the best parameters and buffers, when validation is on (the initial ones before the first evaluation). */
  readonly best?: { readonly params: P; readonly buffers: B } | null;
  readonly progress?: FitProgress;
}

const FORMAT = 'rheo-fit/1';
const BEST_FORMAT = 'rheo-fit-best/1';

/** Metadata keys fit writes itself; caller metadata may not use them. */
export const RESERVED_METADATA_KEYS: readonly string[] = ['format', 'step', 'fit'];

// File access is loaded on first use, and browser bundlers resolve @rheo/nn/node to a build without node:fs
// whose functions say why they cannot work there.
async function files() {
  return import('@rheo/nn/node');
}

function tensorsOf<P extends TensorTree, B extends StateTree>(state: TrainingState<P, B>): StateTree {
  const tree: Record<string, StateTree> = { params: state.params, buffers: state.buffers, adam: state.adam, ema: state.ema };
  if (state.best) tree['best'] = { params: state.best.params, buffers: state.best.buffers };
  return tree as StateTree;
}

async function save(path: string, tree: StateTree, metadata: Record<string, string>): Promise<void> {
  const { saveCheckpoint } = await files();
  const named = treeToNamed(tree);
  const counters = Object.entries(named).filter(([, t]) => t.dtype === 'int32' && t.rank === 0);
  try {
    await saveCheckpoint(path, named, metadata);
  } finally {
    // treeToNamed made fresh scalars for the integer counters; the tensors are the state's own.
    for (const [, t] of counters) t.dispose();
  }
}

/**
 * Writes the state atomically (temporary file, fsync, rename): a crash
 * mid-write leaves the previous checkpoint. `metadata` travels along; it may
 * not use the keys in RESERVED_METADATA_KEYS.
 */
export async function writeCheckpoint<P extends TensorTree, B extends StateTree>(
  path: string, state: TrainingState<P, B>, metadata: Readonly<Record<string, string>> = {},
): Promise<void> {
  checkMetadata(metadata);
  await save(path, tensorsOf(state), { ...metadata, format: FORMAT, step: String(state.step), fit: JSON.stringify(state.progress ?? NO_PROGRESS) });
}

/** Writes best parameters and buffers as `params.*` and `buffers.*` entries, atomically, with the step and validation loss in metadata. */
export async function writeBestCheckpoint<P extends TensorTree, B extends StateTree>(
  path: string, best: { readonly params: P; readonly buffers: B }, at: { readonly step: number; readonly loss: number },
  metadata: Readonly<Record<string, string>> = {},
): Promise<void> {
  checkMetadata(metadata);
  const tree = { params: best.params, buffers: best.buffers } as StateTree;
  await save(path, tree, { ...metadata, format: BEST_FORMAT, step: String(at.step), fit: JSON.stringify({ validationLoss: at.loss }) });
}

/** Throws an ArgumentError naming caller metadata keys that clash with fit's own, or values that are not strings. */
export function checkMetadata(metadata: Readonly<Record<string, string>>): void {
  if (metadata === null || typeof metadata !== 'object') throw new ArgumentError(`fit(metadata): expected a record of strings, received ${metadata === null ? 'null' : typeof metadata}`);
  const clashes = Object.keys(metadata).filter((k) => RESERVED_METADATA_KEYS.includes(k));
  if (clashes.length > 0) {
    throw new ArgumentError(
      `fit(metadata): key${clashes.length > 1 ? 's' : ''} ${clashes.map((k) => JSON.stringify(k)).join(', ')} ${clashes.length > 1 ? 'are' : 'is'} written by fit itself; expected other keys than ${RESERVED_METADATA_KEYS.map((k) => JSON.stringify(k)).join(', ')}`,
    );
  }
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new ArgumentError(`fit(metadata): value of ${JSON.stringify(k)} is ${typeof v}; expected a string`);
  }
}

function parseProgress(path: string, text: string | undefined): FitProgress {
  if (text === undefined) return NO_PROGRESS;
  let p: FitProgress;
  try {
    p = JSON.parse(text) as FitProgress;
  } catch {
    p = null as unknown as FitProgress;
  }
  const ok = p !== null && typeof p === 'object' && Number.isFinite(p.trainLossSum) && Number.isInteger(p.trainLossCount)
    && Number.isInteger(p.sinceImprovement) && Array.isArray(p.history);
  if (!ok) throw new ArgumentError(`fit(checkpoint.path): ${path} has metadata "fit" ${JSON.stringify(text.slice(0, 80))}; expected the JSON progress record fit writes`);
  return { ...NO_PROGRESS, ...p };
}

/** Removes the temporary files that killed saves of the best-validation copy at `path` left behind. */
export async function removeBestOrphans(path: string): Promise<void> {
  const { removeOrphanTemps } = await files();
  await removeOrphanTemps(path);
}

/**
 * The state saved at `path`, shaped like `template` (every name, shape and
 * dtype checked, best copies included when the template has them), or null
 * when there is no file yet. A file of another format or shape is an error,
 * never silently ignored.
 */
export async function readCheckpoint<P extends TensorTree, B extends StateTree>(
  path: string, template: TrainingState<P, B>,
): Promise<TrainingState<P, B> | null> {
  const { checkpointExists, loadCheckpoint, removeOrphanTemps } = await files();
  // A run killed mid-save leaves its temporary file; resuming is the first chance to remove it.
  await removeOrphanTemps(path);
  if (!(await checkpointExists(path))) return null;
  // Restoring integer counters reads tensors synchronously: load on the CPU,
  // then move the tensors to the active backend.
  const original = getBackend();
  const onCpu = original.readSync === undefined;
  if (onCpu) await setBackend('cpu', { quiet: true });
  let loaded;
  try {
    loaded = await loadCheckpoint(path);
  } finally {
    if (onCpu) await setBackend(original.name, { quiet: true });
  }
  if (onCpu) {
    const moved: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(loaded.tensors)) {
      moved[name] = t.dtype === 'int32' && t.rank === 0 ? t : await toBackend(t, original);
      if (moved[name] !== t) t.dispose();
    }
    loaded = { ...loaded, tensors: moved };
  }
  const step = Number(loaded.metadata['step']);
  if (loaded.metadata['format'] !== FORMAT || !Number.isInteger(step) || step < 0) {
    disposeTree(Object.values(loaded.tensors));
    throw new ArgumentError(
      `fit(checkpoint.path): ${path} has metadata format ${JSON.stringify(loaded.metadata['format'])}, step ${JSON.stringify(loaded.metadata['step'])}; expected format "${FORMAT}" and a step count (a checkpoint written by fit)`,
    );
  }
  let progress: FitProgress;
  let tree;
  try {
    progress = parseProgress(path, loaded.metadata['fit']);
    tree = namedToTree(tensorsOf(template), loaded.tensors) as unknown as Omit<TrainingState<P, B>, 'step'>;
  } catch (err) {
    disposeTree(Object.values(loaded.tensors));
    if (err instanceof ArgumentError && err.message.startsWith('fit(')) throw err;
    throw new ArgumentError(`fit(checkpoint.path): ${path} does not match this model: ${(err as Error).message}`);
  }
  // Integer counters came back as numbers; the entries the tree does not hold are no longer needed.
  const entries = new Set<unknown>(Object.values(loaded.tensors));
  const kept = new Set<unknown>();
  const collect = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    if (entries.has(v)) kept.add(v);
    else Object.values(v).forEach(collect);
  };
  collect(tree);
  for (const t of Object.values(loaded.tensors)) if (!kept.has(t)) t.dispose();
  return { step, ...tree, best: tree.best ?? null, progress };
}
