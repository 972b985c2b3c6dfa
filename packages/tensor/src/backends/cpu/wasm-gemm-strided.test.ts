import { describe, expect, it } from 'vitest';
import '../../index.js';
import { matmul } from '../../ops/matmul.js';
import { tensor } from '../../creation.js';
import { arenaKernel } from './simd-elementwise.js';
import { outputArray, recycle } from './buffer-pool.js';
import { simdGemm } from './simd-gemm.js';
import { MR } from './wasm-gemm.js';
import { singleThreadGemm } from './gemm-copied-product.js';
import { gemmStridedName } from './wasm-gemm-strided.js';

function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

function pooled(x: Float32Array): Float32Array {
  const p = outputArray('float32', x.length) as Float32Array;
  p.set(x);
  return p;
}

// The in-place strided kernel must give the packed kernel's bits: same sums, same order.
describe.skipIf(singleThreadGemm() === null)('gemm on pooled operands (strided kernel)', () => {
  for (const [m, n, k] of [[64, 64, 32], [37, 29, 41], [256, 2, 32], [8, 40, 300], [5, 8, 17]] as const) {
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`${m}x${k} · ${k}x${n} (tA=${tA}, tB=${tB}) matches the packed kernel bit for bit`, () => {
        const A = values(m * k + 3, 7 + m), B = values(k * n + 5, 11 + n);
        const plain = new Float32Array(m * n + 2);
        expect(simdGemm(A, 3, tA, B, 5, tB, plain, 1, m, n, k)).toBe(true);
        const pa = pooled(A), pb = pooled(B), pc = pooled(new Float32Array(m * n + 2).fill(9));
        expect(arenaKernel(gemmStridedName(MR, false), pc, [pa, pb])).toBeDefined();
        expect(simdGemm(pa, 3, tA, pb, 5, tB, pc, 1, m, n, k)).toBe(true);
        expect(new Uint32Array(Float32Array.from(pc.subarray(1, 1 + m * n)).buffer)).toEqual(new Uint32Array(plain.slice(1, 1 + m * n).buffer));
        expect([pc[0], pc[m * n + 1]]).toEqual([9, 9]);
        for (const x of [pa, pb, pc]) recycle(x);
      });
    }
  }

  it('is in the pool module once the package is imported, so matmul outputs take it', () => {
    const a = tensor(values(64 * 32, 1), [64, 32]), b = tensor(values(32 * 16, 2), [32, 16]);
    const c = matmul(a, b);
    expect(arenaKernel(gemmStridedName(MR, false), c.ref!.storage as Float32Array, [a.ref!.storage as Float32Array])).toBeDefined();
    for (const t of [a, b, c]) t.dispose();
  });
});
