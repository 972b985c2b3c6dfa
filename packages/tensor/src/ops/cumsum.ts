import { outputArray } from '../backends/cpu/buffer-pool.js';
import { run } from '../engine.js';
import { ArgumentError, show } from '../errors.js';
import type { Primitive } from '../primitive.js';
import { normalizeAxis, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { bindings, dispatchFor, entry, WORKGROUP_SIZE, wgslType, word } from '../wgsl/program.js';

export interface CumsumAttrs {
  readonly axis: number;
  /** Leave out the entry itself: y_i = Σ_{j<i} x_j (y_0 = 0). */
  readonly exclusive: boolean;
  /** Sum from the end of the axis: y_i = Σ_{j≥i} x_j. */
  readonly reverse: boolean;
}

/** Options of {@link cumsum}. */
export interface CumsumOptions {
  /** Sum the entries strictly before each position (the first is 0). Default false. */
  readonly exclusive?: boolean;
  /** Run from the last entry of the axis towards the first. Default false. */
  readonly reverse?: boolean;
}

/**
 * Running sum along one axis: y_i = Σ_{j≤i} x_j, or with `exclusive` Σ_{j<i},
 * and with `reverse` the same from the end (Σ_{j≥i} or Σ_{j>i}).
 *
 * Its gradient is the running sum of the cotangent in the other direction:
 * ∂L/∂x_j = Σ_{i≥j} g_i for the inclusive forward sum, so the rule is
 * cumsum(g) with `reverse` flipped and `exclusive` kept.
 */
export const cumsumPrimitive: Primitive<CumsumAttrs> = {
  name: 'cumsum',
  infer([x]) {
    return { shape: x!.shape, dtype: x!.dtype };
  },
  // Float32 sums accumulate in float64 and round once per entry.
  cpu([x], { axis, exclusive, reverse }, out) {
    const o = outputArray(out.dtype, sizeOf(out.shape), x!.values);
    const s = x!.shape;
    const outer = sizeOf(s.slice(0, axis));
    const n = s[axis]!;
    const inner = sizeOf(s.slice(axis + 1));
    const xv = x!.values;
    for (let q = 0; q < outer; q++) {
      for (let t = 0; t < inner; t++) {
        const base = q * n * inner + t;
        let acc = 0;
        for (let step = 0; step < n; step++) {
          const k = base + (reverse ? n - 1 - step : step) * inner;
          if (exclusive) {
            o[k] = acc;
            acc += xv[k]!;
          } else {
            acc += xv[k]!;
            o[k] = acc;
          }
        }
      }
    }
    return o;
  },
  // One invocation per line along the axis, walking it in order (f32 accumulator).
  wgsl([x], { axis, exclusive, reverse }, out) {
    const s = x!.shape;
    const n = s[axis]!;
    const inner = sizeOf(s.slice(axis + 1));
    const lines = n === 0 ? 0 : sizeOf(s) / n;
    const t = wgslType(out.dtype);
    const index = reverse ? `base + (${word(1)} - 1u - step) * inner` : 'base + step * inner';
    const update = exclusive ? 'out[k] = acc;\n    acc += in0[k];' : 'acc += in0[k];\n    out[k] = acc;';
    const body = `  if (i >= ${word(0)}) { return; }
  let inner = ${word(2)};
  let base = (i / inner) * ${word(1)} * inner + i % inner;
  var acc = ${t}(0);
  for (var step = 0u; step < ${word(1)}; step++) {
    let k = ${index};
    ${update}
  }`;
    return {
      key: `cumsum:${t}:${exclusive ? 'x' : 'i'}${reverse ? 'r' : 'f'}`,
      source: `${bindings([x!.dtype], out.dtype, 3)}\n${entry(WORKGROUP_SIZE, body)}`,
      dispatch: dispatchFor(lines),
      uniforms: [lines, n, inner],
    };
  },
  grad: (g, _x, _y, { axis, exclusive, reverse }) => [run(cumsumPrimitive, [g], { axis, exclusive, reverse: !reverse })],
};

/**
 * Cumulative sum of `x` along `axis` (negative counts from the end):
 * y_i = Σ_{j≤i} x_j; `exclusive` leaves x_i out, `reverse` sums from the end.
 * Same shape and dtype as `x`; differentiable (the gradient is a reverse cumsum).
 */
export function cumsum(x: Tensor, axis = -1, options: CumsumOptions = {}): Tensor {
  const { exclusive = false, reverse = false } = options;
  if (typeof exclusive !== 'boolean' || typeof reverse !== 'boolean') {
    throw new ArgumentError(`cumsum(options): exclusive and reverse must be booleans, received ${show(options)}`);
  }
  return run(cumsumPrimitive, [x], { axis: normalizeAxis('cumsum', axis, x.rank), exclusive, reverse });
}
