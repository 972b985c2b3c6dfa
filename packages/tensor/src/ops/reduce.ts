import { allocArray, type DType, type TypedArray } from '../dtype.js';
import { outputArray } from '../backends/cpu/buffer-pool.js';
import { ArgumentError, DTypeError } from '../errors.js';
import type { TensorInfo } from '../primitive.js';
import { normalizeAxes, type Shape } from '../shape.js';

export interface ReduceAttrs {
  /** Sorted, non-negative, distinct axes. */
  readonly axes: readonly number[];
  readonly keepDims: boolean;
}

export function reduceAttrs(op: string, rank: number, axes: number | readonly number[] | undefined, keepDims: boolean | undefined): ReduceAttrs {
  if (keepDims !== undefined && typeof keepDims !== 'boolean') {
    throw new ArgumentError(`${op}(keepDims): expected a boolean, received ${String(keepDims)}`);
  }
  return { axes: normalizeAxes(op, axes, rank), keepDims: keepDims ?? false };
}

export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

export function inferReduce(op: string, x: TensorInfo, attrs: ReduceAttrs, dtypes: readonly DType[]): TensorInfo {
  if (!dtypes.includes(x.dtype)) throw new DTypeError(`${op}(x): x has dtype ${x.dtype}; expected ${dtypes.join(' or ')}`);
  for (const a of attrs.axes) {
    if (a >= x.shape.length) throw new ArgumentError(`${op}: axis ${a} is out of range for shape [${x.shape.join(', ')}]`);
  }
  return { shape: reducedShape(x.shape, attrs.axes, attrs.keepDims), dtype: x.dtype };
}

/**
 * Reduces the given axes. Each maximal run of adjacent axes is one pass over a
 * [outer, reduced, inner] view, so no transposes are needed; sums accumulate
 * in float64.
 */
export function reduceCpu(values: TypedArray, shape: Shape, axes: readonly number[], kind: 'sum' | 'max', dtype: DType): TypedArray {
  let cur: TypedArray = values;
  const dims = [...shape];
  // Runs from the last to the first keep earlier axis indices valid.
  const runs: [number, number][] = [];
  for (const a of axes) {
    const last = runs[runs.length - 1];
    if (last && last[1] === a) last[1] = a + 1;
    else runs.push([a, a + 1]);
  }
  if (runs.length === 0) {
    const copy = outputArray(dtype, values.length, values);
    copy.set(values);
    return copy;
  }
  for (let k = runs.length - 1; k >= 0; k--) {
    const [lo, hi] = runs[k]!;
    let outer = 1, red = 1, inner = 1;
    for (let d = 0; d < lo; d++) outer *= dims[d]!;
    for (let d = lo; d < hi; d++) red *= dims[d]!;
    for (let d = hi; d < dims.length; d++) inner *= dims[d]!;
    // Only the last pass's array is the op's output (and goes back to the pool when released).
    const out = k === 0 ? outputArray(dtype, outer * inner, values) : allocArray(dtype, outer * inner);
    if (kind === 'sum') sumPass(cur, out, outer, red, inner);
    else maxPass(cur, out, outer, red, inner);
    cur = out;
    for (let d = lo; d < hi; d++) dims[d] = 1;
  }
  return cur;
}

function sumPass(x: TypedArray, out: TypedArray, outer: number, red: number, inner: number): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let s = 0;
      const base = o * red;
      for (let r = 0; r < red; r++) s += x[base + r]!;
      out[o] = s;
    }
    return;
  }
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    const base = o * red * inner;
    for (let r = 0; r < red; r++) {
      const row = base + r * inner;
      for (let i = 0; i < inner; i++) acc[i]! += x[row + i]!;
    }
    for (let i = 0; i < inner; i++) out[o * inner + i] = acc[i]!;
  }
}

function maxPass(x: TypedArray, out: TypedArray, outer: number, red: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    const base = o * red * inner;
    for (let i = 0; i < inner; i++) {
      let m = -Infinity;
      for (let r = 0; r < red; r++) {
        const v = x[base + r * inner + i]!;
        // NaN propagates: a max over values with a NaN is NaN.
        if (v > m || v !== v) m = v;
        if (m !== m) break;
      }
      out[o * inner + i] = m;
    }
  }
}
