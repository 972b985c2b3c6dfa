import type { AnyPrimitive } from '../primitive.js';
import type { Key } from '../random/key.js';
import type { Tensor } from '../tensor.js';

/**
 * What the engine tells a `jit` recording while it runs: every primitive op,
 * alias and upload, and every host read of a tensor's values. Null fields:
 * nothing is recording (the common case costs one null check per op).
 */
export interface EngineHooks {
  op: ((prim: AnyPrimitive, inputs: readonly Tensor[], attrs: unknown, out: Tensor) => void) | null;
  alias: ((source: Tensor, out: Tensor) => void) | null;
  upload: ((t: Tensor) => void) | null;
  hostRead: ((t: Tensor, how: string) => void) | null;
  untraceable: ((reason: string) => void) | null;
}

/** What keys tell a `jit` recording: host reads of a recorded key, attributes drawn from one, and keyed host values. */
export interface KeyHooks {
  read: ((k: Key) => void) | null;
  keyedAttrs: ((attrs: object, k: Key, make: (derived: Key) => object) => void) | null;
  value: (<T>(k: Key, f: (k: Key) => T) => T) | null;
}

/** @internal set by the active recording, cleared when it ends. */
export const engineHooks: EngineHooks = { op: null, alias: null, upload: null, hostRead: null, untraceable: null };

/** @internal set by the active recording, cleared when it ends. */
export const keyHooks: KeyHooks = { read: null, keyedAttrs: null, value: null };
