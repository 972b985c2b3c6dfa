import { ArgumentError, getBackend, setBackend, toBackend, type Tensor, type TensorTree } from '@rheo/tensor';
import { disposeTree, namedToTree, treeToNamed, type AdamState, type EmaState, type StateTree } from '@rheo/nn';

/** Everything a resumed run needs: the step reached, parameters, buffers, optimiser and EMA state. */
export interface TrainingState<P extends TensorTree, B extends StateTree> {
  readonly step: number;
  readonly params: P;
  readonly buffers: B;
  readonly adam: AdamState<P>;
  readonly ema: EmaState<P> | null;
}

const FORMAT = 'rheo-fit/1';

// File access is loaded on first use, and browser bundlers resolve @rheo/nn/node to a build without node:fs
// whose functions say why they cannot work there.
async function files() {
  return import('@rheo/nn/node');
}

/** Writes the state atomically (temporary file, fsync, rename): a crash mid-write leaves the previous checkpoint. */
export async function writeCheckpoint<P extends TensorTree, B extends StateTree>(path: string, state: TrainingState<P, B>): Promise<void> {
  const { saveCheckpoint } = await files();
  const named = treeToNamed({ params: state.params, buffers: state.buffers, adam: state.adam, ema: state.ema } as StateTree);
  const counters = Object.entries(named).filter(([, t]) => t.dtype === 'int32' && t.rank === 0);
  try {
    await saveCheckpoint(path, named, { format: FORMAT, step: String(state.step) });
  } finally {
    // treeToNamed made fresh scalars for the integer counters; the tensors are the state's own.
    for (const [, t] of counters) t.dispose();
  }
}

/**
 * The state saved at `path`, shaped like `template` (every name, shape and
 * dtype checked), or null when there is no file yet. A file of another
 * format or shape is an error, never silently ignored.
 */
export async function readCheckpoint<P extends TensorTree, B extends StateTree>(
  path: string, template: TrainingState<P, B>,
): Promise<TrainingState<P, B> | null> {
  const { checkpointExists, loadCheckpoint } = await files();
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
  const shape = { params: template.params, buffers: template.buffers, adam: template.adam, ema: template.ema } as StateTree;
  let tree;
  try {
    tree = namedToTree(shape, loaded.tensors) as unknown as Omit<TrainingState<P, B>, 'step'>;
  } catch (err) {
    disposeTree(Object.values(loaded.tensors));
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
  return { step, ...tree };
}
