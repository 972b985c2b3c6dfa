import { outputArray } from '../backends/cpu/buffer-pool.js';
import { copyWindow } from '../backends/cpu/wasm-copy.js';
import { run } from '../engine.js';
import { ArgumentError, show } from '../errors.js';
import type { Primitive } from '../primitive.js';
import { sizeOf, stridesOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { slice } from './slice.js';
import { copyRun } from './strided.js';
import { bindings, bitsOf, dispatchFor, entry, WORKGROUP_SIZE, wgslType, word } from '../wgsl/program.js';

export interface PadAttrs {
  readonly paddings: readonly (readonly [number, number])[];
  readonly value: number;
}

/** Pads each axis with [before, after] entries of a constant. Its gradient is a slice. */
export const padPrimitive: Primitive<PadAttrs> = {
  name: 'pad',
  infer([x], { paddings }) {
    const s = x!.shape;
    if (paddings.length !== s.length || paddings.some((p) => p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 0))) {
      throw new ArgumentError(`pad(x, paddings): expected ${s.length} pairs [before, after] of non-negative integers for x of shape ${show(s)}, received ${show(paddings)}`);
    }
    return { shape: s.map((d, i) => d + paddings[i]![0] + paddings[i]![1]), dtype: x!.dtype };
  },
  cpu([x], { paddings, value }, out) {
    // Pooled storage holds old values: the padding is always written.
    const o = outputArray(out.dtype, sizeOf(out.shape), x!.values);
    o.fill(value);
    const xs = x!.shape;
    const n = sizeOf(xs);
    if (n === 0) return o;
    const os = stridesOf(out.shape);
    let offset = 0;
    paddings.forEach((p, i) => (offset += p[0] * os[i]!));
    // Walk x row by row, writing each row at its place in the output.
    const r = xs.length;
    if (r === 0) {
      o[0] = x!.values[0]!;
      return o;
    }
    // The output's window, with the output's strides, written from x read densely.
    if (copyWindow(x!.values, xs, o, offset, os)) return o;
    const inner = xs[r - 1]!;
    const idx = new Int32Array(r);
    let p = offset;
    for (let q = 0, rows = n / inner; q < rows; q++) {
      copyRun(o, p, x!.values, q * inner, inner);
      for (let d = r - 2; d >= 0; d--) {
        idx[d]!++;
        p += os[d]!;
        if (idx[d]! < xs[d]!) break;
        p -= os[d]! * xs[d]!;
        idx[d] = 0;
      }
    }
    return o;
  },
  // One invocation per output element: inside the copied box it reads x, elsewhere it writes the constant.
  wgsl([x], { paddings, value }, out) {
    const r = out.shape.length;
    const n = sizeOf(out.shape);
    // Words: n, value bits, r output dims, r befores, r input dims, r input strides.
    const uniforms = [n, bitsOf(value, out.dtype), ...out.shape, ...paddings.map((p) => p[0]), ...x!.shape, ...stridesOf(x!.shape)];
    const lines = ['  var rest = i;', '  var off = 0u;', '  var inside = true;'];
    for (let d = r - 1; d >= 0; d--) {
      lines.push(
        `  { let n = ${word(2 + d)}; let c = rest % n; rest = rest / n; let lo = ${word(2 + r + d)};`,
        `    if (c < lo || c - lo >= ${word(2 + 2 * r + d)}) { inside = false; } else { off += (c - lo) * ${word(2 + 3 * r + d)}; } }`,
      );
    }
    const t = wgslType(out.dtype);
    const body = `  if (i >= ${word(0)}) { return; }\n${lines.join('\n')}\n  if (inside) { out[i] = in0[off]; } else { out[i] = bitcast<${t}>(${word(1)}); }`;
    return { key: `pad:${t}:r${r}`, source: `${bindings([x!.dtype], out.dtype, uniforms.length)}\n${entry(WORKGROUP_SIZE, body)}`, dispatch: dispatchFor(n), uniforms };
  },
  grad: (g, [x], _y, { paddings }) => [slice(g, paddings.map((p) => p[0]), x!.shape)],
};

/** x with `paddings[i] = [before, after]` entries of `value` added on each side of axis i. */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  return run(padPrimitive, [x], { paddings: paddings.map((p) => [p[0], p[1]] as [number, number]), value });
}
