import { outputArray } from '../backends/cpu/buffer-pool.js';
import { run } from '../engine.js';
import { ArgumentError, ShapeError, show } from '../errors.js';
import type { Primitive } from '../primitive.js';
import { sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkAlongAxis, takeAlongAxis } from './take-along-axis.js';
import { bindings, dispatchFor, entry, WORKGROUP_SIZE, wgslType, word } from '../wgsl/program.js';

export interface ScatterAddAlongAxisAttrs {
  /** Length K of the output's last axis. */
  readonly size: number;
}

/**
 * The transpose of takeAlongAxis: out[..., indices[..., j]] += updates[..., j]
 * row by row along the last axis, zero elsewhere; updates and int32 indices
 * are [..., M], out is [..., K]. Repeated indices accumulate. Its gradient
 * is takeAlongAxis of the cotangent.
 */
export const scatterAddAlongAxisPrimitive: Primitive<ScatterAddAlongAxisAttrs> = {
  name: 'scatterAddAlongAxis',
  infer([u, idx], { size }) {
    if (!Number.isInteger(size) || size < 0) throw new ArgumentError(`scatterAddAlongAxis(size): expected a non-negative integer, received ${show(size)}`);
    checkAlongAxis('scatterAddAlongAxis(updates, indices)', 'updates', u!, idx!);
    if (u!.shape[u!.shape.length - 1] !== idx!.shape[idx!.shape.length - 1]) {
      throw new ShapeError(`scatterAddAlongAxis(updates, indices): updates of shape ${show(u!.shape)} must have the shape of indices ${show(idx!.shape)}`);
    }
    return { shape: [...u!.shape.slice(0, -1), size], dtype: u!.dtype };
  },
  cpu([u, idx], { size }, out) {
    const m = idx!.shape[idx!.shape.length - 1]!;
    const ids = idx!.values, uv = u!.values;
    for (let i = 0; i < ids.length; i++) {
      const c = ids[i]!;
      if (c < 0 || c >= size) throw new ArgumentError(`scatterAddAlongAxis(updates, indices): indices holds ${c} at flat position ${i}; expected 0 <= index < ${size}`);
    }
    // Checked first, so a bad index leaves no pooled block behind; zeroed, as pooled blocks hold old values.
    const o = outputArray(out.dtype, sizeOf(out.shape), uv).fill(0);
    for (let i = 0; i < ids.length; i++) o[Math.floor(i / m) * size + ids[i]!]! += uv[i]!;
    return o;
  },
  /*
   * WGSL has no float atomics: one invocation per output entry loops over its
   * row's M indices, O(K·M) per row, adding in ascending j as the CPU does.
   * An index out of range is dropped.
   */
  wgsl([u, idx], { size }, out) {
    const n = sizeOf(out.shape);
    const m = idx!.shape[idx!.shape.length - 1]!;
    const t = wgslType(out.dtype);
    const body = `  if (i >= ${word(0)}) { return; }
  let k = i % ${word(1)};
  let row = (i / ${word(1)}) * ${word(2)};
  var acc = ${t}(0);
  for (var j = 0u; j < ${word(2)}; j++) {
    if (in1[row + j] == i32(k)) { acc += in0[row + j]; }
  }
  out[i] = acc;`;
    return {
      key: `scatterAddAlongAxis:${t}`,
      source: `${bindings([u!.dtype, 'int32'], out.dtype, 3)}\n${entry(WORKGROUP_SIZE, body)}`,
      dispatch: dispatchFor(n),
      uniforms: [n, Math.max(size, 1), m],
    };
  },
  grad: (g, [, idx]) => [takeAlongAxis(g, idx!), null],
};

/**
 * out[..., indices[..., j]] += updates[..., j] along the last axis into rows
 * of length `size` (zero where no index points); differentiable in updates.
 */
export function scatterAddAlongAxis(updates: Tensor, indices: Tensor, size: number): Tensor {
  return run(scatterAddAlongAxisPrimitive, [updates, indices], { size });
}
