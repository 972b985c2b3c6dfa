import { lcgFloats } from '../conformance/harness.js';
import { describe, expect, test } from 'vitest';
import type { TensorInfo } from '../primitive.js';
import { describeGpu } from '../wgsl-testing/describe-gpu.js';
import { runProgram } from '../wgsl-testing/run-program.js';
import { matmulPrimitive } from './matmul.js';
import { foldDispatch, matmulTiledWgsl } from './matmul-wgsl.js';

const values = lcgFloats;

/**
 * Float64 reference by the definition: for every output multi-index, walk the
 * NumPy-broadcast batch index back into each operand and sum over k. Also
 * returns Σ|a·b| per element, which bounds the float32 rounding error.
 */
function reference(a: Float32Array, aShape: number[], b: Float32Array, bShape: number[], tA: boolean, tB: boolean) {
  const ra = aShape.length, rb = bShape.length;
  const m = tA ? aShape[ra - 1]! : aShape[ra - 2]!, k = tA ? aShape[ra - 2]! : aShape[ra - 1]!;
  const n = tB ? bShape[rb - 2]! : bShape[rb - 1]!;
  const aB = aShape.slice(0, -2), bB = bShape.slice(0, -2);
  const rank = Math.max(aB.length, bB.length);
  const pa = [...Array(rank - aB.length).fill(1), ...aB], pb = [...Array(rank - bB.length).fill(1), ...bB];
  const batch = pa.map((d, i) => Math.max(d, pb[i]!));
  const nb = batch.reduce((x, y) => x * y, 1);
  const c = new Float64Array(nb * m * n), bound = new Float64Array(nb * m * n);
  for (let t = 0; t < nb; t++) {
    let rem = t, ia = 0, ib = 0, sa = 1, sb = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const i = rem % batch[d]!;
      rem = Math.floor(rem / batch[d]!);
      ia += (pa[d] === 1 ? 0 : i) * sa;
      ib += (pb[d] === 1 ? 0 : i) * sb;
      sa *= pa[d]!;
      sb *= pb[d]!;
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0, abs = 0;
        for (let p = 0; p < k; p++) {
          const x = a[ia * m * k + (tA ? p * m + i : i * k + p)]!;
          const y = b[ib * k * n + (tB ? j * k + p : p * n + j)]!;
          s += x * y;
          abs += Math.abs(x * y);
        }
        c[t * m * n + i * n + j] = s;
        bound[t * m * n + i * n + j] = abs;
      }
    }
  }
  return { c, bound, shape: [...batch, m, n] };
}

interface Case { readonly a: number[]; readonly b: number[]; readonly tA?: boolean; readonly tB?: boolean }

const CASES: Case[] = [
  { a: [1, 1], b: [1, 1] },
  { a: [1, 300], b: [300, 1] },
  { a: [300, 1], b: [300, 1], tA: true },
  { a: [1, 5], b: [200, 5], tB: true },
  { a: [17, 33], b: [33, 65] },
  { a: [33, 17], b: [33, 65], tA: true },
  { a: [17, 33], b: [65, 33], tB: true },
  { a: [33, 17], b: [65, 33], tA: true, tB: true },
  { a: [3, 0], b: [0, 4] },
  { a: [5, 2], b: [2, 1] },
  { a: [2, 1, 5, 7], b: [3, 7, 4] },
  { a: [2, 1, 7, 5], b: [3, 4, 7], tA: true, tB: true },
  { a: [3, 9, 10], b: [10, 6] },
  { a: [9, 10], b: [4, 10, 6] },
  { a: [2, 3, 5, 6], b: [2, 3, 6, 7] },
  { a: [2, 1, 4, 3, 5], b: [1, 3, 1, 5, 2] },
  { a: [130, 129], b: [129, 131] },
  { a: [129, 130], b: [131, 129], tA: true, tB: true },
  { a: [2, 64, 200], b: [2, 200, 33] },
  { a: [70, 1000], b: [1000, 1] },
  { a: [1000, 70], b: [1, 1000], tA: true, tB: true },
  { a: [3, 1, 40], b: [2, 1, 40, 50] },
  { a: [3, 1, 40], b: [50, 40], tB: true },
  { a: [40, 1], b: [3, 40, 50], tA: true },
  { a: [3, 1, 68, 8], b: [2, 8, 64] },
  { a: [2, 8, 68], b: [2, 64, 8], tA: true, tB: true },
];

/**
 * op(A) m×k times op(B) k×n under all four transpose pairs. The sizes pick the
 * tile (64×64 blocks when m, n ≥ 64) and which operands are read as vec4
 * (those whose contiguous axis is a multiple of 4): all, none and mixed.
 */
const VEC4_SIZES: [number, number, number][] = [[68, 36, 72], [12, 20, 8], [68, 36, 66], [66, 37, 72], [64, 4, 64], [8, 12, 68]];
const VEC4_CASES: Case[] = VEC4_SIZES.flatMap(([m, k, n]) =>
  [false, true].flatMap((tA) => [false, true].map((tB) => ({ a: tA ? [k, m] : [m, k], b: tB ? [n, k] : [k, n], tA, tB }))),
);

const isVectorProduct = (c: Case) => {
  const info = (shape: number[]): TensorInfo => ({ shape, dtype: 'float32' });
  const out = matmulPrimitive.infer([info(c.a), info(c.b)], { transposeA: c.tA ?? false, transposeB: c.tB ?? false });
  return out.shape.slice(-2).includes(1);
};

const name = (c: Case) => `${JSON.stringify(c.a)}${c.tA ? 'ᵀ' : ''} · ${JSON.stringify(c.b)}${c.tB ? 'ᵀ' : ''}`;

describe('matmul WGSL program', () => {
  test('dispatch folds into at most 65535 workgroups per axis and covers at least every tile or a grid-stride start', () => {
    for (const groups of [1, 65535, 65536, 200_000, 65535 * 65535 + 3]) {
      const d = foldDispatch(groups);
      expect(d.every((x) => x >= 1 && x <= 65535)).toBe(true);
      expect(d[0] * d[1] * d[2]).toBeGreaterThanOrEqual(Math.min(groups, 65535 ** 3));
    }
  });

  test('matrix-vector shapes take the matrix-vector kernel, others the tiled one', () => {
    const info = (shape: number[]): TensorInfo => ({ shape, dtype: 'float32' });
    const nn = { transposeA: false, transposeB: false };
    expect(matmulPrimitive.wgsl!([info([9, 4]), info([4, 1])], nn, info([9, 1])).key).toMatch(/^matmul-gemv/);
    expect(matmulPrimitive.wgsl!([info([1, 4]), info([4, 9])], nn, info([1, 9])).key).toMatch(/^matmul-gemv/);
    expect(matmulPrimitive.wgsl!([info([2, 4]), info([4, 9])], nn, info([2, 9])).key).toMatch(/^matmul-tiled/);
  });

  test('each operand is bound as vec4 exactly when its contiguous axis is a multiple of 4', () => {
    const bound = (src: string, name: string) => new RegExp(`var<storage, [a-z_]+> ${name}: array<vec4<f32>>`).test(src);
    for (const c of VEC4_CASES) {
      const info = (shape: number[]): TensorInfo => ({ shape, dtype: 'float32' });
      const attrs = { transposeA: c.tA ?? false, transposeB: c.tB ?? false };
      const out = matmulPrimitive.infer([info(c.a), info(c.b)], attrs);
      const { source } = matmulTiledWgsl([info(c.a), info(c.b)], attrs, out);
      // The contiguous (last stored) axis of each operand and of C.
      expect([bound(source, 'in0'), bound(source, 'in1'), bound(source, 'out')], name(c))
        .toEqual([c.a[c.a.length - 1]! % 4 === 0, c.b[c.b.length - 1]! % 4 === 0, out.shape[out.shape.length - 1]! % 4 === 0]);
    }
  });

  test('the pipeline key depends on the tile, transposes, batch layout and vec4 bindings, not on the sizes themselves', () => {
    const info = (shape: number[]): TensorInfo => ({ shape, dtype: 'float32' });
    const p1 = matmulPrimitive.wgsl!([info([4, 8, 3]), info([3, 5])], { transposeA: false, transposeB: false }, info([4, 8, 5]));
    const p2 = matmulPrimitive.wgsl!([info([7, 100, 30]), info([30, 2])], { transposeA: false, transposeB: false }, info([7, 100, 2]));
    expect(p1.key).toBe(p2.key);
    expect(p1.source).toBe(p2.source);
    expect(p1.uniforms).not.toEqual(p2.uniforms);
  });
});

await describeGpu('matmul WGSL kernel', (gpu) => {
  const run = async (c: Case, shrinkGrid = false, tiledOnly = false) => {
    const attrs = { transposeA: c.tA ?? false, transposeB: c.tB ?? false };
    const info = (shape: number[]): TensorInfo => ({ shape, dtype: 'float32' });
    const out = matmulPrimitive.infer([info(c.a), info(c.b)], attrs);
    let program = (tiledOnly ? matmulTiledWgsl : matmulPrimitive.wgsl!)([info(c.a), info(c.b)], attrs, out);
    // A grid of fewer workgroups than tiles makes each workgroup walk several tiles.
    if (shrinkGrid) program = { ...program, dispatch: [3, 1, 1] };
    const a = values(c.a.reduce((x, y) => x * y, 1), 7), b = values(c.b.reduce((x, y) => x * y, 1), 11);
    const got = await runProgram(gpu(), program, [a, b], out);
    const ref = reference(a, c.a, b, c.b, attrs.transposeA, attrs.transposeB);
    expect(out.shape).toEqual(ref.shape);
    expect(got.length).toBe(ref.c.length);
    let worst = 0;
    for (let i = 0; i < got.length; i++) {
      // float32 accumulation: |error| ≤ K·2⁻²⁴·Σ|a·b| in the worst case; far less in practice.
      const excess = Math.abs(got[i]! - ref.c[i]!) - (1e-5 * ref.bound[i]! + 1e-7);
      worst = Math.max(worst, excess);
      if (excess > 0) throw new Error(`${name(c)}: element ${i} is ${got[i]}, expected ${ref.c[i]} (±${1e-5 * ref.bound[i]!})`);
    }
    expect(worst).toBeLessThanOrEqual(0);
  };

  test.each([...CASES, ...VEC4_CASES].map((c) => [name(c), c] as const))('%s matches the float64 reference', async (_n, c) => {
    await run(c);
  });

  test.each(CASES.filter(isVectorProduct).map((c) => [name(c), c] as const))('%s: the tiled kernel agrees too', async (_n, c) => {
    await run(c, false, true);
  });

  test.each([
    { a: [3, 70, 20], b: [3, 20, 1] },
    { a: [2, 1, 20], b: [20, 70] },
  ])('a grid smaller than the row-group count still covers every output ($a · $b, matrix-vector kernel)', async (c) => {
    await run(c, true);
  });

  test.each([
    { a: [3, 70, 20], b: [3, 20, 40] },
    { a: [3, 70, 21], b: [3, 21, 130] },
    { a: [3, 20, 130], b: [3, 72, 20], tA: true, tB: true },
  ])('a grid smaller than the tile count still covers every tile of every batch entry ($a · $b)', async (c) => {
    await run(c, true);
  });

  // Tiles overhang K, so a kernel that staged the overhang from memory instead of
  // zeros would read a neighbouring row (column) and turn 0·∞ into NaN there.
  // The last two rows are vec4 reads (K = 12, a multiple of 4, and a 64×64 tile).
  test.each([
    ['A', { a: [5, 3], b: [3, 4] }],
    ['Bᵀ', { a: [5, 3], b: [4, 3], tB: true }],
    ['A', { a: [66, 12], b: [12, 64] }],
    ['Bᵀ', { a: [66, 12], b: [64, 12], tB: true }],
  ] as const)('one infinite entry of %s (%o): the outputs that do not use it stay finite and exact', async (which, c) => {
    const attrs = { transposeA: false, transposeB: 'tB' in c };
    const info = (shape: readonly number[]): TensorInfo => ({ shape, dtype: 'float32' });
    const out = matmulPrimitive.infer([info(c.a), info(c.b)], attrs);
    const [m, k] = c.a, n = out.shape[1]!;
    const a = values(m * k, 3), b = values(k * n, 4);
    // Entry (row 1, step 0) of A, or (step 0, column 1) of op(B), stored as B's row 1.
    (which === 'A' ? a : b)[1 * k + 0] = Infinity;
    const got = await runProgram(gpu(), matmulPrimitive.wgsl!([info(c.a), info(c.b)], attrs, out), [a, b], out);
    const ref = reference(a, [...c.a], b, [...c.b], false, attrs.transposeB);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        if (which === 'A' ? i === 1 : j === 1) continue;
        expect(Math.abs(got[i * n + j]! - ref.c[i * n + j]!)).toBeLessThanOrEqual(1e-5 * ref.bound[i * n + j]! + 1e-7);
      }
    }
  });

  test('an empty output needs no dispatch', async () => {
    await run({ a: [0, 5], b: [5, 3] });
  });
});
