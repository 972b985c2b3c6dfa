import { broadcastTo } from '../ops/broadcast-to.js';
import { cast } from '../ops/cast.js';
import { concat } from '../ops/concat.js';
import { gather } from '../ops/gather.js';
import { matmul } from '../ops/matmul.js';
import { matmulBias } from '../ops/matmul-bias.js';
import { max } from '../ops/max.js';
import { pad } from '../ops/pad.js';
import { permute } from '../ops/permute.js';
import { randomUniform } from '../ops/random-uniform.js';
import { Key } from '../random/key.js';
import { reshape } from '../ops/reshape.js';
import { scatterAdd } from '../ops/scatter-add.js';
import { slice } from '../ops/slice.js';
import { sum } from '../ops/sum.js';
import type { PrimitiveCase } from './case.js';
import * as R from './reference.js';

const all = (rank: number): number[] => Array.from({ length: rank }, (_, i) => i);

function reduction(primitive: 'sum' | 'max', shape: number[], axes: number[] | undefined, keepDims: boolean): PrimitiveCase {
  const op = primitive === 'sum' ? sum : max;
  return {
    primitive,
    label: `${primitive} [${shape.join(', ')}] axes ${axes ? `[${axes.join(', ')}]` : 'all'}${keepDims ? ' keepDims' : ''}`,
    inputs: [{ shape }],
    op: ([x]) => op(x!, axes, keepDims),
    reference: ([x]) => R.reduce(x!, axes ?? all(shape.length), keepDims, primitive),
    wrt: [0],
  };
}

function product(a: number[], b: number[], tA: boolean, tB: boolean): PrimitiveCase {
  return {
    primitive: 'matmul',
    label: `matmul [${a.join(', ')}]${tA ? 'ᵀ' : ''} · [${b.join(', ')}]${tB ? 'ᵀ' : ''}`,
    inputs: [{ shape: a }, { shape: b }],
    op: ([x, y]) => matmul(x!, y!, { transposeA: tA, transposeB: tB }),
    reference: ([x, y]) => R.matmul(x!, y!, tA, tB),
    wrt: [0, 1],
  };
}

/** op(a)·op(b) + bias against the float64 product plus the bias, broadcast over rows. */
function affine(a: number[], b: number[], tA: boolean, tB: boolean): PrimitiveCase {
  const n = tB ? b[b.length - 2]! : b[b.length - 1]!;
  return {
    primitive: 'matmulBias',
    label: `matmulBias [${a.join(', ')}]${tA ? 'ᵀ' : ''} · [${b.join(', ')}]${tB ? 'ᵀ' : ''} + [${n}]`,
    inputs: [{ shape: a }, { shape: b }, { shape: [n] }],
    op: ([x, y, c]) => matmulBias(x!, y!, c!, { transposeA: tA, transposeB: tB }),
    reference: ([x, y, c]) => R.zip(R.matmul(x!, y!, tA, tB), c!, (p, q) => p + q),
    wrt: [0, 1, 2],
  };
}

/**
 * Threefry-2x32-20 known answer (Salmon et al. 2011, Random123 kat_vectors):
 * key (0, 0), counter (0, 0) → (0x6b200159, 0x99ba4efe); randomUniform maps
 * each word w to (w >>> 8) · 2⁻²⁴.
 */
const THREEFRY_ZERO = [0x6b200159, 0x99ba4efe].map((w) => (w >>> 8) / 2 ** 24);

export const STRUCTURAL_CASES: readonly PrimitiveCase[] = [
  reduction('sum', [3, 4], undefined, false),
  reduction('sum', [2, 3, 4], [1], false),
  reduction('sum', [2, 3, 4], [0, 2], true),
  reduction('sum', [], undefined, false),
  reduction('sum', [0, 3], [0], false),
  reduction('sum', [1, 5], [1], true),
  reduction('max', [3, 4], undefined, false),
  reduction('max', [2, 3, 4], [1], false),
  reduction('max', [2, 3, 4], [0, 2], true),
  reduction('max', [], undefined, false),
  reduction('max', [3, 0], [0], false),
  {
    // At a two-way tie the central difference of max is exactly 1/2 per
    // entry, the equal split the gradient rule promises.
    primitive: 'max',
    label: 'max with two-way ties along axis 1',
    inputs: [{ shape: [3, 3], values: [1, 1, 0, -1, 2, 2, 0.5, -3, 0.5] }],
    op: ([x]) => max(x!, 1),
    reference: ([x]) => R.reduce(x!, [1], false, 'max'),
    wrt: [0],
  },
  product([3, 4], [4, 5], false, false),
  product([4, 3], [4, 5], true, false),
  product([3, 4], [5, 4], false, true),
  product([4, 3], [5, 4], true, true),
  product([2, 3, 4], [4, 2], false, false),
  product([2, 1, 3, 4], [3, 4, 2], false, false),
  product([2, 4, 3], [2, 5, 4], true, true),
  product([3, 4], [2, 4, 5], false, false),
  product([1, 3, 4], [2, 5, 4], false, true),
  product([2, 4, 3], [4, 5], true, false),
  product([2, 0], [0, 3], false, false),
  product([0, 2], [2, 3], false, false),
  product([1, 1], [1, 1], false, false),
  // An inner size past one 128-wide k block of the CPU kernel.
  product([3, 130], [2, 130], false, true),
  affine([3, 4], [4, 5], false, false),
  affine([4, 3], [4, 5], true, false),
  affine([3, 4], [5, 4], false, true),
  affine([4, 3], [5, 4], true, true),
  affine([2, 3, 4], [4, 2], false, false),
  affine([2, 4, 3], [2, 5, 4], true, true),
  affine([1, 4], [4, 1], false, false),
  affine([0, 2], [2, 3], false, false),
  // Past the SIMD kernel's threshold: 5 whole 4-row panels, a 1-row tail, a partial column panel.
  affine([21, 16], [13, 16], false, true),
  affine([16, 21], [16, 13], true, false),
  ...[
    [[2, 3], [3, 2]],
    [[], [1, 1]],
    [[0, 3], [3, 0]],
    [[2, 3, 4], [4, 6]],
  ].map(([from, to]) => ({
    primitive: 'reshape',
    label: `reshape [${from!.join(', ')}] → [${to!.join(', ')}]`,
    inputs: [{ shape: from! }],
    op: ([x]: Parameters<PrimitiveCase['op']>[0]) => reshape(x!, to!),
    reference: ([x]: R.Ref[]) => R.reshape(x!, to!),
    wrt: [0],
  })),
  ...[
    [[3, 1], [2, 3, 4]],
    [[], [2, 2]],
    [[1], [0]],
    [[2, 1, 3], [2, 5, 3]],
  ].map(([from, to]) => ({
    primitive: 'broadcastTo',
    label: `broadcastTo [${from!.join(', ')}] → [${to!.join(', ')}]`,
    inputs: [{ shape: from! }],
    op: ([x]: Parameters<PrimitiveCase['op']>[0]) => broadcastTo(x!, to!),
    reference: ([x]: R.Ref[]) => R.broadcastTo(x!, to!),
    wrt: [0],
  })),
  ...[
    [[2, 3, 4], [2, 0, 1]],
    [[0, 3], [1, 0]],
    [[1, 2, 1, 3], [3, 1, 0, 2]],
  ].map(([shape, perm]) => ({
    primitive: 'permute',
    label: `permute [${shape!.join(', ')}] by [${perm!.join(', ')}]`,
    inputs: [{ shape: shape! }],
    op: ([x]: Parameters<PrimitiveCase['op']>[0]) => permute(x!, perm!),
    reference: ([x]: R.Ref[]) => R.permute(x!, perm!),
    wrt: [0],
  })),
  ...[
    [[4, 5], [1, 2], [2, 3]],
    [[3], [1], [0]],
    [[2, 3, 4], [1, 0, 1], [1, 3, 2]],
  ].map(([shape, begin, size]) => ({
    primitive: 'slice',
    label: `slice [${shape!.join(', ')}] at [${begin!.join(', ')}] size [${size!.join(', ')}]`,
    inputs: [{ shape: shape! }],
    op: ([x]: Parameters<PrimitiveCase['op']>[0]) => slice(x!, begin!, size!),
    reference: ([x]: R.Ref[]) => R.slice(x!, begin!, size!),
    wrt: [0],
  })),
  ...([
    [[2, 3], [[1, 0], [2, 1]], 0],
    [[2, 3], [[0, 2], [1, 1]], 1.5],
    [[], [], 0],
    [[0, 2], [[1, 1], [0, 1]], -3],
  ] as [number[], [number, number][], number][]).map(([shape, paddings, value]) => ({
    primitive: 'pad',
    label: `pad [${shape.join(', ')}] by ${JSON.stringify(paddings)} with ${value}`,
    inputs: [{ shape }],
    op: ([x]: Parameters<PrimitiveCase['op']>[0]) => pad(x!, paddings, value),
    reference: ([x]: R.Ref[]) => R.pad(x!, paddings, value),
    wrt: [0],
  })),
  ...([
    [[[2, 3], [1, 3], [0, 3]], 0],
    [[[2, 1], [2, 3]], 1],
    [[[1, 2, 2], [1, 2, 1], [1, 2, 3]], -1],
  ] as [number[][], number][]).map(([shapes, axis]) => ({
    primitive: 'concat',
    label: `concat ${JSON.stringify(shapes)} axis ${axis}`,
    inputs: shapes.map((shape) => ({ shape })),
    op: (xs: Parameters<PrimitiveCase['op']>[0]) => concat(xs, axis),
    reference: (xs: R.Ref[]) => R.concat(xs, axis < 0 ? axis + shapes[0]!.length : axis),
    wrt: shapes.map((_, i) => i),
  })),
  ...([
    [[4, 3], [5], 0],
    [[2, 5, 3], [2, 2], 1],
    [[4, 3], [], 0],
    [[3, 4], [0], 1],
  ] as [number[], number[], number][]).map(([shape, ids, axis]) => ({
    primitive: 'gather',
    label: `gather [${shape.join(', ')}] at indices [${ids.join(', ')}] axis ${axis}`,
    inputs: [{ shape }, { shape: ids, kind: 'index' as const, max: shape[axis]! }],
    op: ([x, i]: Parameters<PrimitiveCase['op']>[0]) => gather(x!, i!, axis),
    reference: ([x, i]: R.Ref[]) => R.gather(x!, i!, axis),
    wrt: [0],
  })),
  ...([
    [[6, 3], [6], 0, 4],
    [[2, 2, 2, 3], [2, 2], 1, 5],
    [[2, 3], [], 0, 3],
  ] as [number[], number[], number, number][]).map(([shape, ids, axis, size]) => ({
    primitive: 'scatterAdd',
    label: `scatterAdd [${shape.join(', ')}] at indices [${ids.join(', ')}] axis ${axis} into ${size}`,
    inputs: [{ shape }, { shape: ids, kind: 'index' as const, max: size }],
    op: ([u, i]: Parameters<PrimitiveCase['op']>[0]) => scatterAdd(u!, i!, axis, size),
    reference: ([u, i]: R.Ref[]) => R.scatterAdd(u!, i!, axis, size),
    wrt: [0],
  })),
  {
    primitive: 'cast',
    label: 'cast float32 → int32 truncates toward zero',
    inputs: [{ shape: [6], values: [-2.7, -1.5, -0.4, 0.4, 1.5, 2.7] }],
    op: ([x]) => cast(x!, 'int32'),
    reference: ([x]) => R.map(x!, Math.trunc),
    dtype: 'int32',
  },
  {
    primitive: 'cast',
    label: 'cast float32 → int32 saturates out of range, NaN becomes 0',
    inputs: [{ shape: [6], values: [NaN, 3e9, -3e9, 1e10, -1e10, 2147483520] }],
    op: ([x]) => cast(x!, 'int32'),
    reference: ([x]) => R.map(x!, (v) => (Number.isNaN(v) ? 0 : Math.min(2 ** 31 - 1, Math.max(-(2 ** 31), Math.trunc(v))))),
    dtype: 'int32',
    atol: 0,
    rtol: 0,
  },
  {
    primitive: 'cast',
    label: 'cast int32 → float32',
    inputs: [{ shape: [2, 2], kind: 'index', max: 7 }],
    op: ([x]) => cast(x!, 'float32'),
    reference: ([x]) => x!,
  },
  {
    primitive: 'randomUniform',
    label: 'randomUniform key (0, 0) matches the Threefry-2x32-20 known answer',
    inputs: [],
    op: () => randomUniform(new Key(0, 0), [2]),
    reference: () => R.ref([2], THREEFRY_ZERO),
    atol: 0,
    rtol: 0,
  },
];
