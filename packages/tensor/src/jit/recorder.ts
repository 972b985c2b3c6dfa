import type { Backend } from '../backend.js';
import type { AnyPrimitive, TensorInfo } from '../primitive.js';
import { Key } from '../random/key.js';
import type { DataRef, Tensor } from '../tensor.js';
import type { JitTree } from './args.js';
import { engineHooks, keyHooks } from './hooks.js';
import { type Guard, type Program, type Step, canonicalValue, finishProgram } from './program.js';

/**
 * Records one eager run of a function as a program over numbered slots.
 * Slots are the function's input leaves (the same tensors each call), constants
 * (uploads, tensors captured from outside, and every op whose inputs are all
 * constant: folded, held by the program) and the outputs of recorded ops.
 * Anything the program cannot replay faithfully — a host read of a value that
 * depends on the inputs, a host read of a key's words — is kept as the
 * `problem`, and the program is not used.
 */
export class Recorder {
  /** The root key's owner: keys derived from the recorded key argument point back to it. */
  readonly owner = {};
  private readonly slotOf = new Map<Tensor, number>();
  private readonly dynamic: boolean[] = [];
  private readonly info: TensorInfo[] = [];
  private readonly root: number[] = [];
  private readonly consts = new Map<number, DataRef>();
  private readonly steps: Step[] = [];
  private readonly guards: Guard[] = [];
  private pending: { attrs: object; key: Key; make: (k: Key) => object } | null = null;
  private keyedDepth = 0;
  private usesKey = false;
  problem: string | null = null;

  constructor(
    private readonly backend: Backend,
    private readonly leaves: readonly Tensor[],
  ) {
    leaves.forEach((t, i) => {
      this.newSlot(true, t);
      if (!this.slotOf.has(t)) this.slotOf.set(t, i);
    });
  }

  /** A key standing for the key argument: what it derives is recorded. */
  rootKey(k: Key): Key {
    const r = new Key(k.w0, k.w1);
    r.origin = { kind: 'root', owner: this.owner };
    return r;
  }

  /** Points the engine's and the keys' hooks at this recorder. */
  attach(): void {
    engineHooks.op = (prim, inputs, attrs, out) => this.op(prim, inputs, attrs, out);
    engineHooks.alias = (source, out) => this.alias(source, out);
    engineHooks.upload = (t) => { this.constant(t); };
    engineHooks.hostRead = (t, how) => this.hostRead(t, how);
    engineHooks.untraceable = (reason) => { this.problem ??= reason; };
    keyHooks.read = (k) => this.keyRead(k);
    keyHooks.keyedAttrs = (attrs, k, make) => { if (this.owns(k)) this.pending = { attrs, key: k, make }; };
    keyHooks.value = (k, f) => this.keyedValue(k, f);
  }

  /** Clears the hooks (always, even when the recorded function threw). */
  detach(): void {
    engineHooks.op = engineHooks.alias = engineHooks.upload = engineHooks.hostRead = engineHooks.untraceable = null;
    keyHooks.read = keyHooks.keyedAttrs = keyHooks.value = null;
  }

  /** The finished program for these outputs, or null (with `problem` set) when it cannot be replayed. */
  finish(outputs: readonly Tensor[], rebuildOutputs: (ls: readonly Tensor[]) => JitTree, fuse: boolean): Program | null {
    const outSlots = outputs.map((t) => this.slot(t));
    if (this.problem !== null) {
      this.dispose();
      return null;
    }
    return finishProgram({
      backend: this.backend, leaves: this.leaves.length, slots: this.dynamic.length, info: this.info, root: this.root,
      consts: this.consts, steps: this.steps, guards: this.guards, usesKey: this.usesKey,
      outputs: outSlots.map((s, i) => ({ slot: s, shape: outputs[i]!.shape, dtype: outputs[i]!.dtype })),
    }, rebuildOutputs, fuse);
  }

  /** Gives back the constants' storage (a recording that is not used). */
  dispose(): void {
    for (const ref of this.consts.values()) ref.release();
    this.consts.clear();
  }

  private newSlot(dynamic: boolean, t: TensorInfo, root?: number): number {
    const s = this.dynamic.length;
    this.dynamic.push(dynamic);
    this.info.push({ shape: t.shape, dtype: t.dtype });
    this.root.push(root ?? s);
    return s;
  }

  private slot(t: Tensor): number {
    return this.slotOf.get(t) ?? this.constant(t);
  }

  /** A constant slot holding t's storage (an upload, a folded op, a tensor made before recording). */
  private constant(t: Tensor): number {
    const ref = t.live();
    ref.refs++;
    const s = this.newSlot(false, t);
    this.consts.set(s, ref);
    this.slotOf.set(t, s);
    return s;
  }

  private op(prim: AnyPrimitive, inputs: readonly Tensor[], attrs: unknown, out: Tensor): void {
    const pending = this.pending !== null && this.pending.attrs === attrs ? this.pending : null;
    this.pending = null;
    if (prim.alias) {
      this.alias(inputs[0]!, out);
      return;
    }
    const ins = inputs.map((t) => this.slot(t));
    if (pending === null && !ins.some((s) => this.dynamic[s])) {
      this.constant(out);
      return;
    }
    const s = this.newSlot(true, out);
    this.slotOf.set(out, s);
    if (pending !== null) this.usesKey = true;
    this.steps.push({
      prim, slot: s, ins, attrs, out: { shape: out.shape, dtype: out.dtype },
      key: pending?.key ?? null, make: pending?.make ?? null, source: -1, frees: [],
    });
  }

  private alias(source: Tensor, out: Tensor): void {
    const src = this.slot(source);
    if (!this.dynamic[src]) {
      this.constant(out);
      return;
    }
    const s = this.newSlot(true, out, this.root[src]);
    this.slotOf.set(out, s);
    this.steps.push({ prim: null, slot: s, ins: [src], attrs: null, out: { shape: out.shape, dtype: out.dtype }, key: null, make: null, source: src, frees: [] });
  }

  private hostRead(t: Tensor, how: string): void {
    const s = this.slotOf.get(t);
    if (s !== undefined && this.dynamic[s]) {
      this.problem ??= `it reads the values of a tensor computed from its arguments on the host (${how} of a [${t.shape.join(', ')}] ${t.dtype} tensor), so a replay could not follow them`;
    }
  }

  private owns(k: Key): boolean {
    let o = k.origin;
    while (o !== null && o.kind !== 'root') o = o.parent.origin;
    return o !== null && o.owner === this.owner;
  }

  private keyRead(k: Key): void {
    if (this.keyedDepth === 0 && this.owns(k)) {
      this.problem ??= "it reads the words of its key on the host (key.k0/k1, permutation, poisson, a host stream), so a replay with another key could not follow them; wrap such host draws in keyedValue(key, f)";
    }
  }

  private keyedValue<T>(k: Key, f: (k: Key) => T): T {
    if (!this.owns(k)) return f(k);
    this.keyedDepth++;
    let value: T;
    try {
      value = f(k);
    } finally {
      this.keyedDepth--;
    }
    const canonical = canonicalValue(value);
    if (canonical === null) this.problem ??= `keyedValue(key, f): f returned ${typeof value}; expected a number, string, boolean or an array of them`;
    else this.guards.push({ key: k, f, value: canonical });
    this.usesKey = true;
    return value;
  }
}
