import type { AnyPrimitive, DType, TypedArray } from '@rheo/tensor';
import { ExportError } from './errors.js';
import type { TraceGraph } from './trace.js';
import type { TraceConst } from './trace-backend.js';

/** A size that grows with the batch: a·batch + b. */
export interface BatchDim {
  readonly a: number;
  readonly b: number;
}

/** A static size or one that follows the batch. */
export type Dim = number | BatchDim;

/** A node of the batch-generic graph. */
export type GraphNode =
  | { readonly kind: 'input'; readonly name: string; readonly shape: readonly Dim[]; readonly dtype: DType }
  | { readonly kind: 'const'; readonly values: TypedArray; readonly shape: readonly number[]; readonly dtype: DType }
  /** A tensor of batch-dependent shape holding one value everywhere (zeros([n]) for log-dets). */
  | { readonly kind: 'fill'; readonly value: number; readonly shape: readonly Dim[]; readonly dtype: DType }
  | { readonly kind: 'op'; readonly prim: AnyPrimitive; readonly inputs: readonly number[]; readonly attrs: unknown; readonly shape: readonly Dim[]; readonly dtype: DType };

/** The graph for any batch size, and its named outputs. */
export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly outputs: readonly { readonly name: string; readonly node: number }[];
}

export const isBatchDim = (d: unknown): d is BatchDim => typeof d === 'object' && d !== null && 'a' in d && 'b' in d;

/** Every number of a value (attributes, shapes) static: no BatchDim inside. */
export function isStatic(v: unknown): boolean {
  if (isBatchDim(v)) return false;
  if (Array.isArray(v)) return v.every(isStatic);
  if (v !== null && typeof v === 'object') return Object.values(v).every(isStatic);
  return true;
}

/**
 * Two traces of the same pass at batch sizes n₁ ≠ n₂ become one graph: the structure must be the
 * same, and every number that differs (a reshape's shape, a slice's size, a constant's shape) must
 * be a·n + b with integer a, b, solved from the two values. A constant whose values differ must be
 * a fill (one value); anything else was computed in JS from the batch and cannot be exported.
 */
export function mergeTraces(g1: TraceGraph, g2: TraceGraph): Graph {
  const [n1, n2] = [g1.batch, g2.batch];
  if (g1.nodes.length !== g2.nodes.length) {
    throw new ExportError(`the pass records ${g1.nodes.length} primitives at batch ${n1} and ${g2.nodes.length} at batch ${n2}; expected a structure independent of the batch size`);
  }
  const dim = (x: number, y: number, where: string): Dim => {
    if (x === y) return x;
    const a = (y - x) / (n2 - n1);
    const b = x - a * n1;
    if (!Number.isInteger(a) || !Number.isInteger(b)) {
      throw new ExportError(`${where}: ${x} at batch ${n1} and ${y} at batch ${n2} is not a·batch + b with integers a, b`);
    }
    return { a, b };
  };
  const merge = (x: unknown, y: unknown, where: string): unknown => {
    if (typeof x === 'number' && typeof y === 'number') return Number.isInteger(x) && Number.isInteger(y) ? dim(x, y, where) : same(x, y, where);
    if (Array.isArray(x) && Array.isArray(y) && x.length === y.length) return x.map((v, i) => merge(v, y[i], where));
    if (x !== null && y !== null && typeof x === 'object' && typeof y === 'object' && !ArrayBuffer.isView(x)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(x)) out[k] = merge((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], where);
      return out;
    }
    return same(x, y, where);
  };
  const same = (x: unknown, y: unknown, where: string): unknown => {
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) throw new ExportError(`${where}: ${String(x)} at batch ${n1} but ${String(y)} at batch ${n2}; expected the same value`);
    return x;
  };
  const nodes = g1.nodes.map((a, i): GraphNode => {
    const b = g2.nodes[i]!;
    const where = a.kind === 'op' ? `primitive ${i} (${a.prim.name})` : `${a.kind} ${i}`;
    if (a.kind !== b.kind || (a.kind === 'op' && b.kind === 'op' && (a.prim !== b.prim || a.inputs.join() !== b.inputs.join()))) {
      throw new ExportError(`${where}: the pass differs between batch ${n1} and batch ${n2}; expected a structure independent of the batch size`);
    }
    const shape = merge(a.shape, b.shape, `${where} shape`) as Dim[];
    if (a.kind === 'input') return { kind: 'input', name: a.name, shape, dtype: a.dtype };
    if (a.kind === 'op' && b.kind === 'op') return { kind: 'op', prim: a.prim, inputs: a.inputs, attrs: merge(a.attrs, b.attrs, `${where} attributes`), shape, dtype: a.dtype };
    return mergeConst(a as TraceConst, b as TraceConst, shape, where, n1, n2);
  });
  return { nodes, outputs: g1.outputs };
}

function mergeConst(a: TraceConst, b: TraceConst, shape: Dim[], where: string, n1: number, n2: number): GraphNode {
  const equal = a.values.length === b.values.length && a.values.every((v, i) => Object.is(v, b.values[i]));
  if (equal && isStatic(shape)) return { kind: 'const', values: a.values, shape: a.shape, dtype: a.dtype };
  const v = a.values[0];
  const uniform = (t: TypedArray) => t.every((x) => Object.is(x, v));
  if (v !== undefined && uniform(a.values) && uniform(b.values)) return { kind: 'fill', value: v, shape, dtype: a.dtype };
  throw new ExportError(
    `${where}: a constant of shape [${a.shape.join(', ')}] at batch ${n1} ([${b.shape.join(', ')}] at batch ${n2}) holds values that depend on the batch; ` +
      'expected constants made in the graph, not computed in JS from the inputs',
  );
}
