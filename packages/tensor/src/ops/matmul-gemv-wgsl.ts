import type { TensorInfo, WgslProgram } from '../primitive.js';
import { sizeOf } from '../shape.js';
import { collapsedBatch, decodeBatch, foldDispatch, uniformsStruct, type MatmulWgslAttrs } from './matmul-wgsl.js';

/**
 * Matrix-vector product y = P·x (P: R×K, x: K) for matmuls with N = 1
 * (P = op(A), x = op(B)) or M = 1 (Cᵀ = op(B)ᵀ·op(A)ᵀ, so P = op(B)ᵀ, x = op(A);
 * C and Cᵀ have the same row-major layout when one side is 1).
 *
 * Each operand element is used once, so no staging can save global traffic;
 * what matters is reading P coalesced and keeping every invocation busy. A
 * workgroup of 16×8 = 128 invocations owns 8 outputs; the 16 lanes of a row
 * stride through K together (adjacent lanes read adjacent addresses when K is
 * P's contiguous axis) and their partial sums meet in a 4-step tree in
 * workgroup memory. The tiled kernel would compute a 64×32 tile here of which
 * one column (or row) is used.
 */
const LANES = 16, ROWS = 8, THREADS = LANES * ROWS;

function source(matrixIsB: boolean, rowsContiguous: boolean, rank: number): string {
  const mat = matrixIsB ? 'in1' : 'in0', vec = matrixIsB ? 'in0' : 'in1';
  const mOff = matrixIsB ? 'bOff' : 'aOff', vOff = matrixIsB ? 'aOff' : 'bOff';
  // P[r][k]: stored R×K (K contiguous) or K×R (R contiguous).
  const pIndex = rowsContiguous ? `${mOff} + k * R + r` : `${mOff} + r * K + k`;
  return /* wgsl */ `
// mnk: R, unused, K, batch count; tiles: workgroups per batch entry, unused, total, unused.
${uniformsStruct(rank)}
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read> in1: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> u: Uniforms;

var<workgroup> partial: array<f32, ${THREADS}>;

@compute @workgroup_size(${LANES}, ${ROWS}, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let R = u.mnk.x; let K = u.mnk.z;
  let per = u.tiles.x; let total = u.tiles.z;
  let groups = nwg.x * nwg.y * nwg.z;
  for (var t = wid.x + nwg.x * (wid.y + nwg.y * wid.z); t < total; t += groups) {
    let batch = t / per;
    let r = (t % per) * ${ROWS}u + lid.y;
    var bi = batch;
    var aOff = 0u; var bOff = 0u;
${decodeBatch(rank)}    var s = 0.0;
    if (r < R) {
      for (var k = lid.x; k < K; k += ${LANES}u) { s = fma(${mat}[${pIndex}], ${vec}[${vOff} + k], s); }
    }
    partial[li] = s;
    workgroupBarrier();
    for (var w = ${LANES / 2}u; w > 0u; w = w >> 1u) {
      if (lid.x < w) { partial[li] = partial[li] + partial[li + w]; }
      workgroupBarrier();
    }
    if (lid.x == 0u && r < R) { out[batch * R + r] = partial[li]; }
    workgroupBarrier();
  }
}
`;
}

/** The matrix-vector program; the caller guarantees M = 1 or N = 1. */
export function matmulGemvWgsl(inputs: readonly TensorInfo[], { transposeA, transposeB }: MatmulWgslAttrs, out: TensorInfo): WgslProgram {
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  const r = out.shape.length;
  const m = out.shape[r - 2]!, n = out.shape[r - 1]!;
  const k = transposeA ? a.shape[a.shape.length - 2]! : a.shape[a.shape.length - 1]!;
  // N = 1: P = op(A), K-contiguous unless A is transposed. Otherwise (M = 1):
  // P = op(B)ᵀ, which is B itself when transposed (N×K, K contiguous).
  const matrixIsB = n !== 1;
  const rows = matrixIsB ? n : m;
  const rowsContiguous = matrixIsB ? !transposeB : transposeA;
  const dims = collapsedBatch(a.shape, b.shape, out.shape);
  const nb = sizeOf(out.shape.slice(0, -2));
  const per = Math.ceil(rows / ROWS);
  const total = per * nb;
  const uniforms = [rows, 0, k, nb, per, 0, total, 0];
  for (const d of dims) uniforms.push(d.size, d.a, d.b, 0);
  return {
    key: `matmul-gemv:${matrixIsB ? 'b' : 'a'}${rowsContiguous ? 'r' : 'k'}:${dims.length}`,
    source: source(matrixIsB, rowsContiguous, dims.length),
    dispatch: foldDispatch(total),
    uniforms,
    workgroupSize: THREADS,
  };
}
