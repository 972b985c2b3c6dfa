import { outputArray } from '../backends/cpu/buffer-pool.js';
import { run } from '../engine.js';
import { ArgumentError, DTypeError, ShapeError, show } from '../errors.js';
import type { Primitive } from '../primitive.js';
import { sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { gather } from './gather.js';
import { bindings, dispatchFor, entry, WORKGROUP_SIZE, wgslType, word } from '../wgsl/program.js';

export interface ScatterAddAttrs {
  readonly axis: number;
  /** Length of `axis` in the output. */
  readonly size: number;
}

/**
 * The transpose of gather: out[o, indices[j...], i] += updates[o, j..., i],
 * with out zero elsewhere. Repeated indices accumulate.
 */
export const scatterAddPrimitive: Primitive<ScatterAddAttrs> = {
  name: 'scatterAdd',
  infer([u, idx], { axis, size }) {
    if (idx!.dtype !== 'int32') throw new DTypeError(`scatterAdd(updates, indices): indices must be int32, received ${idx!.dtype}`);
    if (!Number.isInteger(size) || size < 0) throw new ArgumentError(`scatterAdd(size): expected a non-negative integer, received ${show(size)}`);
    const us = u!.shape;
    const k = idx!.shape.length;
    const mid = us.slice(axis, axis + k);
    if (axis + k > us.length || mid.some((d, i) => d !== idx!.shape[i])) {
      throw new ShapeError(`scatterAdd(updates, indices, ${axis}): updates of shape ${show(us)} must have indices' shape ${show(idx!.shape)} at axis ${axis}`);
    }
    return { shape: [...us.slice(0, axis), size, ...us.slice(axis + k)], dtype: u!.dtype };
  },
  cpu([u, idx], { axis, size }, out) {
    const outer = sizeOf(out.shape.slice(0, axis));
    const inner = sizeOf(out.shape.slice(axis + 1));
    const ids = idx!.values;
    const m = ids.length;
    const uv = u!.values;
    for (let j = 0; j < m; j++) {
      const k = ids[j]!;
      if (k < 0 || k >= size) throw new ArgumentError(`scatterAdd(updates, indices): indices holds ${k} at flat position ${j}; expected 0 <= index < ${size}`);
    }
    // A pooled block holds old values: zero it before accumulating.
    const o = outputArray(out.dtype, sizeOf(out.shape), uv).fill(0);
    if (o instanceof Float32Array && uv instanceof Float32Array) scatterRows(o, uv, ids as Int32Array, outer, size, m, inner);
    else {
      for (let q = 0; q < outer; q++) {
        for (let j = 0; j < m; j++) {
          const dst = (q * size + ids[j]!) * inner;
          const src = (q * m + j) * inner;
          for (let i = 0; i < inner; i++) o[dst + i]! += uv[src + i]!;
        }
      }
    }
    return o;
  },
  /*
   * WGSL has no float atomics, so each output element is one invocation that
   * loops over all m indices and adds the updates whose index hits it: O(|out|·m)
   * work, no atomics, and the same summation order (ascending j) as the CPU kernel.
   */
  wgsl([u, idx], { axis, size }, out) {
    const n = sizeOf(out.shape);
    const uniforms = [n, sizeOf(idx!.shape), size, sizeOf(out.shape.slice(axis + 1))];
    const t = wgslType(out.dtype);
    const body = `  if (i >= ${word(0)}) { return; }
  let inner = ${word(3)};
  let t = i % inner;
  let k = (i / inner) % ${word(2)};
  let q = (i / inner) / ${word(2)};
  let m = ${word(1)};
  var acc = ${t}(0);
  for (var j = 0u; j < m; j++) {
    if (in1[j] == i32(k)) { acc += in0[(q * m + j) * inner + t]; }
  }
  out[i] = acc;`;
    return { key: `scatterAdd:${t}`, source: `${bindings([u!.dtype, 'int32'], out.dtype, 4)}\n${entry(WORKGROUP_SIZE, body)}`, dispatch: dispatchFor(n), uniforms };
  },
  grad: (g, [, idx], _y, { axis }) => [gather(g, idx!, axis), null],
};

/**
 * The adjoint of `gather`: a tensor with `size` entries along `axis`, where each slice of
 * `updates` is added at its index (repeated indices add up).
 */
export function scatterAdd(updates: Tensor, indices: Tensor, axis: number, size: number): Tensor {
  const a = axis < 0 ? axis + updates.rank - indices.rank + 1 : axis;
  return run(scatterAddPrimitive, [updates, indices], { axis: a, size });
}

/**
 * o[q, ids[j], i] += u[q, j, i] over j in order, for float32 arrays viewed as
 * [outer, size, inner] and [outer, m, inner]: the same additions in the same
 * order as the general loop, in loops that see one array type only.
 */
function scatterRows(o: Float32Array, u: Float32Array, ids: Int32Array, outer: number, size: number, m: number, inner: number): void {
  if (inner === 1) {
    for (let q = 0; q < outer; q++) {
      const to = q * size, from = q * m;
      for (let j = 0; j < m; j++) o[to + ids[j]!]! += u[from + j]!;
    }
    return;
  }
  for (let q = 0; q < outer; q++) {
    for (let j = 0; j < m; j++) {
      const to = (q * size + ids[j]!) * inner, from = (q * m + j) * inner;
      for (let i = 0; i < inner; i++) o[to + i]! += u[from + i]!;
    }
  }
}
