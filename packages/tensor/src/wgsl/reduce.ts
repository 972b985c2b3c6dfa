import type { DType } from '../dtype.js';
import type { WgslProgram } from '../primitive.js';
import { sizeOf, stridesOf } from '../shape.js';
import { bindings, dispatchGroups, dispatchFor, entry, prelude, word } from './program.js';
import { collapseStrided } from './strided.js';

/** Reductions at most this long run one invocation per output; longer ones one workgroup per output. */
const SERIAL_MAX = 64;
/** Invocations per output in the workgroup-tree form (a power of two). */
const TREE_SIZE = 64;

/** `var name` = Σ_d c_d · stride_d for the row-major index `index` over dims read from uniforms. */
function offsetCode(name: string, index: string, rank: number, dimWord: (d: number) => number, strideWord: (d: number) => number): string {
  const lines = [`  var ${name} = 0u;`, `  { var rest = ${index};`];
  for (let d = rank - 1; d >= 1; d--) {
    lines.push(`    { let n = ${word(dimWord(d))}; ${name} += (rest % n) * ${word(strideWord(d))}; rest = rest / n; }`);
  }
  // What is left of an in-range index is already below the outermost size: no division.
  if (rank > 0) lines.push(`    ${name} += rest * ${word(strideWord(0))};`);
  lines.push('  }');
  return lines.join('\n');
}

/**
 * Sum or max over `axes` of x. The kept axes index the outputs and the
 * reduced axes the terms, each read through strides, so any set of axes runs
 * without a transpose. Short reductions loop in one invocation per output;
 * long ones give each output a workgroup whose invocations stride over the
 * terms and then combine pairwise in workgroup memory (a tree of depth
 * log2 64), which also keeps float32 sums accurate to O(log n) ulp.
 * max propagates NaN, and max over no terms is -∞ (0 for int32, as the CPU).
 */
export function reduceProgram(kind: 'sum' | 'max', dtype: DType, shape: readonly number[], axes: readonly number[]): WgslProgram {
  const st = stridesOf(shape);
  const kept = collapseStrided(shape.filter((_, d) => !axes.includes(d)), st.filter((_, d) => !axes.includes(d)));
  const red = collapseStrided(shape.filter((_, d) => axes.includes(d)), st.filter((_, d) => axes.includes(d)));
  const nOut = sizeOf(kept.shape);
  const R = sizeOf(red.shape);
  const kr = kept.shape.length, rr = red.shape.length;
  // Words: nOut, R, kept dims, kept strides, reduced dims, reduced strides.
  const uniforms = [nOut, R, ...kept.shape, ...kept.strides, ...red.shape, ...red.strides];
  const t = dtype === 'int32' ? 'i32' : 'f32';
  const init = kind === 'sum' ? 'T(0)' : dtype === 'int32' ? 'T(-2147483647 - 1)' : 'neg_inf()';
  const combine =
    kind === 'sum'
      ? 'fn comb(x: T, y: T) -> T { return x + y; }'
      : 'fn comb(x: T, y: T) -> T { if (rheo_isnan(x)) { return x; } if (rheo_isnan(y)) { return y; } return max(x, y); }';
  const finish = kind === 'max' && dtype === 'int32' ? `select(acc, 0, ${word(1)} == 0u)` : 'acc';
  const base = offsetCode('base', 'o', kr, (d) => 2 + d, (d) => 2 + kr + d);
  const term = offsetCode('off', 'r', rr, (d) => 2 + 2 * kr + d, (d) => 2 + 2 * kr + rr + d);
  // -∞ as a constant expression is rejected (not finite), so it is built at run time from a let.
  const head = `${bindings([dtype], dtype, uniforms.length)}\n${prelude(dtype)}\n${combine}\nfn neg_inf() -> f32 { let ninf = 0xff800000u; return bitcast<f32>(ninf); }`;
  if (R <= SERIAL_MAX) {
    const body = `  let o = i;
  if (o >= ${word(0)}) { return; }
${base}
  var acc: T = ${init};
  for (var r = 0u; r < ${word(1)}; r++) {
${term}
    acc = comb(acc, in0[base + off]);
  }
  out[o] = ${finish};`;
    return { key: `reduce:${kind}:${t}:serial:${kr}:${rr}`, source: `${head}\n${entry(64, body)}`, dispatch: dispatchFor(nOut), uniforms };
  }
  const source = `${head}
var<workgroup> partial: array<T, ${TREE_SIZE}>;
@compute @workgroup_size(${TREE_SIZE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.y * nwg.x + wid.x;
  if (o >= ${word(0)}) { return; }
${base}
  var acc: T = ${init};
  for (var r = lid; r < ${word(1)}; r += ${TREE_SIZE}u) {
${term}
    acc = comb(acc, in0[base + off]);
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = ${TREE_SIZE / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { partial[lid] = comb(partial[lid], partial[lid + s]); }
    workgroupBarrier();
  }
  if (lid == 0u) { acc = partial[0]; out[o] = ${finish}; }
}`;
  return { key: `reduce:${kind}:${t}:tree:${kr}:${rr}`, source, dispatch: dispatchGroups(nOut), uniforms };
}
