import { outputArray } from '../backends/cpu/buffer-pool.js';
import { run } from '../engine.js';
import { ArgumentError, show } from '../errors.js';
import type { Primitive } from '../primitive.js';
import { normalizeAxis, sizeOf, stridesOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { pad } from './pad.js';
import { stridedCopy } from './strided.js';
import { stridedProgram } from '../wgsl/strided.js';

export interface SliceAttrs {
  readonly begin: readonly number[];
  readonly size: readonly number[];
}

/** The box [begin, begin + size) of x (unit step). Its gradient is a zero-padding. */
export const slicePrimitive: Primitive<SliceAttrs> = {
  name: 'slice',
  infer([x], { begin, size }) {
    const s = x!.shape;
    if (begin.length !== s.length || size.length !== s.length) {
      throw new ArgumentError(`slice(x, begin, size): begin ${show(begin)} and size ${show(size)} must have one entry per axis of x (shape ${show(s)})`);
    }
    s.forEach((d, i) => {
      const b = begin[i]!, n = size[i]!;
      if (!Number.isInteger(b) || !Number.isInteger(n) || b < 0 || n < 0 || b + n > d) {
        throw new ArgumentError(`slice(x, begin, size): axis ${i} asks for [${b}, ${b + n}) but x has ${d} entries there (shape ${show(s)})`);
      }
    });
    return { shape: [...size], dtype: x!.dtype };
  },
  cpu([x], { begin }, out) {
    const o = outputArray(out.dtype, sizeOf(out.shape), x!.values);
    const st = stridesOf(x!.shape);
    let offset = 0;
    begin.forEach((b, i) => (offset += b * st[i]!));
    stridedCopy(x!.values, offset, st, out.shape, o);
    return o;
  },
  wgsl([x], { begin }, out) {
    const st = stridesOf(x!.shape);
    return stridedProgram(out.dtype, out.shape, st, begin.reduce((o, b, i) => o + b * st[i]!, 0));
  },
  grad(g, [x], _y, { begin, size }) {
    return [pad(g, x!.shape.map((d, i) => [begin[i]!, d - begin[i]! - size[i]!] as [number, number]))];
  },
};

/** slice(x, begin, size): size -1 (or omitted) runs to the end of the axis; negative begins count from the end. */
export function slice(x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  if (begin.length > x.rank || (size !== undefined && size.length > x.rank)) {
    throw new ArgumentError(`slice(x, begin, size): begin ${show(begin)} and size ${show(size)} have more entries than the ${x.rank} axes of x (shape ${show(x.shape)})`);
  }
  const b = x.shape.map((d, i) => {
    const v = begin[i] ?? 0;
    return v < 0 ? v + d : v;
  });
  const s = x.shape.map((d, i) => {
    const v = size?.[i] ?? -1;
    return v === -1 ? d - b[i]! : v;
  });
  if (b.every((v) => v === 0) && s.every((v, i) => v === x.shape[i])) return x;
  return run(slicePrimitive, [x], { begin: b, size: s });
}

/** Entries [start, end) of one axis (Python-style negative indices). */
export function sliceAxis(x: Tensor, axis: number, start: number, end?: number): Tensor {
  const a = normalizeAxis('sliceAxis', axis, x.rank);
  const d = x.shape[a]!;
  const lo = start < 0 ? start + d : start;
  const hi = end === undefined ? d : end < 0 ? end + d : end;
  const begin = x.shape.map(() => 0);
  const size = [...x.shape];
  begin[a] = lo;
  size[a] = hi - lo;
  return slice(x, begin, size);
}
