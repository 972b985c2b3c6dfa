import type { TensorInfo, WgslProgram } from '../primitive.js';
import { sizeOf, stridesOf } from '../shape.js';
import { matmulGemvWgsl } from './matmul-gemv-wgsl.js';
import { tiledSource, type MatmulTile, type MatmulVariant } from './matmul-tiled-source.js';

/**
 * Tiling of C = op(A) · op(B) (M×K times K×N, per batch entry).
 *
 * A workgroup owns a BM×BN tile of C and each invocation a TM×TN block of it
 * in registers; the K axis is walked in slabs of BK = 16, the workgroup
 * staging the BM×BK slab of op(A) and the BK×BN slab of op(B) in workgroup
 * memory, then every invocation does BK rank-1 updates of its block. Two tiles:
 *  - large (M, N ≥ 64): 8×8 invocations, 8×8 blocks, a 64×64 tile, 8 KiB of
 *    workgroup memory;
 *  - small (otherwise): 8×16 invocations, 4×4 blocks, a 64×32 tile, 6 KiB, so
 *    a thin C (the N = 8 head of an MLP) is not mostly padding.
 * Both stay within the compatibility-mode defaults (128 invocations, 16 KiB).
 *
 * Memory traffic per fused multiply-add (FMA):
 *  - global: (BM + BN)·BK values feed BM·BN·BK FMAs, i.e. 1/BM + 1/BN loads
 *    per FMA (0.031 large, 0.047 small) against 2 for one output per
 *    invocation;
 *  - workgroup memory: an invocation reads TM + TN values per TM·TN FMAs
 *    (0.25 per FMA for 8×8, 0.5 for 4×4), four at a time as vec4.
 * The 8×8 block needs 64 accumulators plus 16 operands, about 100 registers:
 * the usual register-blocking point of SGEMM on desktop GPUs, whose register
 * files hold that at useful occupancy; it halves both traffic figures of the
 * 4×4 block. On Mesa's llvmpipe (a CPU rasterizer running invocations in
 * SIMD lanes) it took 256³ from about 13 to 8 ms and 512³ from 100 to 62 ms,
 * both with vec4 loads; 4×8 and 8×4 blocks landed in between. A GPU with at
 * most 64 registers per thread would spill it, which is why small outputs,
 * where the large tile gains least, keep the 4×4 block.
 *
 * Vec4 global loads: an operand whose contiguous axis (K for plain A, M for
 * transposed A, N for plain B, K for transposed B) is a multiple of 4 is bound
 * as array<vec4<f32>> and staged with one 16-byte load per four values, C
 * likewise when N is; the others stay scalar. This is chosen per dispatch from
 * the shapes, so every size still takes an exact path. Four consecutive
 * values along the contiguous axis never straddle a row when that axis is a
 * multiple of 4, so bounds checks stay per vec4; on GPUs these are the
 * coalesced 128-bit loads that fill a memory transaction with fewer
 * instructions; on llvmpipe they cut 256³ by about a quarter (18 → 13 ms with
 * the 4×4 block). An interior-tile path without bounds checks measured no gain
 * (within noise, slightly slower), nor did BK = 8 or 32, so neither is used.
 *
 * Stage loads are arranged so that consecutive invocations read consecutive
 * addresses of the operand's contiguous axis, so the transposes cost no extra
 * pass. The op(A) slab is kept in the operand's own order (row-major over K
 * for plain A, K-major for transposed A) so that a vec4 load is one vec4
 * store; the op(B) slab is K-major. Out-of-range rows, columns and K entries
 * are staged as zeros, so any M, N, K (1, primes, K = 0) is exact without
 * padding.
 *
 * Work assignment: the tiles of all batch entries are numbered
 * t = (batch · tilesM + tileRow) · tilesN + tileCol and workgroups walk them with
 * a grid stride, so the dispatch stays within 65535 per axis for any size.
 * A batch entry's operand offsets come from the broadcast batch strides (0 on
 * broadcast axes), collapsed to as few axes as possible and passed as uniforms.
 * Shapes live in uniforms; only the tile, the transpose flags, the collapsed
 * batch rank and the three vec4 flags are baked into the source, so the
 * pipeline cache stays small (at most 2·4·8 programs per batch rank).
 */
const LARGE: MatmulTile = { wx: 8, wy: 8, tm: 8, tn: 8, bk: 16 };
const SMALL: MatmulTile = { wx: 8, wy: 16, tm: 4, tn: 4, bk: 16 };
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

/**
 * The tiled program, valid for every shape (see the tiling notes above). A
 * third input (matmulBias) is a bias row added to C as it is stored.
 */
export function matmulTiledWgsl(inputs: readonly TensorInfo[], { transposeA, transposeB }: MatmulWgslAttrs, out: TensorInfo): WgslProgram {
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  const r = out.shape.length;
  const m = out.shape[r - 2]!, n = out.shape[r - 1]!;
  const k = transposeA ? a.shape[a.shape.length - 2]! : a.shape[a.shape.length - 1]!;
  const dims = collapsedBatch(a.shape, b.shape, out.shape);
  const nb = sizeOf(out.shape.slice(0, -2));
  const large = m >= 64 && n >= 64;
  const tile = large ? LARGE : SMALL;
  const tilesM = Math.ceil(m / (tile.wy * tile.tm)), tilesN = Math.ceil(n / (tile.wx * tile.tn));
  const total = tilesM * tilesN * nb;
  const uniforms = [m, n, k, nb, tilesM, tilesN, total, 0];
  for (const d of dims) uniforms.push(d.size, d.a, d.b, 0);
  const variant: MatmulVariant = {
    transposeA, transposeB, rank: dims.length,
    vecA: sizeOf(a.shape) > 0 && (transposeA ? m : k) % 4 === 0,
    vecB: sizeOf(b.shape) > 0 && (transposeB ? k : n) % 4 === 0,
    vecC: sizeOf(out.shape) > 0 && n % 4 === 0,
    bias: inputs.length === 3,
  };
  const vec = `${variant.vecA ? 'v' : 's'}${variant.vecB ? 'v' : 's'}${variant.vecC ? 'v' : 's'}`;
  return {
    key: `matmul-tiled${variant.bias ? '-bias' : ''}:${large ? 'l' : 's'}:${transposeA ? 't' : 'n'}${transposeB ? 't' : 'n'}:${dims.length}:${vec}`,
    source: tiledSource(variant, tile),
    dispatch: foldDispatch(total),
    uniforms,
    workgroupSize: tile.wx * tile.wy,
  };
}

/**
 * The WGSL program of matmul: matrix-vector products (N = 1, or M = 1 read as
 * Cᵀ = op(B)ᵀ·op(A)ᵀ) take the split-K kernel of matmul-gemv-wgsl.ts, where a
 * 64×32 tile would leave 31 of 32 (or 63 of 64) outputs idle; all other
 * shapes take the tiled kernel.
 */
export function matmulWgsl(inputs: readonly TensorInfo[], attrs: MatmulWgslAttrs, out: TensorInfo): WgslProgram {
  const r = out.shape.length;
  if (out.shape[r - 1] === 1 || out.shape[r - 2] === 1) return matmulGemvWgsl(inputs, attrs, out);
  return matmulTiledWgsl(inputs, attrs, out);
}
