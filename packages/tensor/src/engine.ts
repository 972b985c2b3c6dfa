import type { Backend, BackendMemory } from './backend.js';
import type { DType, TypedArray } from './dtype.js';
import { ArgumentError, BackendError, RheoError, show } from './errors.js';
import { nonFiniteOutput, recordingOutputs, recordOutput } from './finite-record.js';
import { engineHooks } from './jit/hooks.js';
import type { AnyPrimitive, TensorInfo } from './primitive.js';
import { DataRef, Tensor, type TapeNode, Trace } from './tensor.js';

/**
 * The engine: the active backend, the op dispatcher that records autodiff
 * tapes, and the memory scopes.
 *
 * Memory model. Every tensor owns a reference to its backend storage. Storage
 * is given back by `dispose()`, by the end of the `tidy()` scope that created
 * the tensor (unless it is returned from the scope, kept with `keep()`, or
 * still needed by a live autodiff trace), or, as a safety net, when the
 * tensor object is garbage-collected. On the CPU the garbage collector alone
 * suffices; on a GPU use `tidy` in loops so memory stays flat.
 */

type BackendFactory = () => Backend | Promise<Backend>;

interface Registration {
  factory: BackendFactory;
  priority: number;
  instance?: Backend;
}

interface Scope {
  readonly tensors: Tensor[];
  readonly traces: Trace[];
}

const registry = new Map<string, Registration>();
let active: Backend | null = null;
const scopes: Scope[] = [];
let checkFinite = false;

/**
 * Makes a backend available to `setBackend(name)`; `auto` tries registered backends by descending
 * `priority` (the CPU has 0).
 */
export function registerBackend(name: string, factory: BackendFactory, priority = 0): void {
  registry.set(name, { factory, priority });
}

/** The names of the registered backends. */
export function registeredBackends(): string[] {
  return [...registry.keys()];
}

/**
 * Selects the backend new tensors are created on. `auto` takes the
 * highest-priority backend that initialises, and falls back with a one-line
 * notice saying why. Returns the active backend.
 */
export async function setBackend(name: string, options: { quiet?: boolean } = {}): Promise<Backend> {
  if (name === 'auto') {
    const candidates = [...registry.entries()].sort((a, b) => b[1].priority - a[1].priority);
    for (const [candidate, reg] of candidates) {
      try {
        return await activate(candidate, reg);
      } catch (err) {
        if (!options.quiet) {
          // One line, whatever the cause's message looks like (Node's resolver errors span several).
          const why = String((err as Error).message).replace(/\s*\n\s*/g, ' ');
          console.warn(`rheo: backend "${candidate}" unavailable (${why}); trying the next one`);
        }
      }
    }
    throw new BackendError(`setBackend("auto"): no registered backend could be initialised (tried ${show(registeredBackends())})`);
  }
  const reg = registry.get(name);
  if (!reg) {
    throw new BackendError(
      `setBackend(name): unknown backend ${show(name)}; registered: ${show(registeredBackends())}, or "auto"` +
        (name === 'webgpu' ? ' (import "@rheo/tensor/webgpu" to register the WebGPU backend)' : ''),
    );
  }
  return activate(name, reg);
}

async function activate(name: string, reg: Registration): Promise<Backend> {
  if (!reg.instance) {
    try {
      reg.instance = await reg.factory();
    } catch (err) {
      throw err instanceof RheoError ? err : new BackendError(`backend "${name}" failed to initialise: ${(err as Error).message}`);
    }
  }
  active = reg.instance;
  return active;
}

/** The active backend; the CPU backend unless another was selected. */
export function getBackend(): Backend {
  if (active) return active;
  const cpu = registry.get('cpu');
  if (!cpu) throw new BackendError('no backend is active and the CPU backend is not registered');
  if (!cpu.instance) {
    const made = cpu.factory();
    if (made instanceof Promise) throw new BackendError('the CPU backend must initialise synchronously');
    cpu.instance = made;
  }
  active = cpu.instance;
  return active;
}

/** Name and description of the active backend. */
export function backendInfo(): { name: string; description: string } {
  const b = getBackend();
  return { name: b.name, description: b.description };
}

/** Live tensors counted by the backend that holds them. */
export function memory(): BackendMemory {
  return getBackend().memory();
}

/**
 * Debug mode: after every op, check the output for NaN and infinities and
 * throw a NonFiniteError naming the op. Costs a read of every output.
 */
export function setCheckFinite(on: boolean): void {
  checkFinite = on;
}

/** @internal whether `setCheckFinite(true)` is on. */
export function finiteChecking(): boolean {
  return checkFinite;
}

// ---------------------------------------------------------------- scopes

/**
 * Runs `fn` in a memory scope: tensors it creates are disposed when it
 * returns, except those in its result (any nesting of arrays and objects),
 * those passed to keep(), and those a live autodiff trace still needs.
 */
export function tidy<T>(fn: () => T): T {
  const scope = beginScope();
  let result: T;
  try {
    result = fn();
  } catch (err) {
    endScope(scope, []);
    throw err;
  }
  if (result instanceof Promise) {
    endScope(scope, []);
    throw new ArgumentError('tidy(fn): fn returned a Promise; tidy scopes must be synchronous (await outside, or dispose by hand)');
  }
  endScope(scope, collectTensors(result));
  return result;
}

/**
 * Disposes `t` now unless it may be needed: it was passed to keep(), it was
 * computed under a live autodiff trace, or a traced op has read it (its
 * tidy() scope frees it later, as usual). For loops that replace a tensor every iteration (an
 * autoregressive inverse, a fixed-point solve): releasing the previous value
 * bounds memory by one iteration when nothing is traced, and changes nothing
 * when gradients flow through the loop.
 */
export function release(t: Tensor): void {
  if (t.kept || t.taped || t.ref === null) return;
  if (t.node && t.node.deps.some((d) => d.state !== 'done')) return;
  t.dispose();
}

/** Exempts a tensor from the tidy() scopes it was created in. */
export function keep<T extends Tensor>(t: T): T {
  t.kept = true;
  return t;
}

/** @internal */
export function beginScope(): Scope {
  const scope: Scope = { tensors: [], traces: [] };
  scopes.push(scope);
  return scope;
}

/** @internal */
export function endScope(scope: Scope, results: readonly Tensor[]): void {
  const top = scopes.pop();
  if (top !== scope) throw new RheoError('internal: tidy scopes ended out of order');
  for (const trace of scope.traces) trace.state = 'done';
  const keepSet = new Set<Tensor>();
  const stack = [...results];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (keepSet.has(t)) continue;
    keepSet.add(t);
    const node = t.node;
    if (node && node.deps.some((d) => d.state !== 'done')) stack.push(...node.inputs);
  }
  const parent = scopes[scopes.length - 1];
  for (const t of scope.tensors) {
    if (keepSet.has(t) || t.kept) {
      // A tape no live trace can reach is dropped, so kept results do not pin old graphs.
      if (t.node && t.node.deps.every((d) => d.state === 'done')) t.node = null;
      // Out of every scope: from here on only the collector can free it if it is dropped.
      if (parent) parent.tensors.push(t);
      else t.watch();
    } else t.dispose();
  }
}

/** @internal attaches a trace to the innermost scope, which ends it. */
export function scopeTrace(trace: Trace): void {
  scopes[scopes.length - 1]?.traces.push(trace);
}

/** Every tensor inside a value made of arrays, plain objects and tensors. */
export function collectTensors(value: unknown, out: Tensor[] = []): Tensor[] {
  if (value instanceof Tensor) out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectTensors(v, out);
  else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectTensors(v, out);
  }
  return out;
}

// ---------------------------------------------------------------- dispatch

/** @internal wraps fresh storage in a tensor and registers it with the scope. */
export function adopt(ref: DataRef, shape: readonly number[], dtype: DType, node: TapeNode | null = null): Tensor {
  const scope = scopes[scopes.length - 1];
  const t = new Tensor(shape, dtype, ref, scope !== undefined);
  t.node = node;
  scope?.tensors.push(t);
  return t;
}

/** Creates a tensor from values on the active backend. */
export function fromValues(values: TypedArray, shape: readonly number[], dtype: DType): Tensor {
  const backend = getBackend();
  const info: TensorInfo = { shape, dtype };
  const t = adopt(new DataRef(backend, backend.upload(values, info), values.byteLength), shape, dtype);
  engineHooks.upload?.(t);
  return t;
}

/** The traces still recording that a set of inputs depends on. */
function recordingDeps(inputs: readonly Tensor[]): Trace[] | null {
  let deps: Trace[] | null = null;
  for (const t of inputs) {
    const node = t.node;
    if (!node) continue;
    for (const d of node.deps) {
      if (d.state !== 'recording') continue;
      if (deps === null) deps = [d];
      else if (!deps.includes(d)) deps.push(d);
    }
  }
  return deps;
}

/** Runs a primitive: checks, executes on the inputs' backend, records the tape. */
export function run<A>(prim: AnyPrimitive, inputs: readonly Tensor[], attrs: A): Tensor {
  const backend = inputs.length > 0 ? inputs[0]!.live().backend : getBackend();
  for (let i = 1; i < inputs.length; i++) {
    const b = inputs[i]!.live().backend;
    if (b !== backend) {
      throw new BackendError(`${prim.name}: input ${i} lives on the ${b.name} backend and input 0 on ${backend.name}; move one with toBackend()`);
    }
  }
  const out = prim.infer(inputs, attrs);
  let ref: DataRef;
  if (prim.alias) {
    ref = inputs[0]!.live();
    ref.refs++;
  } else {
    const kin = inputs.map((t) => ({ storage: t.live().storage, shape: t.shape, dtype: t.dtype }));
    const storage = backend.execute(prim, kin, attrs, out);
    let bytes = 4;
    for (const d of out.shape) bytes *= d;
    ref = new DataRef(backend, storage, bytes);
  }
  const deps = prim.grad && out.dtype === 'float32' ? recordingDeps(inputs) : null;
  // The tape keeps its own copy of the inputs: the caller may reuse or grow its array afterwards.
  const node = deps ? { prim, inputs: inputs.slice(), attrs, deps } : null;
  if (node) for (const x of inputs) x.taped = true;
  const t = adopt(ref, out.shape, out.dtype, node);
  if (checkFinite && out.dtype === 'float32' && backend.readSync) {
    const v = backend.readSync(ref.storage, out);
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i]!)) throw nonFiniteOutput(prim.name, v[i]!, i, out.shape, inputs.map((x) => `[${x.shape.join(', ')}]`).join(', '));
    }
  }
  if (out.dtype === 'float32' && recordingOutputs()) recordOutput(prim.name, inputs, t);
  engineHooks.op?.(prim, inputs, attrs, t);
  return t;
}

/** @internal a new tensor sharing `t`'s storage, with the given tape node. */
export function alias(t: Tensor, node: TapeNode | null): Tensor {
  const ref = t.live();
  ref.refs++;
  const out = adopt(ref, t.shape, t.dtype, node);
  engineHooks.alias?.(t, out);
  return out;
}

/** @internal deps of `t` that are still recording, plus `extra`. */
export function liveDeps(t: Tensor, extra: Trace): Trace[] {
  return [...(recordingDeps([t]) ?? []), extra];
}
