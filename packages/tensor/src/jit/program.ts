import type { Backend, KernelInput, Storage } from '../backend.js';
import type { DType } from '../dtype.js';
import { adopt } from '../engine.js';
import { BackendError } from '../errors.js';
import type { AnyPrimitive, TensorInfo } from '../primitive.js';
import { type Key, fold, splitOne } from '../random/key.js';
import type { Shape } from '../shape.js';
import { DataRef, type Tensor } from '../tensor.js';
import type { JitTree } from './args.js';
import { fuseElementwise } from './fuse.js';
import { GPU_CHAIN_INPUTS } from '../ops/elementwise-chain.js';

/**
 * One recorded step: a kernel (`prim`) reading slots `ins` and writing slot
 * `slot`, or (prim null) an alias of slot `source` (a reshape, an autodiff
 * leaf). Attributes drawn from a key are remade from the derived key (`make`).
 * `frees`: storage roots whose last reader this step is.
 */
export interface Step {
  readonly prim: AnyPrimitive | null;
  readonly slot: number;
  readonly ins: readonly number[];
  readonly attrs: unknown;
  readonly out: TensorInfo;
  readonly key: Key | null;
  readonly make: ((k: Key) => object) | null;
  readonly source: number;
  frees: number[];
}

/** A host value the recording depended on: replayed only where `f` of the derived key gives `value` again. */
export interface Guard {
  readonly key: Key;
  readonly f: (k: Key) => unknown;
  readonly value: string;
}

interface Output {
  readonly slot: number;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** What a Recorder gathered. */
export interface Recording {
  readonly backend: Backend;
  readonly leaves: number;
  readonly slots: number;
  /** Shape and dtype of each slot. */
  readonly info: readonly TensorInfo[];
  /** The slot whose storage each slot shares (itself, or an alias's source's root). */
  readonly root: readonly number[];
  readonly consts: ReadonlyMap<number, DataRef>;
  readonly steps: readonly Step[];
  readonly guards: readonly Guard[];
  readonly usesKey: boolean;
  readonly outputs: readonly Output[];
}

/** A recording cut to what the outputs need, with the point where each intermediate's storage is freed. */
export interface Program extends Recording {
  /** Kernel launches per replay. */
  readonly kernels: number;
  /** Per storage root, the step after which it is freed (Infinity: never, inputs, constants, outputs). */
  readonly freedAt: readonly number[];
  /** Per step, reusable kernel inputs (their storage is set at each replay). */
  readonly kin: readonly { storage: Storage; shape: Shape; dtype: DType }[][];
  /** The output tree, from its leaves. */
  readonly rebuildOutputs: (leaves: readonly Tensor[]) => JitTree;
  /** Gives back the constants' storage. */
  dispose(): void;
}

/** JSON of a keyed host value, or null when it is not made of numbers, strings and booleans. */
export function canonicalValue(v: unknown): string | null {
  const ok = (x: unknown): boolean => typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean' || (Array.isArray(x) && x.every(ok));
  return ok(v) ? JSON.stringify(v) : null;
}

/** Drops steps no output needs and marks where each intermediate storage dies. */
export function finishProgram(r: Recording, rebuildOutputs: (leaves: readonly Tensor[]) => JitTree, fuse: boolean): Program {
  const needed = new Array<boolean>(r.slots).fill(false);
  for (const o of r.outputs) needed[o.slot] = true;
  let kept: Step[] = [];
  for (let i = r.steps.length - 1; i >= 0; i--) {
    const s = r.steps[i]!;
    if (!needed[s.slot]) continue;
    for (const x of s.ins) needed[x] = true;
    kept.push({ ...s, frees: [] });
  }
  kept.reverse();
  // On a GPU a chain's inputs are storage buffers, 8 per shader by default with the output.
  if (fuse && r.backend.name === 'cpu') kept = fuseElementwise(kept, r.info, new Set(r.outputs.map((o) => o.slot)));
  else if (fuse && r.backend.name === 'webgpu') kept = fuseElementwise(kept, r.info, new Set(r.outputs.map((o) => o.slot)), GPU_CHAIN_INPUTS);
  // A root is protected when the caller owns it (inputs), the program does (constants) or an output hands it on.
  const isProtected = new Array<boolean>(r.slots).fill(false);
  for (let s = 0; s < r.leaves; s++) isProtected[s] = true;
  for (const s of r.consts.keys()) isProtected[s] = true;
  for (const o of r.outputs) isProtected[r.root[o.slot]!] = true;
  const lastUse = new Map<number, number>();
  kept.forEach((s, i) => {
    if (s.prim === null) return;
    for (const x of s.ins) lastUse.set(r.root[x]!, i);
  });
  const freedAt = new Array<number>(r.slots).fill(Infinity);
  for (const [root, i] of lastUse) {
    if (isProtected[root]) continue;
    kept[i]!.frees.push(root);
    freedAt[root] = i;
  }
  const kin = kept.map((s) => s.ins.map((x) => ({ storage: null as Storage, shape: r.info[x]!.shape, dtype: r.info[x]!.dtype })));
  // Constants no kept step reads are given back now.
  const consts = new Map<number, DataRef>();
  for (const [s, ref] of r.consts) {
    if (needed[s]) consts.set(s, ref);
    else ref.release();
  }
  const dispose = (): void => {
    for (const ref of consts.values()) ref.release();
    consts.clear();
  };
  return { ...r, consts, steps: kept, kernels: kept.filter((s) => s.prim !== null).length, freedAt, kin, rebuildOutputs, dispose };
}

/** The key a recorded key stands for, given the replay's key argument. */
function derive(k: Key, rootKey: Key, memo: Map<Key, Key>): Key {
  const o = k.origin!;
  if (o.kind === 'root') return rootKey;
  let d = memo.get(k);
  if (d === undefined) {
    const parent = derive(o.parent, rootKey, memo);
    d = o.kind === 'split' ? splitOne(parent, o.index) : fold(parent, o.data);
    memo.set(k, d);
  }
  return d;
}

/** Whether every host value the program depended on comes out the same for this key. */
export function guardsHold(p: Program, rootKey: Key | undefined, memo: Map<Key, Key>): boolean {
  for (const g of p.guards) {
    if (rootKey === undefined || canonicalValue(g.f(derive(g.key, rootKey, memo))) !== g.value) return false;
  }
  return true;
}

/**
 * Runs the program's kernels on the given input leaves: the same kernels, in
 * the same order, on the same shapes as the recording, so on the CPU the
 * outputs are bit-identical to an eager call. No tape, scope bookkeeping or
 * shape inference: intermediates are freed after their last reader.
 */
export function replay(p: Program, leaves: readonly Tensor[], rootKey: Key | undefined, memo: Map<Key, Key>): Tensor[] {
  const backend = p.backend;
  const st = new Array<Storage>(p.slots);
  for (let i = 0; i < p.leaves; i++) {
    const ref = leaves[i]!.live();
    if (ref.backend !== backend) {
      throw new BackendError(`jit: argument leaf ${i} lives on the ${ref.backend.name} backend; the recording ran on ${backend.name}`);
    }
    st[i] = ref.storage;
  }
  for (const [s, ref] of p.consts) st[s] = ref.storage;
  let i = 0;
  try {
    for (; i < p.steps.length; i++) {
      const step = p.steps[i]!;
      if (step.prim === null) {
        st[step.slot] = st[step.source];
        continue;
      }
      const kin = p.kin[i]!;
      for (let j = 0; j < kin.length; j++) kin[j]!.storage = st[step.ins[j]!];
      const attrs = step.make !== null ? step.make(derive(step.key!, rootKey!, memo)) : step.attrs;
      st[step.slot] = backend.execute(step.prim, kin as readonly KernelInput[], attrs, step.out);
      for (const r of step.frees) backend.release(st[r]);
    }
  } catch (err) {
    // Give back what the steps before the failing one made and did not free yet.
    for (let j = 0; j < i; j++) {
      const s = p.steps[j]!;
      if (s.prim !== null && !(p.freedAt[s.slot]! < i)) backend.release(st[s.slot]);
    }
    throw err;
  }
  const refs = new Map<number, DataRef>();
  return p.outputs.map((o) => {
    const root = p.root[o.slot]!;
    let ref = refs.get(root);
    if (ref === undefined) {
      const held = root < p.leaves ? leaves[root]!.live() : p.consts.get(root);
      if (held !== undefined) {
        held.refs++;
        ref = held;
      } else {
        ref = new DataRef(backend, st[root], sizeOfShape(o.shape) * 4);
      }
      refs.set(root, ref);
    } else ref.refs++;
    return adopt(ref, o.shape, o.dtype);
  });
}

function sizeOfShape(s: Shape): number {
  let n = 1;
  for (const d of s) n *= d;
  return n;
}
