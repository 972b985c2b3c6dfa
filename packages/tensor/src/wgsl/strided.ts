import type { DType } from '../dtype.js';
import type { WgslProgram } from '../primitive.js';
import { sizeOf } from '../shape.js';
import { bindings, dispatchFor, entry, stridedOffsets, WORKGROUP_SIZE, word } from './program.js';

/**
 * Drops size-1 axes and merges neighbours that are contiguous in the source
 * (stride_d = stride_{d+1} · size_{d+1}), so a slice of rows or a permute that
 * keeps trailing axes together runs with a short index loop.
 */
export function collapseStrided(shape: readonly number[], strides: readonly number[]): { shape: number[]; strides: number[] } {
  const s: number[] = [];
  const st: number[] = [];
  shape.forEach((d, i) => {
    if (d === 1) return;
    const last = s.length - 1;
    if (last >= 0 && st[last] === strides[i]! * d) {
      s[last] = s[last]! * d;
      st[last] = strides[i]!;
    } else {
      s.push(d);
      st.push(strides[i]!);
    }
  });
  return { shape: s, strides: st };
}

/**
 * out[i] = x[offset + Σ_d c_d · strides_d] where c is the row-major index of i
 * in `shape`: the one kernel behind broadcastTo (stride 0 on repeated axes),
 * permute (permuted strides) and slice (an offset).
 */
export function stridedProgram(dtype: DType, shape: readonly number[], strides: readonly number[], offset: number): WgslProgram {
  const c = collapseStrided(shape, strides);
  const r = c.shape.length;
  const n = sizeOf(shape);
  // Words: n, offset, r dims, r strides.
  const uniforms = [n, offset, ...c.shape, ...c.strides];
  const body = `  if (i >= ${word(0)}) { return; }
${stridedOffsets(r, 1, (d) => 2 + d, (_k, d) => 2 + r + d)}
  out[i] = in0[${word(1)} + o0];`;
  return {
    key: `strided:${dtype}:r${r}`,
    source: `${bindings([dtype], dtype, uniforms.length)}\n${entry(WORKGROUP_SIZE, body)}`,
    dispatch: dispatchFor(n),
    uniforms,
  };
}
