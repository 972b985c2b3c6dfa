import { expect, test } from 'vitest';
import type { AnyPrimitive, TensorInfo } from '../primitive.js';
import { addPrimitive } from '../ops/add.js';
import { castPrimitive } from '../ops/cast.js';
import { cosPrimitive } from '../ops/cos.js';
import { sinPrimitive } from '../ops/sin.js';
import { divPrimitive } from '../ops/div.js';
import { lessPrimitive } from '../ops/less.js';
import { log1pPrimitive } from '../ops/log1p.js';
import { maximumPrimitive } from '../ops/maximum.js';
import { wherePrimitive } from '../ops/where.js';
import { describeGpu } from '../wgsl-testing/describe-gpu.js';
import { runProgram, type HostArray } from '../wgsl-testing/run-program.js';
import { elementwiseProgram } from './elementwise.js';

const f32 = (v: number[]) => Float32Array.from(v);
const i32 = (v: number[]) => Int32Array.from(v);
const info = (x: HostArray, shape: number[]): TensorInfo => ({ shape, dtype: x instanceof Int32Array ? 'int32' : 'float32' });

function program(prim: AnyPrimitive, inputs: TensorInfo[], out: TensorInfo, attrs: unknown = {}) {
  return prim.wgsl ? prim.wgsl(inputs, attrs, out) : elementwiseProgram(prim.name, prim.wgslExpr!, inputs, out);
}

interface Case {
  readonly name: string;
  readonly prim: AnyPrimitive;
  readonly inputs: Array<[HostArray, number[]]>;
  readonly out: TensorInfo;
  readonly attrs?: unknown;
  /** The expected values, written out from the op's definition. */
  readonly want: number[];
}

const nan = Number.NaN;
// Sizes 8 and 12 take the four-per-invocation vec4 kernel, 3 and 6 the one-element kernel.
const CASES: Case[] = [
  { name: 'add f32, 8', prim: addPrimitive, inputs: [[f32([1, 2, 3, 4, 5, 6, 7, 8]), [2, 4]], [f32([10, 20, 30, 40, 50, 60, 70, 80]), [2, 4]]], out: { shape: [2, 4], dtype: 'float32' }, want: [11, 22, 33, 44, 55, 66, 77, 88] },
  { name: 'add f32, 3', prim: addPrimitive, inputs: [[f32([1, 2, 3]), [3]], [f32([0.5, 0.25, -3]), [3]]], out: { shape: [3], dtype: 'float32' }, want: [1.5, 2.25, 0] },
  { name: 'add with a one-element operand, 8', prim: addPrimitive, inputs: [[f32([1, 2, 3, 4, 5, 6, 7, 8]), [8]], [f32([100]), [1]]], out: { shape: [8], dtype: 'float32' }, want: [101, 102, 103, 104, 105, 106, 107, 108] },
  { name: 'add one-element first, 8', prim: addPrimitive, inputs: [[f32([-1]), []], [f32([1, 2, 3, 4, 5, 6, 7, 8]), [8]]], out: { shape: [8], dtype: 'float32' }, want: [0, 1, 2, 3, 4, 5, 6, 7] },
  { name: 'int32 div by zero gives 0, 8', prim: divPrimitive, inputs: [[i32([7, -7, 9, 0, 5, 6, -8, 1]), [8]], [i32([2, 2, 0, 3, 0, -4, 3, 1]), [8]]], out: { shape: [8], dtype: 'int32' }, want: [3, -3, 0, 0, 0, -1, -2, 1] },
  { name: 'maximum propagates NaN from either side, 8', prim: maximumPrimitive, inputs: [[f32([1, nan, 3, -1, 0, 2, nan, -5]), [8]], [f32([2, 0, nan, -2, -0, 2, nan, -6]), [8]]], out: { shape: [8], dtype: 'float32' }, want: [2, nan, nan, -1, 0, 2, nan, -5] },
  { name: 'less as a 0/1 mask, 12', prim: lessPrimitive, inputs: [[f32([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, nan]), [3, 4]], [f32([2, 2, 2, 2, 6, 6, 6, 6, 10, 10, 10, 10]), [3, 4]]], out: { shape: [3, 4], dtype: 'float32' }, want: [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0] },
  { name: 'log1p near 0, 8', prim: log1pPrimitive, inputs: [[f32([1e-7, -1e-7, 0.5, -0.5, 3, 0, 1e-3, 10]), [8]]], out: { shape: [8], dtype: 'float32' }, want: [1e-7, -1e-7, 0.5, -0.5, 3, 0, 1e-3, 10].map(Math.log1p) },
  { name: 'cast f32 → i32 saturates and zeroes NaN, 8', prim: castPrimitive, attrs: { dtype: 'int32' }, inputs: [[f32([1.9, -1.9, 3e9, -3e9, nan, 0, 7, -0.5]), [8]]], out: { shape: [8], dtype: 'int32' }, want: [1, -1, 2147483647, -2147483648, 0, 0, 7, 0] },
  { name: 'where with a one-element branch, 8', prim: wherePrimitive, inputs: [[f32([1, 0, 1, 0, 1, 0, 1, 0]), [8]], [f32([1, 2, 3, 4, 5, 6, 7, 8]), [8]], [f32([-9]), [1]]], out: { shape: [8], dtype: 'float32' }, want: [1, -9, 3, -9, 5, -9, 7, -9] },
  { name: 'where, 6', prim: wherePrimitive, inputs: [[f32([0, 1, 0, 1, 0, 1]), [6]], [f32([1, 2, 3, 4, 5, 6]), [6]], [f32([-1, -2, -3, -4, -5, -6]), [6]]], out: { shape: [6], dtype: 'float32' }, want: [-1, 2, -3, 4, -5, 6] },
];

test('same-shape kernels use vec4 exactly when the size is a multiple of 4 and some operand is full-size', () => {
  const key = (shapes: number[][], out: number[]) =>
    elementwiseProgram('add', 'a + b', shapes.map((s) => ({ shape: s, dtype: 'float32' as const })), { shape: out, dtype: 'float32' }).key;
  expect(key([[2, 4], [2, 4]], [2, 4])).toMatch(/^ew4:/);
  expect(key([[8], [1]], [8])).toMatch(/^ew4:/);
  expect(key([[6], [6]], [6])).toMatch(/^ew:/);
  expect(key([[4], [1, 4]], [1, 4])).toMatch(/^ew4:/);
  // Broadcast operands: four lanes along a last axis that is a multiple of 4, read as a vec4 (v) or one shared value (s).
  expect(key([[2, 4], [4]], [2, 4])).toMatch(/^ew4:add:float32,float32>float32:r2:vv:/);
  expect(key([[3, 4], [3, 1]], [3, 4])).toMatch(/^ew4:add:float32,float32>float32:r2:vs:/);
  expect(key([[2, 6], [6]], [2, 6])).toMatch(/^ew:add:float32,float32>float32:r2:/);
});

/** out[idx] = f(a at the broadcast index, b at the broadcast index), by the definition of broadcasting. */
function broadcastRef(a: number[], as: number[], b: number[], bs: number[], os: number[], f: (x: number, y: number) => number): number[] {
  const n = os.reduce((p, q) => p * q, 1);
  const at = (v: number[], s: number[], idx: number[]) => {
    const lead = os.length - s.length;
    let flatIdx = 0;
    for (let d = 0; d < s.length; d++) flatIdx = flatIdx * s[d]! + (s[d] === 1 ? 0 : idx[lead + d]!);
    return v[flatIdx]!;
  };
  return Array.from({ length: n }, (_, e) => {
    const idx: number[] = [];
    let rest = e;
    for (let d = os.length - 1; d >= 0; d--) { idx[d] = rest % os[d]!; rest = Math.floor(rest / os[d]!); }
    return f(at(a, as, idx), at(b, bs, idx));
  });
}

const seq = (n: number, scale: number, shift = 0) => Array.from({ length: n }, (_, i) => scale * (i + 1) + shift);
const BROADCASTS: Array<[string, number[], number[], number[]]> = [
  ['row vector along a last axis of 8', [3, 8], [8], [3, 8]],
  ['column broadcast along the last axis', [3, 4], [3, 1], [3, 4]],
  ['middle axis broadcast', [2, 3, 4], [2, 1, 4], [2, 3, 4]],
  ['both operands broadcast', [4, 1, 8], [1, 3, 8], [4, 3, 8]],
  ['last axis of 6: one element per invocation', [2, 6], [6], [2, 6]],
];


await describeGpu('elementwise WGSL kernels, one and four elements per invocation', (gpu) => {
  for (const c of CASES) {
    test(c.name, async () => {
      const infos = c.inputs.map(([x, s]) => info(x, s));
      const got = Array.from(await runProgram(gpu(), program(c.prim, infos, c.out, c.attrs), c.inputs.map(([x]) => x), c.out));
      expect(got.length).toBe(c.want.length);
      got.forEach((g, i) => {
        const w = c.want[i]!;
        if (Number.isNaN(w)) expect(g, `${c.name} [${i}]`).toBeNaN();
        else expect(Math.abs(g - w), `${c.name} [${i}]: ${g} vs ${w}`).toBeLessThanOrEqual(Math.abs(w) * 2e-7);
      });
    });
  }
  for (const [name, as, bs, os] of BROADCASTS) {
    test(`broadcast ${name}: sub and int32 maximum against the definition`, async () => {
      const a = seq(as.reduce((p, q) => p * q, 1), 1.5), b = seq(bs.reduce((p, q) => p * q, 1), -0.25, 7);
      const out: TensorInfo = { shape: os, dtype: 'float32' };
      const got = await runProgram(gpu(), elementwiseProgram('sub', 'a - b', [info(f32(a), as), info(f32(b), bs)], out), [f32(a), f32(b)], out);
      expect(Array.from(got)).toEqual(broadcastRef(a, as, b, bs, os, (x, y) => Math.fround(Math.fround(x) - Math.fround(y))));
      const ai = a.map((v, i) => Math.round(v) * (i % 3 === 0 ? -1 : 1)), bi = b.map((v) => Math.round(v));
      const outI: TensorInfo = { shape: os, dtype: 'int32' };
      const prog = program(maximumPrimitive, [info(i32(ai), as), info(i32(bi), bs)], outI);
      expect(Array.from(await runProgram(gpu(), prog, [i32(ai), i32(bi)], outI))).toEqual(broadcastRef(ai, as, bi, bs, os, Math.max));
    });
  }

  test('sin and cos stay within 3e-7 of the float64 values up to |x| = 1000, 2e-6 up to 65536', async () => {
    // WGSL itself only promises 2^-11 absolute on [−π, π]; the kernels reduce the argument themselves.
    const xs: number[] = [0, -0, Math.PI / 4, Math.PI / 2, Math.PI, 2 * Math.PI, 1e-30, -1e-7];
    for (let i = 0; i < 4000; i++) xs.push(-20 + (40 * i) / 3999);
    for (let i = 0; i < 1000; i++) xs.push((i % 2 ? -1 : 1) * 10 ** (-3 + (7.8 * i) / 999));
    const x = Float32Array.from(xs);
    const out: TensorInfo = { shape: [x.length], dtype: 'float32' };
    for (const [prim, ref] of [[sinPrimitive, Math.sin], [cosPrimitive, Math.cos]] as const) {
      const got = await runProgram(gpu(), program(prim, [info(x, [x.length])], out), [x], out);
      let worst = 0, at = 0;
      x.forEach((v, i) => {
        const err = Math.abs(got[i]! - ref(v)) / (Math.abs(v) <= 1000 ? 3e-7 : 2e-6);
        if (err > worst) { worst = err; at = v; }
      });
      expect(worst, `${prim.name}: worst error at x = ${at} (in units of the bound)`).toBeLessThanOrEqual(1);
      // Signs of zero carry through sin.
      if (prim === sinPrimitive) expect(Object.is(got[1], -0)).toBe(true);
    }
  });
});
