import { outputArray } from '../backends/cpu/buffer-pool.js';
import { run } from '../engine.js';
import { copyRun } from './strided.js';
import { ArgumentError, DTypeError, show } from '../errors.js';
import type { Primitive } from '../primitive.js';
import { normalizeAxis, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { scatterAdd } from './scatter-add.js';
import { bindings, dispatchFor, entry, WORKGROUP_SIZE, wgslType, word } from '../wgsl/program.js';

export interface GatherAttrs {
  readonly axis: number;
}

/**
 * Takes entries of x along `axis` at int32 `indices`:
 * out[o, j..., i] = x[o, indices[j...], i], shape x.shape[:axis] + indices.shape + x.shape[axis+1:].
 * Its gradient scatters the cotangent back with scatterAdd.
 */
export const gatherPrimitive: Primitive<GatherAttrs> = {
  name: 'gather',
  infer([x, idx], { axis }) {
    if (idx!.dtype !== 'int32') throw new DTypeError(`gather(x, indices): indices must be int32, received ${idx!.dtype}`);
    const s = x!.shape;
    return { shape: [...s.slice(0, axis), ...idx!.shape, ...s.slice(axis + 1)], dtype: x!.dtype };
  },
  cpu([x, idx], { axis }, out) {
    const s = x!.shape;
    const outer = sizeOf(s.slice(0, axis));
    const n = s[axis]!;
    const inner = sizeOf(s.slice(axis + 1));
    const ids = idx!.values;
    const m = ids.length;
    const xv = x!.values;
    for (let j = 0; j < m; j++) {
      const k = ids[j]!;
      if (k < 0 || k >= n) throw new ArgumentError(`gather(x, indices): indices holds ${k} at flat position ${j}; expected 0 <= index < ${n} (x has shape ${show(s)}, axis ${axis})`);
    }
    // Pooled (every entry is written below), so SIMD ops can read it in place.
    const o = outputArray(out.dtype, sizeOf(out.shape), xv);
    if (inner === 1 && o instanceof Float32Array && xv instanceof Float32Array) gatherColumns(o, xv, ids as Int32Array, outer, n, m);
    else {
      for (let q = 0; q < outer; q++) {
        for (let j = 0; j < m; j++) {
          const src = (q * n + ids[j]!) * inner;
          const dst = (q * m + j) * inner;
          if (inner === 1) o[dst] = xv[src]!;
          else copyRun(o, dst, xv, src, inner);
        }
      }
    }
    return o;
  },
  // out viewed as [outer, m, inner] reads x viewed as [outer, n, inner]; an index out of range reads 0.
  wgsl([x, idx], { axis }, out) {
    const s = x!.shape;
    const n = sizeOf(out.shape);
    const uniforms = [n, sizeOf(idx!.shape), s[axis]!, sizeOf(s.slice(axis + 1))];
    const t = wgslType(out.dtype);
    const body = `  if (i >= ${word(0)}) { return; }
  let inner = ${word(3)};
  let t = i % inner;
  let j = (i / inner) % ${word(1)};
  let q = (i / inner) / ${word(1)};
  let k = in1[j];
  if (k < 0 || u32(k) >= ${word(2)}) { out[i] = ${t}(0); return; }
  out[i] = in0[(q * ${word(2)} + u32(k)) * inner + t];`;
    return { key: `gather:${t}`, source: `${bindings([x!.dtype, 'int32'], out.dtype, 4)}\n${entry(WORKGROUP_SIZE, body)}`, dispatch: dispatchFor(n), uniforms };
  },
  grad: (g, [x, idx], _y, { axis }) => [scatterAdd(g, idx!, axis, x!.shape[axis]!), null],
};

/**
 * Entries of x at `indices` along `axis`: out[…, i, …] = x[…, indices[i], …]. Its gradient is a
 * `scatterAdd`.
 */
export function gather(x: Tensor, indices: Tensor, axis = 0): Tensor {
  return run(gatherPrimitive, [x, indices], { axis: normalizeAxis('gather', axis, x.rank) });
}

/**
 * o[q, j] = x[q, ids[j]] for float32 arrays viewed as [outer, n] and [outer, m]: the
 * column gather of the coupling layers' masks and permutations, in a loop that sees one
 * array type only (so V8 compiles its element accesses for it).
 */
function gatherColumns(o: Float32Array, x: Float32Array, ids: Int32Array, outer: number, n: number, m: number): void {
  for (let q = 0; q < outer; q++) {
    const from = q * n, to = q * m;
    for (let j = 0; j < m; j++) o[to + j] = x[from + ids[j]!]!;
  }
}
