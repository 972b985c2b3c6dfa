import { outputArray } from '../backends/cpu/buffer-pool.js';
import { run } from '../engine.js';
import { ArgumentError, DTypeError, ShapeError, show } from '../errors.js';
import type { Primitive, TensorInfo } from '../primitive.js';
import { sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { scatterAddAlongAxis } from './scatter-add-along-axis.js';
import { bindings, dispatchFor, entry, WORKGROUP_SIZE, wgslType, word } from '../wgsl/program.js';

/**
 * Checks the layout shared by takeAlongAxis and scatterAddAlongAxis: int32
 * indices whose shape equals `rows`' on every axis but the last.
 */
export function checkAlongAxis(op: string, rowsName: string, rows: TensorInfo, idx: TensorInfo): void {
  if (idx.dtype !== 'int32') throw new DTypeError(`${op}: indices must be int32, received ${idx.dtype}`);
  const rs = rows.shape, is = idx.shape;
  if (rs.length === 0 || is.length !== rs.length || rs.slice(0, -1).some((d, i) => d !== is[i])) {
    throw new ShapeError(`${op}: indices of shape ${show(is)} must have the rank of ${rowsName} ${show(rs)} (at least 1) and equal it on all axes but the last`);
  }
}

/**
 * Gathers along the last axis with one row of indices per row of x
 * (numpy's take_along_axis): out[..., j] = x[..., indices[..., j]], for x
 * [..., K] and int32 indices [..., M] of the same leading shape; out is
 * [..., M]. Its gradient scatters the cotangent back into each row
 * (scatterAddAlongAxis), so memory stays O(size of x + size of indices).
 */
export const takeAlongAxisPrimitive: Primitive = {
  name: 'takeAlongAxis',
  infer([x, idx]) {
    checkAlongAxis('takeAlongAxis(x, indices)', 'x', x!, idx!);
    return { shape: idx!.shape, dtype: x!.dtype };
  },
  cpu([x, idx], _attrs, out) {
    const k = x!.shape[x!.shape.length - 1]!;
    const m = idx!.shape[idx!.shape.length - 1]!;
    const ids = idx!.values, xv = x!.values;
    for (let i = 0; i < ids.length; i++) {
      const c = ids[i]!;
      if (c < 0 || c >= k) throw new ArgumentError(`takeAlongAxis(x, indices): indices holds ${c} at flat position ${i}; expected 0 <= index < ${k} (x has shape ${show(x!.shape)})`);
    }
    // Checked first, so a bad index leaves no pooled block behind.
    const o = outputArray(out.dtype, sizeOf(out.shape), xv);
    for (let i = 0; i < o.length; i++) o[i] = xv[Math.floor(i / m) * k + ids[i]!]!;
    return o;
  },
  // One invocation per output entry; an index out of range reads 0 (a shader cannot throw).
  wgsl([x, idx], _attrs, out) {
    const n = sizeOf(out.shape);
    const k = x!.shape[x!.shape.length - 1]!;
    const m = idx!.shape[idx!.shape.length - 1]!;
    const t = wgslType(out.dtype);
    const body = `  if (i >= ${word(0)}) { return; }
  let c = in1[i];
  if (c < 0 || u32(c) >= ${word(1)}) { out[i] = ${t}(0); return; }
  out[i] = in0[(i / ${word(2)}) * ${word(1)} + u32(c)];`;
    return {
      key: `takeAlongAxis:${t}`,
      source: `${bindings([x!.dtype, 'int32'], out.dtype, 3)}\n${entry(WORKGROUP_SIZE, body)}`,
      dispatch: dispatchFor(n),
      uniforms: [n, k, Math.max(m, 1)],
    };
  },
  grad: (g, [x, idx]) => [scatterAddAlongAxis(g, idx!, x!.shape[x!.shape.length - 1]!), null],
};

/**
 * out[..., j] = x[..., indices[..., j]] along the last axis, with per-row
 * int32 indices of x's leading shape (numpy's `take_along_axis(x, i, -1)`).
 * Differentiable in x.
 */
export function takeAlongAxis(x: Tensor, indices: Tensor): Tensor {
  return run(takeAlongAxisPrimitive, [x, indices], {});
}
