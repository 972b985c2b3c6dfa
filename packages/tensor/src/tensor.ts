import type { Backend, Storage } from './backend.js';
import type { DType, TypedArray } from './dtype.js';
import { ArgumentError, BackendError, DisposedError } from './errors.js';
import { engineHooks } from './jit/hooks.js';
import type { AnyPrimitive } from './primitive.js';
import type { Shape } from './shape.js';
import { sizeOf } from './shape.js';

/**
 * Reference-counted storage shared by tensors that alias it (reshape,
 * stopGradient, autodiff leaves).
 */
export class DataRef {
  refs = 1;
  constructor(
    readonly backend: Backend,
    readonly storage: Storage,
    readonly bytes: number,
  ) {}

  release(): void {
    if (--this.refs === 0) this.backend.release(this.storage);
  }
}

/**
 * One reverse-mode trace (one `grad`, `vjp` or `valueAndGrad` call).
 * "recording": ops on tensors that depend on its leaves are recorded;
 * "held": nothing new is recorded, but the recorded graph stays alive for a pullback;
 * "done": the graph may be freed.
 */
export class Trace {
  state: 'recording' | 'held' | 'done' = 'recording';
}

/** How a traced tensor was computed. */
export interface TapeNode {
  readonly prim: AnyPrimitive | null;
  readonly inputs: readonly Tensor[];
  readonly attrs: unknown;
  /** The traces whose leaves this tensor depends on. */
  readonly deps: readonly Trace[];
}

// Tensors dropped without dispose() give their storage back when collected;
// dispose() and tidy() give it back at once, which bounded GPU memory needs.
const collector = new FinalizationRegistry<DataRef>((ref) => ref.release());

let nextId = 0;

// Unscoped tensors wait here before the collector watches them: most are disposed first (an op's
// result read and dropped in a loop) and then never touch the registry, whose register and
// unregister cost about half a microsecond per op, mostly in garbage collection. The rest are
// registered after 256 more, or at the end of the current task.
let young: Tensor[] = [];
let flushQueued = false;

function flushYoung(): void {
  flushQueued = false;
  const list = young;
  young = [];
  for (const t of list) t.watch();
}

function watchSoon(t: Tensor): void {
  young.push(t);
  if (young.length >= 256) flushYoung();
  else if (!flushQueued) {
    flushQueued = true;
    queueMicrotask(flushYoung);
  }
}

/**
 * An n-dimensional array on a backend: shape, dtype and storage. Ops are functions (`add(a, b)`),
 * not methods; reads are `data()` (asynchronous, any backend) and `dataSync()`, `toArray()`,
 * `item()` (synchronous backends). Freed by `dispose()`, `tidy` or, as a safety net, garbage
 * collection.
 */
export class Tensor {
  readonly id = nextId++;
  readonly size: number;
  /** @internal */ ref: DataRef | null;
  /** @internal */ node: TapeNode | null = null;
  /** @internal set by keep(): tidy() leaves this tensor alone. */ kept = false;
  /** @internal set when a traced op reads this tensor: release() leaves it to its scope. */ taped = false;
  /** @internal whether the garbage-collection safety net watches this tensor (see `watch`). */ watched = false;

  /**
   * @internal use the creation functions (tensor, zeros, ...) instead. A
   * tensor made inside a tidy() scope is not watched by the collector until
   * it outlives its scopes (the scope disposes it otherwise): registering
   * and unregistering every intermediate cost about a tenth of a small op.
   * One made outside every scope is watched soon after (see `watchSoon`).
   */
  constructor(
    readonly shape: Shape,
    readonly dtype: DType,
    ref: DataRef,
    scoped = false,
  ) {
    this.size = sizeOf(shape);
    this.ref = ref;
    if (!scoped) watchSoon(this);
  }

  /** @internal from now on, if this tensor is collected undisposed, its storage is released. */
  watch(): void {
    if (this.watched || this.ref === null) return;
    this.watched = true;
    collector.register(this, this.ref, this);
  }

  get rank(): number {
    return this.shape.length;
  }

  get backend(): Backend {
    return this.live().backend;
  }

  get isDisposed(): boolean {
    return this.ref === null;
  }

  /** @internal */
  live(): DataRef {
    if (this.ref === null) {
      throw new DisposedError(
        `tensor #${this.id} (shape [${this.shape.join(', ')}], ${this.dtype}) was used after dispose(); ` +
          'keep it with keep() or return it from tidy() to use it later',
      );
    }
    return this.ref;
  }

  /** Copies the values out (row-major), on any backend. */
  async data(): Promise<TypedArray> {
    const ref = this.live();
    engineHooks.hostRead?.(this, 'data()');
    return ref.backend.read(ref.storage, this);
  }

  /** Copies the values out synchronously; only backends that can (the CPU). */
  dataSync(): TypedArray {
    const ref = this.live();
    engineHooks.hostRead?.(this, 'dataSync()');
    if (!ref.backend.readSync) {
      throw new BackendError(`dataSync(): the ${ref.backend.name} backend reads asynchronously; use await tensor.data()`);
    }
    return ref.backend.readSync(ref.storage, this);
  }

  /** The value of a one-element tensor, synchronously (CPU backend). */
  item(): number {
    if (this.size !== 1) {
      throw new ArgumentError(`item(): expected a tensor with one element, received shape [${this.shape.join(', ')}]`);
    }
    return this.dataSync()[0]!;
  }

  /**
   * Nested arrays of the values, synchronously (CPU backend). Refused above
   * TO_ARRAY_MAX_SIZE elements: V8 aborts the whole process (an uncatchable
   * "invalid array length" fatal error) when a JS array outgrows its limit, so
   * larger tensors are read as typed arrays with `data()`/`dataSync()`.
   */
  toArray(): NestedArray {
    if (this.size > TO_ARRAY_MAX_SIZE) {
      throw new ArgumentError(
        `toArray(): tensor of shape [${this.shape.join(', ')}] has ${this.size} elements; expected at most ${TO_ARRAY_MAX_SIZE} (2^26) for nested JS arrays; use dataSync() or await data() for a typed array`,
      );
    }
    return nest(this.dataSync(), this.shape);
  }

  /** Gives the storage back now. Idempotent. */
  dispose(): void {
    if (this.ref === null) return;
    if (this.watched) collector.unregister(this);
    const ref = this.ref;
    this.ref = null;
    ref.release();
  }

  toString(): string {
    return `Tensor(${this.dtype}, [${this.shape.join(', ')}])`;
  }
}

/** The most elements `toArray()` turns into nested JS arrays (2^26, below V8's array limits). */
export const TO_ARRAY_MAX_SIZE = 2 ** 26;

/** A number or nested arrays of numbers: what `toArray()` returns and `tensor()` accepts. */
export type NestedArray = number | NestedArray[];

function nest(values: TypedArray, shape: Shape): NestedArray {
  if (shape.length === 0) return values[0]!;
  const build = (offset: number, axis: number): NestedArray[] => {
    const n = shape[axis]!;
    const inner = sizeOf(shape.slice(axis + 1));
    const out: NestedArray[] = [];
    for (let i = 0; i < n; i++) {
      out.push(axis === shape.length - 1 ? values[offset + i]! : build(offset + i * inner, axis + 1));
    }
    return out;
  };
  return build(0, 0);
}
