import type { AnyTransform } from '@rheo/flows';
import { backendInfo, BackendError, setBackend, Tensor, tensor, type DType, type TypedArray } from '@rheo/tensor';
import { encodeGraph, type EncodeOptions } from './encode-graph.js';
import { ExportError } from './errors.js';
import { foldConstants } from './fold.js';
import { mergeTraces } from './merge.js';
import { traceOnce, type TraceScope } from './trace.js';

/**
 * The two batch sizes a pass is traced at. Sizes that follow the batch are solved from the two
 * traces; primes no layer's own sizes are likely to equal, so no broadcast or reshape is skipped
 * at one size and not the other.
 */
export const TRACE_BATCHES = [13, 19] as const;

/**
 * Traces `body` at two batch sizes, merges the traces into one graph with a symbolic batch, folds
 * what depends only on constants and encodes the result.
 */
export async function exportPass(body: (scope: TraceScope) => Readonly<Record<string, Tensor>>, encode: EncodeOptions): Promise<Uint8Array> {
  const [g1, g2] = [await traceOnce(TRACE_BATCHES[0], body), await traceOnce(TRACE_BATCHES[1], body)];
  const before = backendInfo().name;
  const cpu = await setBackend('cpu', { quiet: true });
  await setBackend(before, { quiet: true });
  return encodeGraph(foldConstants(mergeTraces(g1, g2), cpu), encode);
}

/** A tensor's values off its backend, to upload again on the trace backend. */
interface HostTensor {
  readonly values: TypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** A tree of tensors (and nulls, numbers, strings) with its tensors copied to host arrays. */
export type HostTree = HostTensor | number | string | null | readonly HostTree[] | { readonly [key: string]: HostTree };

const isHost = (v: unknown): v is HostTensor => v !== null && typeof v === 'object' && 'values' in v && ArrayBuffer.isView((v as HostTensor).values);

/** Copies every tensor of a parameter or buffer tree to host arrays (from any backend). */
export async function toHost(tree: unknown, where: string): Promise<HostTree> {
  if (tree instanceof Tensor) return { values: await tree.data(), shape: [...tree.shape], dtype: tree.dtype };
  if (tree === null || typeof tree === 'number' || typeof tree === 'string') return tree;
  if (Array.isArray(tree)) return Promise.all(tree.map((t, i) => toHost(t, `${where}[${i}]`)));
  if (typeof tree === 'object' && Object.getPrototypeOf(tree) === Object.prototype) {
    const out: Record<string, HostTree> = {};
    for (const [k, v] of Object.entries(tree)) out[k] = await toHost(v, `${where}.${k}`);
    return out;
  }
  throw new ExportError(`${where}: expected a tree of tensors (arrays and plain objects), received ${typeof tree}`);
}

/** The same tree with its tensors uploaded to the active backend (the tracer: they become constants). */
export function fromHost<T>(tree: HostTree): T {
  const walk = (v: HostTree): unknown => {
    if (isHost(v)) return tensor(v.values, v.shape, v.dtype);
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(walk);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x as HostTree)]));
  };
  return walk(tree) as T;
}

/** `err` as an ExportError naming the layer and the pass it failed in. */
export function layerError(where: string, err: unknown): ExportError {
  const msg = err instanceof Error ? err.message : String(err);
  if (err instanceof ExportError && msg.startsWith('layer ')) return err;
  if (err instanceof BackendError && msg.startsWith('dataSync()')) {
    return new ExportError(`${where}: reads tensor values back into JS during the pass (a data-dependent loop or check), which a static graph cannot hold`);
  }
  return new ExportError(`${where}: ${msg}`);
}

/** A transform whose failures during a trace name it: "layer 3 (maf) inverse: ...". */
export function namedLayer(t: AnyTransform, label: string): AnyTransform {
  const guard = <R>(what: string, f: () => R): R => {
    try {
      return f();
    } catch (err) {
      throw layerError(`${label} ${what}`, err);
    }
  };
  return {
    ...t,
    forwardAndLogDet: (p, b, x, o) => guard('forward', () => t.forwardAndLogDet(p, b, x, o)),
    inverseAndLogDet: (p, b, z, o) => guard('inverse', () => t.inverseAndLogDet(p, b, z, o)),
    ...(t.forward ? { forward: (p, b, x, o) => guard('forward', () => t.forward!(p, b, x, o)) } : {}),
    ...(t.inverse ? { inverse: (p, b, z, o) => guard('inverse', () => t.inverse!(p, b, z, o)) } : {}),
  };
}
