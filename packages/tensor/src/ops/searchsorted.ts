import { run } from '../engine.js';
import { ArgumentError, DTypeError, ShapeError, show } from '../errors.js';
import type { Primitive } from '../primitive.js';
import { sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { bindings, dispatchFor, entry, WORKGROUP_SIZE, word } from '../wgsl/program.js';

export interface SearchsortedAttrs {
  /** Count the edges ≤ v instead of the edges < v. */
  readonly right: boolean;
}

/** Options of {@link searchsorted}. */
export interface SearchsortedOptions {
  /**
   * false (default): the first index i with v ≤ edges[i] (edges equal to v
   * count as after it); true: the first i with v < edges[i] (equal edges
   * count as before it). As numpy's `side='left'` / `side='right'`.
   */
  readonly right?: boolean;
}

/**
 * Bin search along the last axis. `edges` [..., E], sorted ascending along
 * its last axis, is one row of edges per row of `values` [..., M] (the
 * leading shapes equal), or a single row [E] shared by every row. Each value
 * v becomes the int32 count of edges e with e < v (`right`: e ≤ v), which for
 * sorted edges is its insertion index in 0..E. A NaN value gives E (NaN sorts
 * last, as in numpy); edges holding NaN are not sorted and give unspecified
 * indices. Binary search: O(log E) per value, no E-fold intermediate.
 *
 * Piecewise constant, so it has no gradient rule; its int32 output is never
 * differentiated.
 */
export const searchsortedPrimitive: Primitive<SearchsortedAttrs> = {
  name: 'searchsorted',
  infer([e, v]) {
    for (const [name, t] of [['edges', e!], ['values', v!]] as const) {
      if (t.dtype !== 'float32') throw new DTypeError(`searchsorted(edges, values): ${name} must be float32, received ${t.dtype}`);
      if (t.shape.length === 0) throw new ShapeError(`searchsorted(edges, values): ${name} must have at least one axis, received shape ${show(t.shape)}`);
    }
    const es = e!.shape, vs = v!.shape;
    const shared = es.length === 1;
    const sameRows = es.length === vs.length && es.slice(0, -1).every((d, i) => d === vs[i]);
    if (!shared && !sameRows) {
      throw new ShapeError(`searchsorted(edges, values): edges of shape ${show(es)} must be one row [E] or have the leading shape of values ${show(vs)} (all axes but the last)`);
    }
    return { shape: vs, dtype: 'int32' };
  },
  cpu([e, v], { right }, out) {
    const o = new Int32Array(sizeOf(out.shape));
    const ev = e!.values, vv = v!.values;
    const nE = e!.shape[e!.shape.length - 1]!;
    const m = v!.shape[v!.shape.length - 1]!;
    const shared = e!.shape.length === 1;
    for (let i = 0; i < o.length; i++) {
      const x = vv[i]!;
      if (Number.isNaN(x)) {
        o[i] = nE;
        continue;
      }
      const base = shared || m === 0 ? 0 : Math.floor(i / m) * nE;
      // Invariant: edges below lo are before x, edges from hi on are not.
      let lo = 0, hi = nE;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const before = right ? ev[base + mid]! <= x : ev[base + mid]! < x;
        if (before) lo = mid + 1;
        else hi = mid;
      }
      o[i] = lo;
    }
    return o;
  },
  // One invocation per value; NaN is detected from its bits (WGSL may assume floats are never NaN).
  wgsl([e, v], { right }, out) {
    const n = sizeOf(out.shape);
    const nE = e!.shape[e!.shape.length - 1]!;
    const m = v!.shape[v!.shape.length - 1]!;
    const shared = e!.shape.length === 1 || m === 0;
    const cmp = right ? '<=' : '<';
    const body = `  if (i >= ${word(0)}) { return; }
  let x = in1[i];
  let ne = ${word(1)};
  if ((bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u) { out[i] = i32(ne); return; }
  let base = ${shared ? '0u' : `(i / ${word(2)}) * ne`};
  var lo = 0u;
  var hi = ne;
  loop {
    if (lo >= hi) { break; }
    let mid = (lo + hi) / 2u;
    if (in0[base + mid] ${cmp} x) { lo = mid + 1u; } else { hi = mid; }
  }
  out[i] = i32(lo);`;
    return {
      key: `searchsorted:${right ? 'right' : 'left'}:${shared ? 'shared' : 'rows'}`,
      source: `${bindings(['float32', 'float32'], 'int32', 3)}\n${entry(WORKGROUP_SIZE, body)}`,
      dispatch: dispatchFor(n),
      uniforms: [n, nE, Math.max(m, 1)],
    };
  },
};

/**
 * Insertion indices of `values` into `edges`, sorted along the last axis:
 * out[..., j] = #{k : edges[..., k] < values[..., j]} (with `right`: ≤),
 * int32 in 0..E, NaN values giving E. `edges` is [..., E] with the leading
 * shape of `values` [..., M], or one row [E] for all values. Bucketising x
 * into the bins [e_{k}, e_{k+1}) of interior edges is `searchsorted(e, x, { right: true })`.
 */
export function searchsorted(edges: Tensor, values: Tensor, options: SearchsortedOptions = {}): Tensor {
  const { right = false } = options;
  if (typeof right !== 'boolean') throw new ArgumentError(`searchsorted(options.right): expected a boolean, received ${show(right)}`);
  return run(searchsortedPrimitive, [edges, values], { right });
}
