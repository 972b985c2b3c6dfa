import { describe, expect, it } from 'vitest';
import '../cpu.js';
import { tensor } from '../../creation.js';
import { add } from '../../ops/add.js';
import { abs } from '../../ops/abs.js';
import { div } from '../../ops/div.js';
import { exp } from '../../ops/exp.js';
import { log } from '../../ops/log.js';
import { log1p } from '../../ops/log1p.js';
import { maximum } from '../../ops/maximum.js';
import { mul } from '../../ops/mul.js';
import { neg } from '../../ops/neg.js';
import { sqrt } from '../../ops/sqrt.js';
import { sub } from '../../ops/sub.js';
import { tanh } from '../../ops/tanh.js';
import type { Tensor } from '../../tensor.js';
import { broadcastLayout } from '../../ops/elementwise.js';
import { arenaOfArray, blockBytes, outputArray } from './buffer-pool.js';
import { arenaKernel, LAST_ROW, NONE, PARTIAL, simdBinary } from './simd-elementwise.js';
import { where } from '../../ops/where.js';
import { sum } from '../../ops/sum.js';
import { reduceCpu } from '../../ops/reduce.js';
import { wasmUnaryKernels, simdUnary } from './wasm-unary.js';

// The SIMD loops must give the plain loops' float32 results bit for bit. The
// reference here is independent of both: each element computed in float64 by
// the operation's definition and rounded once to float32 (Math.fround), with
// NaN compared as NaN (WebAssembly does not promise NaN payloads).

const SPECIAL = [0, -0, 1, -1, 0.1, -2.5, 3e38, -3e38, 1e-40, -1e-45, Infinity, -Infinity, NaN, 7, 1 / 3, 65504];

function data(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = i % 5 === 0 ? SPECIAL[(s >>> 8) % SPECIAL.length]! : (s / 2 ** 31 - 1) * 10;
  }
  return out;
}

function sameBits(got: Float32Array | Int32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  const g = new Uint32Array(Float32Array.from(got).buffer), w = new Uint32Array(want.buffer);
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i])) expect(got[i], `element ${i}`).toBeNaN();
    else if (g[i] !== w[i]) expect(`${i}: ${got[i]}`).toBe(`${i}: ${want[i]}`);
  }
}

/** fround(f(a, b)) over numpy-style broadcasting, any rank: each output index read back in each operand. */
function reference(a: Float32Array, as: readonly number[], b: Float32Array, bs: readonly number[], out: readonly number[], f: (x: number, y: number) => number): Float32Array {
  const n = out.reduce((p, d) => p * d, 1);
  const at = (x: Float32Array, s: readonly number[], idx: readonly number[]) => {
    // Align s with the output's trailing axes; size-1 axes read index 0.
    let flat = 0;
    s.forEach((d, i) => { flat = flat * d + (d === 1 ? 0 : idx[out.length - s.length + i]!); });
    return x[flat]!;
  };
  const o = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const idx: number[] = [];
    let rest = k;
    for (let d = out.length - 1; d >= 0; d--) { idx[d] = rest % out[d]!; rest = Math.floor(rest / out[d]!); }
    o[k] = Math.fround(f(at(a, as, idx), at(b, bs, idx)));
  }
  return o;
}

const BINARY: [string, (a: Tensor, b: Tensor) => Tensor, (x: number, y: number) => number][] = [
  ['add', add, (x, y) => x + y],
  ['sub', sub, (x, y) => x - y],
  ['mul', mul, (x, y) => x * y],
  ['div', div, (x, y) => x / y],
  // maximum: NaN if either is NaN, a at ties (so maximum(-0, 0) is -0).
  ['maximum', maximum, (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : x >= y ? x : y)],
];

// Odd sizes put a partial vector at the end of every row.
const LAYOUTS: [string, number[], number[], number[]][] = [
  ['same shape', [37, 45], [37, 45], [37, 45]],
  ['tensor ⊙ scalar', [37, 45], [], [37, 45]],
  ['scalar ⊙ tensor', [], [37, 45], [37, 45]],
  ['rows ⊙ row vector', [37, 45], [45], [37, 45]],
  ['row vector ⊙ rows', [45], [37, 45], [37, 45]],
  ['rows ⊙ column', [37, 45], [37, 1], [37, 45]],
  ['column ⊙ rows', [37, 1], [37, 45], [37, 45]],
  ['one long run', [1001], [1001], [1001]],
  // 4 to 7 and 15 vectors: the loops take four vectors at a time, then the rest one by one.
  ...[16, 20, 24, 28, 58].map((n): [string, number[], number[], number[]] => [`run of ${n}`, [n], [n], [n]]),
  ['run of 27 ⊙ scalar', [27], [], [27]],
  ['scalar ⊙ run of 22', [], [22], [22]],
  // Narrow rows (one partial vector each) in one call: the last one spills only into block slack.
  ['narrow rows ⊙ column', [41, 3], [41, 1], [41, 3]],
  ['column ⊙ narrow rows', [41, 1], [41, 3], [41, 3]],
  ['rows ⊙ row vector of 20', [33, 20], [20], [33, 20]],
  // Rows of 27 (a partial last vector) and of 32 elements.
  ['rows of 27 ⊙ row vector', [7, 27], [27], [7, 27]],
  ['column ⊙ rows of 27', [17, 1], [17, 27], [17, 27]],
  ['rows of 32 ⊙ column', [18, 32], [18, 1], [18, 32]],
  // Rank 3 and 4 (after collapsing): one row-kernel call per index of the leading axes.
  ['all pairs [6,2,1,11] ⊙ [6,1,2,11]', [6, 2, 1, 11], [6, 1, 2, 11], [6, 2, 2, 11]],
  ['[5,1,21] ⊙ [5,4,21]', [5, 1, 21], [5, 4, 21], [5, 4, 21]],
  ['[3,20,8] ⊙ a column [1,20,1] shared by the leading axis', [3, 20, 8], [1, 20, 1], [3, 20, 8]],
];

const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
const storage = (t: Tensor) => t.ref!.storage as Float32Array;

describe.skipIf(wasmUnaryKernels() === null)('WebAssembly SIMD elementwise fast paths', () => {
  for (const [name, f, ref] of BINARY) {
    for (const [layout, sa, sb, so] of LAYOUTS) {
      it(`${name}: ${layout} gives the float32-rounded result bit for bit, in the pool`, () => {
        const a = data(size(sa), 3), b = data(size(sb), 11);
        const ta = tensor(a, sa), tb = tensor(b, sb);
        const y = f(ta, tb);
        expect(arenaOfArray(storage(y))).toBeDefined();
        const want = reference(a, sa, b, sb, so, ref);
        sameBits(y.dataSync(), want);
        // The SIMD loop itself takes this layout (the op could have fallen back to the plain loop).
        const { shape, strides } = broadcastLayout(so, [sa, sb]);
        const direct = outputArray('float32', size(so), storage(ta));
        const done = simdBinary(name, storage(ta), storage(tb), direct, shape, strides[0]!, strides[1]!);
        expect(done).not.toBe(NONE);
        // Where the loop would write past the block, it leaves the last row (LAST_ROW) to plain code.
        const rowsDone = done === PARTIAL ? want.length - LAST_ROW[3]! : want.length;
        if (done === PARTIAL) expect(LAST_ROW[2]).toBe(rowsDone);
        sameBits(direct.subarray(0, rowsDone), want.subarray(0, rowsDone));
      });
    }
  }

  it('rows whose last partial vector has no slack to spill into: the vector loop stops one row short, plain code does that row', () => {
    // [40, 2]: 320 bytes, exactly a size class, so a vector loop would write 8 bytes past the block.
    const a = data(80, 31), c = data(40, 37);
    const ta = tensor(a, [40, 2]), tc = tensor(c, [40, 1]);
    const { shape, strides } = broadcastLayout([40, 2], [[40, 2], [40, 1]]);
    const direct = outputArray('float32', 80, storage(ta));
    expect(blockBytes(direct)).toBe(320);
    expect(simdBinary('mul', storage(ta), storage(tc), direct, shape, strides[0]!, strides[1]!)).toBe(PARTIAL);
    expect(Array.from(LAST_ROW)).toEqual([78, 39, 78, 2, 1, 0]);
    const want = reference(a, [40, 2], c, [40, 1], [40, 2], (x, y) => x * y);
    sameBits(direct.subarray(0, 78), want.subarray(0, 78));
    sameBits(mul(ta, tc).dataSync(), want);
  });

  it('where picks a where cond is non-zero (NaN included, -0 not), b elsewhere, bit for bit', () => {
    const c = Float32Array.from(data(1001, 13), (v, i) => (i % 3 === 0 ? 0 : i % 7 === 0 ? -0 : v));
    const a = data(1001, 17), b = data(1001, 19);
    const tc = tensor(c, [7, 143]), ta = tensor(a, [7, 143]);
    expect(arenaKernel('where_vvv', storage(ta), [storage(tc), storage(ta)])).toBeDefined();
    expect(arenaKernel('where_vvs', storage(ta), [storage(tc), storage(ta)])).toBeDefined();
    const pick = (bv: (i: number) => number) => Float32Array.from(c, (v, i) => (v !== 0 ? a[i]! : bv(i)));
    sameBits(where(tc, ta, tensor(b, [7, 143])).dataSync(), pick((i) => b[i]!));
    sameBits(where(tc, ta, tensor(-2.5)).dataSync(), pick(() => -2.5));
  });

  // The SIMD sum over the last axis adds in another order than the plain kernel
  // (four float64 lanes, then the tail), so it is not bit-identical; the bound
  // is one float32 ulp of the result plus 2n·2^-53·Σ|x| (both float64 sums
  // are within (n − 1)·2^-53·Σ|x| of the exact one).
  for (const [rows, n] of [[37, 45], [16, 1003], [64, 8], [17, 4099]] as const) {
    it(`sum over the last axis of [${rows}, ${n}] is within 1 ulp + 2n·2^-53·Σ|x| of the plain kernel`, () => {
      const x = Float32Array.from(data(rows * n, 23 + n), (v, i) => (Number.isFinite(v) && Math.abs(v) < 1e30 ? v * (i % 11 === 0 ? 1e4 : 1) : 1.5));
      const tx = tensor(x, [rows, n]);
      const y = sum(tx, 1);
      expect(arenaKernel('sum_rows', storage(y), [storage(tx)])).toBeDefined();
      const got = y.dataSync(), plain = reduceCpu(x, [rows, n], [1], 'sum', 'float32');
      let differ = 0;
      for (let r = 0; r < rows; r++) {
        let abs = 0;
        for (let k = 0; k < n; k++) abs += Math.abs(x[r * n + k]!);
        const ulp = Math.max(Math.abs(Math.fround(plain[r]! * (1 + 2 ** -23)) - plain[r]!), 2 ** -149);
        expect(Math.abs(got[r]! - plain[r]!)).toBeLessThanOrEqual(ulp + 2 * n * 2 ** -53 * abs);
        if (got[r] !== plain[r]) differ++;
      }
      expect(differ).toBeLessThanOrEqual(rows);
    });
  }

  for (const shape of [[256, 32], [3, 5, 16], [1001, 20]]) {
    it(`sum over every axis but the last of [${shape.join(', ')}] gives the plain kernel's bits (same order)`, () => {
      const x = Float32Array.from(data(size(shape), 29), (v) => (Number.isFinite(v) && Math.abs(v) < 1e30 ? v : 0.25));
      const tx = tensor(x, shape);
      const axes = shape.slice(0, -1).map((_, i) => i);
      const y = sum(tx, axes);
      expect(arenaKernel('sum_cols', storage(y), [storage(tx)])).toBeDefined();
      sameBits(y.dataSync(), reduceCpu(x, shape, axes, 'sum', 'float32') as Float32Array);
    });
  }

  // Middle axes and column counts that are not a multiple of 4: the reference adds in float64,
  // in index order over the summed axes, and rounds once (what the plain kernel does).
  for (const [shape, axes] of [[[256, 43], [0]], [[6, 2, 2, 43], [1]], [[6, 2, 2, 43], [2]], [[4, 3, 5, 6], [1, 2]], [[7, 9, 21], [0, 1]], [[3, 2, 7], [1]]] as const) {
    it(`sum over axes [${axes.join(', ')}] of [${shape.join(', ')}]: float64 sums in index order, rounded once`, () => {
      const x = Float32Array.from(data(size(shape), 41), (v) => (Number.isFinite(v) && Math.abs(v) < 1e30 ? v : 0.75));
      const tx = tensor(x, [...shape]);
      const y = sum(tx, [...axes]);
      expect(arenaKernel('sum_cols', storage(y), [storage(tx)])).toBeDefined();
      const lo = axes[0]!, hi = axes[axes.length - 1]! + 1;
      const outer = size(shape.slice(0, lo)), red = size(shape.slice(lo, hi)), inner = size(shape.slice(hi));
      const want = new Float32Array(outer * inner);
      for (let q = 0; q < outer; q++) {
        for (let i = 0; i < inner; i++) {
          let acc = 0;
          for (let k = 0; k < red; k++) acc += x[(q * red + k) * inner + i]!;
          want[q * inner + i] = acc;
        }
      }
      sameBits(y.dataSync(), want);
    });
  }

  it('neg, abs and sqrt give the float32-rounded result bit for bit', () => {
    const x = data(1003, 5);
    for (const [f, g] of [[neg, (v: number) => -v], [abs, Math.abs], [sqrt, Math.sqrt]] as const) {
      const y = f(tensor(x, [17, 59]));
      expect(arenaOfArray(storage(y))).toBeDefined();
      sameBits(y.dataSync(), Float32Array.from(x, (v) => Math.fround(g(v))));
    }
  });

  it('exp, tanh, log and log1p in place give the bits of the copying kernels, which the previous code used', () => {
    const x = Float32Array.from(data(4099, 9), (v) => (Number.isFinite(v) && Math.abs(v) < 80 ? v : 0.5));
    for (const [f, name] of [[exp, 'exp'], [tanh, 'tanh'], [log, 'log'], [log1p, 'log1p']] as const) {
      const y = f(tensor(x, [4099]));
      expect(arenaOfArray(storage(y))).toBeDefined();
      const want = new Float32Array(x.length);
      expect(simdUnary(name, x, want, x.length)).toBe(true);
      sameBits(y.dataSync(), want);
    }
  });
});
