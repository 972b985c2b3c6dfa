import type { TensorInfo, WgslProgram } from '../primitive.js';
import { sizeOf, stridesOf } from '../shape.js';
import { matmulGemvWgsl } from './matmul-gemv-wgsl.js';

/**
 * Tiling of C = op(A) · op(B) (M×K times K×N, per batch entry).
 *
 * A workgroup of WX×WY = 8×16 = 128 invocations (the compatibility-mode
 * default limit, so no limit is requested) owns a BM×BN = 64×32 tile of C;
 * each invocation keeps a TM×TN = 4×4 block of it in registers. The K axis is
 * walked in slabs of BK = 16: the workgroup stages the 64×16 slab of op(A) and
 * the 16×32 slab of op(B) in workgroup memory (6 KiB of the 16 KiB allowed),
 * then every invocation does 16 rank-1 updates of its block.
 *
 * Memory traffic per fused multiply-add:
 *  - global: (BM + BN)·BK loads feed BM·BN·BK FMAs, i.e. 1/BN + 1/BM ≈ 0.047
 *    loads per FMA, against 2 for the naive one-output-per-invocation kernel
 *    (each input element is read from global memory BN or BM times less);
 *  - workgroup memory: each invocation reads TM + TN = 8 values per TM·TN = 16
 *    FMAs, 0.5 per FMA, against 2 without the register block; the slabs are
 *    stored as vec4 so those 8 values are 2 vector loads (4 rows of A, 4
 *    columns of B), 0.125 loads per FMA.
 * A larger block (8×8) would halve both again but needs 64 accumulators per
 * invocation, which spills on small register files; 4×4 is the portable point.
 *
 * Stage loads are arranged so that consecutive invocations read consecutive
 * addresses of whichever axis of the operand is contiguous in memory (K for
 * plain A, M for transposed A, N for plain B, K for transposed B), so the
 * transposes cost no extra pass. Out-of-range rows, columns and K entries are
 * staged as zeros, so any M, N, K (1, primes, K = 0) is exact without padding.
 *
 * Work assignment: the tiles of all batch entries are numbered
 * t = (batch · tilesM + tileRow) · tilesN + tileCol and workgroups walk them with
 * a grid stride, so the dispatch stays within 65535 per axis for any size.
 * A batch entry's operand offsets come from the broadcast batch strides (0 on
 * broadcast axes), collapsed to as few axes as possible and passed as uniforms.
 * Shapes live in uniforms; only the two transpose flags and the collapsed batch
 * rank are baked into the source, so the pipeline cache stays small.
 */
const WX = 8, WY = 16, TM = 4, TN = 4, BK = 16;
const BM = WY * TM, BN = WX * TN, THREADS = WX * WY;
const MAX_GROUPS = 65535;

export interface MatmulWgslAttrs {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

/** Sizes and element strides of the broadcast batch axes, merged where both operands advance uniformly. */
export function collapsedBatch(aShape: readonly number[], bShape: readonly number[], outShape: readonly number[]): { size: number; a: number; b: number }[] {
  const batch = outShape.slice(0, -2);
  const strides = (own: readonly number[], matrix: number) => {
    const st = stridesOf(own).map((s) => s * matrix);
    const lead = batch.length - own.length;
    return batch.map((_, d) => (d < lead || own[d - lead] === 1 ? 0 : st[d - lead]!));
  };
  const aMat = sizeOf(aShape.slice(-2)), bMat = sizeOf(bShape.slice(-2));
  const aSt = strides(aShape.slice(0, -2), aMat), bSt = strides(bShape.slice(0, -2), bMat);
  const dims: { size: number; a: number; b: number }[] = [];
  for (let d = 0; d < batch.length; d++) {
    if (batch[d] === 1) continue;
    const next = { size: batch[d]!, a: aSt[d]!, b: bSt[d]! };
    const last = dims[dims.length - 1];
    // Merge axis d into the previous one when index (i, j) maps to i·size + j for both operands.
    if (last && last.a === next.a * next.size && last.b === next.b * next.size) {
      last.size *= next.size;
      last.a = next.a;
      last.b = next.b;
    } else {
      dims.push(next);
    }
  }
  return dims;
}

/** Splits a workgroup count over x, y, z with each at most 65535; kernels walk any rest with a grid stride. */
export function foldDispatch(groups: number): [number, number, number] {
  const x = Math.max(1, Math.min(groups, MAX_GROUPS));
  const rest = Math.ceil(groups / x);
  const y = Math.max(1, Math.min(rest, MAX_GROUPS));
  const z = Math.max(1, Math.min(Math.ceil(rest / y), MAX_GROUPS));
  return [x, y, z];
}

/** WGSL lines turning batch entry `bi` into operand offsets aOff, bOff (uniform dims: size, A stride, B stride). */
export function decodeBatch(rank: number): string {
  let lines = '';
  for (let d = rank - 1; d >= 0; d--) {
    lines += `    { let s = u.dims[${d}]; let i = bi % s.x; bi = bi / s.x; aOff += i * s.y; bOff += i * s.z; }\n`;
  }
  return lines;
}

export function uniformsStruct(rank: number): string {
  return `struct Uniforms {
  mnk: vec4<u32>,
  tiles: vec4<u32>,
${rank > 0 ? `  dims: array<vec4<u32>, ${rank}>, // batch axis: size, A stride, B stride, unused\n` : ''}}`;
}

function tiledSource(transposeA: boolean, transposeB: boolean, rank: number): string {
  // op(A)[r][k] and op(B)[k][c] as flat indices of the stored operands.
  const aIndex = transposeA ? 'aOff + gk * M + gr' : 'aOff + gr * K + gk';
  const bIndex = transposeB ? 'bOff + gc * K + gk' : 'bOff + gk * N + gc';
  // Staging order: consecutive invocations walk the operand's contiguous axis.
  const aSplit = transposeA ? `let r = idx % ${BM}u; let kk = idx / ${BM}u;` : `let kk = idx % ${BK}u; let r = idx / ${BK}u;`;
  const bSplit = transposeB ? `let kk = idx % ${BK}u; let c = idx / ${BK}u;` : `let c = idx % ${BN}u; let kk = idx / ${BN}u;`;
  const batchDecode = decodeBatch(rank);
  return /* wgsl */ `
// mnk: M, N, K, batch count; tiles: tilesM, tilesN, total tiles, unused.
${uniformsStruct(rank)}
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read> in1: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> u: Uniforms;

var<workgroup> As: array<vec4<f32>, ${(BK * BM) / 4}>; // row r of slab step k: As[(k * ${BM} + r) / 4][r % 4]
var<workgroup> Bs: array<vec4<f32>, ${(BK * BN) / 4}>; // column c of slab step k: Bs[(k * ${BN} + c) / 4][c % 4]

@compute @workgroup_size(${WX}, ${WY}, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let M = u.mnk.x; let N = u.mnk.y; let K = u.mnk.z;
  let tilesM = u.tiles.x; let tilesN = u.tiles.y; let total = u.tiles.z;
  let groups = nwg.x * nwg.y * nwg.z;
  for (var t = wid.x + nwg.x * (wid.y + nwg.y * wid.z); t < total; t += groups) {
    let tn = t % tilesN;
    let rest = t / tilesN;
    let tm = rest % tilesM;
    let batch = rest / tilesM;
    var bi = batch;
    var aOff = 0u; var bOff = 0u;
${batchDecode}    let row0 = tm * ${BM}u; let col0 = tn * ${BN}u;
    var acc: array<vec4<f32>, ${TM}>;
    for (var k0 = 0u; k0 < K; k0 += ${BK}u) {
      for (var j = 0u; j < ${(BM * BK) / THREADS}u; j++) {
        let idx = li + j * ${THREADS}u;
        ${aSplit}
        let gr = row0 + r; let gk = k0 + kk;
        var v = 0.0;
        if (gr < M && gk < K) { v = in0[${aIndex}]; }
        let at = kk * ${BM}u + r;
        As[at / 4u][at % 4u] = v;
      }
      for (var j = 0u; j < ${(BN * BK) / THREADS}u; j++) {
        let idx = li + j * ${THREADS}u;
        ${bSplit}
        let gc = col0 + c; let gk = k0 + kk;
        var v = 0.0;
        if (gc < N && gk < K) { v = in1[${bIndex}]; }
        let at = kk * ${BN}u + c;
        Bs[at / 4u][at % 4u] = v;
      }
      workgroupBarrier();
      for (var kk = 0u; kk < ${BK}u; kk++) {
        let a = As[kk * ${BM / 4}u + lid.y];
        let b = Bs[kk * ${BN / 4}u + lid.x];
        acc[0] = fma(vec4<f32>(a.x), b, acc[0]);
        acc[1] = fma(vec4<f32>(a.y), b, acc[1]);
        acc[2] = fma(vec4<f32>(a.z), b, acc[2]);
        acc[3] = fma(vec4<f32>(a.w), b, acc[3]);
      }
      workgroupBarrier();
    }
    let cOff = batch * M * N;
    for (var i = 0u; i < ${TM}u; i++) {
      let r = row0 + lid.y * ${TM}u + i;
      if (r < M) {
        for (var j = 0u; j < ${TN}u; j++) {
          let c = col0 + lid.x * ${TN}u + j;
          if (c < N) { out[cOff + r * N + c] = acc[i][j]; }
        }
      }
    }
  }
}
`;
}

/** The tiled program, valid for every shape (see the tiling notes above). */
export function matmulTiledWgsl(inputs: readonly TensorInfo[], { transposeA, transposeB }: MatmulWgslAttrs, out: TensorInfo): WgslProgram {
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  const r = out.shape.length;
  const m = out.shape[r - 2]!, n = out.shape[r - 1]!;
  const k = transposeA ? a.shape[a.shape.length - 2]! : a.shape[a.shape.length - 1]!;
  const dims = collapsedBatch(a.shape, b.shape, out.shape);
  const nb = sizeOf(out.shape.slice(0, -2));
  const tilesM = Math.ceil(m / BM), tilesN = Math.ceil(n / BN);
  const total = tilesM * tilesN * nb;
  const uniforms = [m, n, k, nb, tilesM, tilesN, total, 0];
  for (const d of dims) uniforms.push(d.size, d.a, d.b, 0);
  return {
    key: `matmul-tiled:${transposeA ? 't' : 'n'}${transposeB ? 't' : 'n'}:${dims.length}`,
    source: tiledSource(transposeA, transposeB, dims.length),
    dispatch: foldDispatch(total),
    uniforms,
    workgroupSize: THREADS,
  };
}

/**
 * The WGSL program of matmul: matrix-vector products (N = 1, or M = 1 read as
 * Cᵀ = op(B)ᵀ·op(A)ᵀ) take the split-K kernel of matmul-gemv-wgsl.ts, where a
 * 64×32 tile would leave 31 of 32 (or 63 of 64) accumulators idle; all other
 * shapes take the tiled kernel.
 */
export function matmulWgsl(inputs: readonly TensorInfo[], attrs: MatmulWgslAttrs, out: TensorInfo): WgslProgram {
  const r = out.shape.length;
  if (out.shape[r - 1] === 1 || out.shape[r - 2] === 1) return matmulGemvWgsl(inputs, attrs, out);
  return matmulTiledWgsl(inputs, attrs, out);
}
