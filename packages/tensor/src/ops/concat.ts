import { outputArray } from '../backends/cpu/buffer-pool.js';
import { copyRowsKernel } from '../backends/cpu/wasm-copy.js';
import { run } from '../engine.js';
import { ArgumentError, DTypeError, ShapeError, show } from '../errors.js';
import type { Primitive } from '../primitive.js';
import { normalizeAxis, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { reshape } from './reshape.js';
import { sliceAxis } from './slice.js';
import { copyRun } from './strided.js';
import { bindings, dispatchFor, entry, WORKGROUP_SIZE, word } from '../wgsl/program.js';

export interface ConcatAttrs {
  readonly axis: number;
}

/** Joins tensors along an existing axis. Its gradient is one slice per input. */
export const concatPrimitive: Primitive<ConcatAttrs> = {
  name: 'concat',
  infer(xs, { axis }) {
    const first = xs[0]!;
    const shape = [...first.shape];
    xs.forEach((x, k) => {
      if (x.dtype !== first.dtype) throw new DTypeError(`concat(xs): xs[${k}] is ${x.dtype} but xs[0] is ${first.dtype}`);
      const ok = x.shape.length === first.shape.length && x.shape.every((d, i) => i === axis || d === first.shape[i]);
      if (!ok) {
        throw new ShapeError(`concat(xs, ${axis}): xs[${k}] has shape ${show(x.shape)}, xs[0] has ${show(first.shape)}; all axes but ${axis} must match`);
      }
      if (k > 0) shape[axis] = shape[axis]! + x.shape[axis]!;
    });
    return { shape, dtype: first.dtype };
  },
  cpu(xs, { axis }, out) {
    const o = outputArray(out.dtype, sizeOf(out.shape), xs[0]?.values);
    const outer = sizeOf(out.shape.slice(0, axis));
    const rowOut = sizeOf(out.shape.slice(axis));
    let col = 0;
    for (const x of xs) {
      const rowIn = sizeOf(x.shape.slice(axis));
      const rows = copyRowsKernel(x.values, o);
      if (rows !== undefined) {
        if (outer > 0 && rowIn > 0) rows(x.values.byteOffset, 4 * rowIn, o.byteOffset + 4 * col, 4 * rowOut, outer, 4 * rowIn);
      } else {
        for (let q = 0; q < outer; q++) copyRun(o, q * rowOut + col, x.values, q * rowIn, rowIn);
      }
      col += rowIn;
    }
    return o;
  },
  // out viewed as [outer, rowOut]: column col of a row comes from the input whose column range holds it.
  wgsl(xs, { axis }, out) {
    const n = sizeOf(out.shape);
    const rowOut = sizeOf(out.shape.slice(axis));
    const uniforms = [n, rowOut];
    let start = 0;
    const branches = xs.map((x, k) => {
      const rowIn = sizeOf(x.shape.slice(axis));
      uniforms.push(start, rowIn);
      start += rowIn;
      const read = `out[i] = in${k}[q * ${word(3 + 2 * k)} + col - ${word(2 + 2 * k)}];`;
      return k === xs.length - 1 ? `{ ${read} }` : `if (col < ${word(2 + 2 * k)} + ${word(3 + 2 * k)}) { ${read} }`;
    });
    const body = `  if (i >= ${word(0)}) { return; }\n  let q = i / ${word(1)};\n  let col = i % ${word(1)};\n  ${branches.join(' else ')}`;
    return {
      key: `concat:${out.dtype}:${xs.length}`,
      source: `${bindings(xs.map((x) => x.dtype), out.dtype, uniforms.length)}\n${entry(WORKGROUP_SIZE, body)}`,
      dispatch: dispatchFor(n),
      uniforms,
    };
  },
  grad(g, xs, _y, { axis }) {
    let start = 0;
    return xs.map((x) => {
      const part = sliceAxis(g, axis, start, start + x.shape[axis]!);
      start += x.shape[axis]!;
      return part;
    });
  },
};

/** Tensors joined along `axis`; every other axis must match. */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new ArgumentError(`concat(xs): expected a non-empty array of tensors, received ${show(xs)}`);
  if (xs.length === 1) return xs[0]!;
  return run(concatPrimitive, xs, { axis: normalizeAxis('concat', axis, xs[0]!.rank) });
}

/** Stacks equally shaped tensors along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new ArgumentError(`stack(xs): expected a non-empty array of tensors, received ${show(xs)}`);
  const rank = xs[0]!.rank + 1;
  const a = normalizeAxis('stack', axis, rank);
  return concat(
    xs.map((x) => {
      const s = [...x.shape];
      s.splice(a, 0, 1);
      return reshape(x, s);
    }),
    a,
  );
}
