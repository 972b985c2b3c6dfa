import { beginScope, collectTensors, endScope, finiteChecking, getBackend } from '../engine.js';
import { ArgumentError, RheoError, show } from '../errors.js';
import { recordingOutputs } from '../finite-record.js';
import { checkKey, type Key } from '../random/key.js';
import { Tensor } from '../tensor.js';
import { flattenArgs, type JitTree } from './args.js';
import { engineHooks } from './hooks.js';
import { type Program, guardsHold, replay } from './program.js';
import { Recorder } from './recorder.js';

/** Thrown by a `jit` function with `onUntraceable: 'error'` when its function cannot be replayed. */
export class TraceError extends RheoError {}

/** Options of `jit`. */
export interface JitOptions {
  /** Used in messages. */
  readonly name?: string;
  /**
   * What to do when the function cannot be replayed (it reads computed values
   * or its key's words on the host): `'warn'` (default) prints one line and
   * runs it eagerly from then on, `'eager'` does so silently, `'error'` throws
   * a TraceError. Eager runs give the right result, only slower.
   */
  readonly onUntraceable?: 'warn' | 'eager' | 'error';
  /**
   * On the CPU, run chains of elementwise ops (add, mul, sub, div, maximum, neg, sqrt…) whose
   * intermediates nothing else reads as one WebAssembly loop each: the same bits, fewer passes
   * over memory and fewer launches. Default true.
   */
  readonly fuse?: boolean;
  /** Recordings kept per argument layout (one per distinct keyedValue outcome); the oldest goes first. Default 16. */
  readonly maxVariants?: number;
}

/** Counters of a `jit` function. */
export interface JitStats {
  /** Calls that ran the function eagerly and recorded it. */
  readonly recordings: number;
  /** Calls answered by a replay. */
  readonly replays: number;
  /** Calls that ran eagerly without recording (nested in a recording or gradient trace, finite checks on, or untraceable). */
  readonly eager: number;
  /** Recordings held now. */
  readonly programs: number;
  /** Kernel launches of the last replayed or recorded program. */
  readonly kernels: number;
  /** Why the function runs eagerly, if it does. */
  readonly untraceable: string | null;
}

/**
 * A function made by `jit`: call it like the original; `stats()` counts, `clear()` drops the
 * recordings and gives back the storage of their constants (as collecting the function does).
 */
export interface JitFunction<A extends JitTree, R extends JitTree> {
  (args: A, key?: Key): R;
  stats(): JitStats;
  clear(): void;
}

interface Layout {
  programs: Program[];
  untraceable: string | null;
}

/**
 * Record once, replay after: `jit(fn)` runs `fn(args, key)` eagerly the
 * first time it sees an argument layout (the tree's structure, shapes and
 * dtypes), recording every primitive op it launches — forward pass, gradient
 * sweep, any number of `grad`/`vjp` levels — and answers later calls with the
 * same layout by replaying those kernels on the new arguments: no shape
 * checks, tape, scopes or per-op tensor objects, dead ops dropped, constant
 * ops folded, intermediates freed at their last use. On the CPU a replay
 * gives the same bits as an eager call. The WebGPU backend replays the same
 * way.
 *
 * Like JAX's `jit`, what the function computes must depend only on its
 * arguments' values and the key: tensors it reads from outside (a closure)
 * are captured by value at recording; host numbers it computes are
 * constants. Randomness comes from `key`: keys split or folded from it and
 * samplers drawing from them follow the key of each call; a host value drawn
 * from a key (a series' random length) goes through `keyedValue`, and each
 * value seen gets its own recording. A function that reads computed values
 * on the host is detected and run eagerly (see `onUntraceable`). Outputs carry
 * no autodiff tape: put `grad` inside the function. Called under an outer
 * gradient trace, it runs eagerly so the outer trace sees its ops.
 */
export function jit<A extends JitTree, R extends JitTree>(fn: (args: A, key?: Key) => R, options: JitOptions = {}): JitFunction<A, R> {
  if (typeof fn !== 'function') throw new ArgumentError(`jit(fn): expected a function (args, key) => tensors, received ${show(fn)}`);
  const name = options.name ?? (fn.name || 'fn');
  const onUntraceable = options.onUntraceable ?? 'warn';
  if (!['warn', 'eager', 'error'].includes(onUntraceable)) {
    throw new ArgumentError(`jit(onUntraceable): expected 'warn', 'eager' or 'error', received ${show(onUntraceable)}`);
  }
  const maxVariants = options.maxVariants ?? 16;
  if (!Number.isInteger(maxVariants) || maxVariants < 1) throw new ArgumentError(`jit(maxVariants): expected a positive integer, received ${show(maxVariants)}`);
  const layouts = new Map<string, Layout>();
  let recordings = 0, replays = 0, eager = 0, kernels = 0;
  let untraceable: string | null = null;

  const eagerCall = (args: A, key: Key | undefined): R => {
    eager++;
    return fn(args, key);
  };

  const call = (args: A, key?: Key): R => {
    if (key !== undefined) checkKey(key, `${name}(key)`);
    const { leaves, layout: shape, rebuild } = flattenArgs(args, `${name}(args)`);
    if (engineHooks.op !== null || finiteChecking() || recordingOutputs() || leaves.some(underTrace)) return eagerCall(args, key);
    const backend = leaves[0]?.live().backend ?? getBackend();
    const sig = `${backend.name}|${shape}`;
    let layout = layouts.get(sig);
    if (layout === undefined) {
      layout = { programs: [], untraceable: null };
      layouts.set(sig, layout);
    }
    if (layout.untraceable !== null) return eagerCall(args, key);
    const memo = new Map<Key, Key>();
    for (const p of layout.programs) {
      if (p.usesKey && key === undefined) {
        throw new ArgumentError(`${name}(args, key): the recorded function draws from its key; expected a Key, received undefined`);
      }
      if (guardsHold(p, key, memo)) {
        replays++;
        kernels = p.kernels;
        const outs = replay(p, leaves, key, memo);
        return p.rebuildOutputs(outs) as R;
      }
    }
    // Record: an eager run with the hooks on.
    recordings++;
    const recorder = new Recorder(backend, leaves);
    const scope = beginScope();
    let result: R | undefined;
    let ok = false;
    recorder.attach();
    try {
      result = fn(rebuild(leaves), key === undefined ? undefined : recorder.rootKey(key));
      checkResult(result, name);
      ok = true;
    } finally {
      recorder.detach();
      if (!ok) {
        recorder.dispose();
        endScope(scope, []);
      }
    }
    const { leaves: outLeaves, rebuild: rebuildOut } = flattenArgs(result!, `jit(${name}) result`);
    const program = recorder.finish(outLeaves, rebuildOut, options.fuse ?? true);
    endScope(scope, collectTensors(result));
    if (program === null) {
      layout.untraceable = untraceable = recorder.problem;
      const message = `jit(${name}): cannot replay this function: ${recorder.problem}; it runs eagerly from now on`;
      if (onUntraceable === 'error') throw new TraceError(message);
      if (onUntraceable === 'warn') console.warn(`rheo: ${message}`);
      return result!;
    }
    kernels = program.kernels;
    layout.programs.unshift(program);
    if (layout.programs.length > maxVariants) layout.programs.pop()!.dispose();
    return result!;
  };

  const clear = (): void => clearLayouts(layouts);
  const stats = (): JitStats => {
    let programs = 0;
    for (const l of layouts.values()) programs += l.programs.length;
    return { recordings, replays, eager, programs, kernels, untraceable };
  };
  const jitted = Object.assign(call, { stats, clear });
  // The recordings hold their constants' storage: given back by clear(), or when the function is collected.
  dropped.register(jitted, layouts);
  return jitted;
}

function clearLayouts(layouts: Map<string, Layout>): void {
  for (const l of layouts.values()) for (const p of l.programs) p.dispose();
  layouts.clear();
}

const dropped = new FinalizationRegistry<Map<string, Layout>>(clearLayouts);

/**
 * Tells a `jit` recording in progress that the function depends on
 * something a replay cannot follow (a host value that changes between calls,
 * such as a step counter): the function then runs eagerly, with `reason` in
 * the notice and in `stats().untraceable`. Outside a recording it does nothing.
 */
export function untraceable(reason: string): void {
  engineHooks.untraceable?.(reason);
}

function underTrace(t: Tensor): boolean {
  return t.node !== null && t.node.deps.some((d) => d.state === 'recording');
}

function checkResult(result: unknown, name: string): void {
  if (result instanceof Promise) throw new ArgumentError(`jit(${name}): the function returned a Promise; expected tensors (a jit function is synchronous)`);
  if (!(result instanceof Tensor) && (result === null || typeof result !== 'object')) {
    throw new ArgumentError(`jit(${name}): the function returned ${show(result)}; expected a tensor or a tree of tensors`);
  }
}
