import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import '../cpu.js';
import { valueAndGrad } from '../../autodiff.js';
import { tensor } from '../../creation.js';
import { keep, memory, release, tidy } from '../../engine.js';
import { add } from '../../ops/add.js';
import { matmul } from '../../ops/matmul.js';
import { mul } from '../../ops/mul.js';
import { reshape } from '../../ops/reshape.js';
import { sum } from '../../ops/sum.js';
import { tanh } from '../../ops/tanh.js';
import type { Tensor } from '../../tensor.js';
import { arenaOfArray, blockBytes, outputArray, poolStats, recycle, setPoolLimit, sizeClass, trimPool } from './buffer-pool.js';
import { wasmUnaryKernels } from './wasm-unary.js';

const N = 64 * 48;
const filled = (v: number) => new Float32Array(N).fill(v);
const storage = (t: Tensor) => t.ref!.storage as Float32Array;

/** Allocates and frees many blocks of N elements, filling each, so a wrongly freed block gets overwritten. */
function churn(): void {
  for (let i = 0; i < 50; i++) tidy(() => { add(tensor(filled(-9), [N]), -1); });
}

function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Runs the collector and lets the FinalizationRegistry's callbacks run, five times over. */
function settler(): () => Promise<void> {
  const gc = collectGarbage();
  return async () => {
    for (let i = 0; i < 5; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 0));
    }
  };
}

describe.skipIf(wasmUnaryKernels() === null)('CPU buffer pool', () => {
  it('size classes are 4, 5, 6, 7 × 2^k bytes, multiples of 16, at most 25% above the request', () => {
    expect([64, 65, 80, 81, 100, 128, 129, 4096, 5000, 7169].map(sizeClass)).toEqual([64, 80, 80, 96, 112, 128, 160, 4096, 5120, 8192]);
    for (let b = 64; b < 100_000; b += 4) {
      const c = sizeClass(b);
      expect(c % 16).toBe(0);
      expect(c).toBeGreaterThanOrEqual(b);
      expect(c).toBeLessThanOrEqual(b * 1.25 + 16);
    }
  });

  it('hands a recycled array out again for a request of its length and type on its block, a fresh view otherwise', () => {
    const a = outputArray('float32', N) as Float32Array;
    a.fill(3);
    recycle(a);
    const b = outputArray('float32', N);
    expect(b).toBe(a);
    recycle(b);
    const c = outputArray('float32', N - 4);
    expect(c).not.toBe(a);
    expect(c.buffer === a.buffer && c.byteOffset === a.byteOffset && c.length === N - 4).toBe(true);
    recycle(c);
    const d = outputArray('int32', N - 4);
    expect(d instanceof Int32Array && d.byteOffset === a.byteOffset).toBe(true);
    recycle(d);
  });

  it('reuses a released block for the next output of its class', () => {
    const a = tidy(() => add(tensor(filled(1), [N]), 1));
    const off = storage(a).byteOffset, buf = storage(a).buffer;
    a.dispose();
    // Free lists are last in, first out.
    const b = tensor(filled(2), [N / 2, 2]);
    expect(storage(b).buffer === buf && storage(b).byteOffset === off).toBe(true);
    expect(b.dataSync()).toEqual(filled(2));
    b.dispose();
  });

  it('a block that an alias still views is not handed out when the first tensor is disposed', () => {
    const a = add(tensor(filled(1), [N]), 1);
    const alias = reshape(a, [48, 64]);
    a.dispose();
    churn();
    expect(alias.dataSync()).toEqual(filled(2));
    alias.dispose();
  });

  it('tensors returned from tidy or kept survive the scope while its other blocks are reused', () => {
    let kept!: Tensor;
    const out = tidy(() => {
      kept = keep(mul(tensor(filled(3), [N]), 2));
      add(kept, 1);
      return add(tensor(filled(5), [N]), 1);
    });
    churn();
    expect(out.dataSync()).toEqual(filled(6));
    expect(kept.dataSync()).toEqual(filled(6));
    out.dispose();
    kept.dispose();
  });

  it('release() leaves traced tensors alone, so their blocks are not reused under a live gradient', () => {
    const w = tensor(filled(0.5), [N]);
    const [v, g] = valueAndGrad((p: Tensor) => {
      const h = tanh(mul(p, 2));
      release(h); // taped: must be ignored
      churn();
      return sum(mul(h, h));
    })(w);
    const t = Math.tanh(1);
    expect(v.item()).toBeCloseTo(N * t * t, 0);
    expect(g.dataSync()[7]).toBeCloseTo(2 * t * (1 - t * t) * 2, 5);
    for (const x of [w, v, g]) x.dispose();
  });

  it('recycling the same storage twice, or storage it did not hand out, changes nothing', () => {
    const a = outputArray('float32', N);
    recycle(a);
    recycle(a);
    recycle(new Float32Array(N));
    const b = outputArray('float32', N), c = outputArray('float32', N);
    expect(b.buffer === c.buffer && b.byteOffset === c.byteOffset).toBe(false);
    recycle(b);
    recycle(c);
  });

  it('the FinalizationRegistry gives back the blocks of collected tensors, and only when no alias is alive', async () => {
    const settle = settler();
    await settle();
    const before = memory().buffers;
    let alias: Tensor | null = (() => {
      const a = add(tensor(filled(4), [N]), 4); // the uploaded input is collected too
      return reshape(a, [48, 64]);
    })();
    await settle();
    // a was collected; its storage stays because the alias holds it.
    expect(memory().buffers).toBe(before + 1);
    expect(arenaOfArray(storage(alias))).toBeDefined();
    churn();
    expect(alias.dataSync()).toEqual(filled(8));
    alias = null;
    await settle();
    expect(memory().buffers).toBe(before);
  });

  it('a tensor that outlives its tidy() scopes is watched by the collector; the scope frees the others', async () => {
    const settle = settler();
    await settle();
    const before = memory().buffers;
    let out: Tensor | null = tidy(() => tidy(() => add(mul(tensor(filled(1), [N]), 2), 1)));
    // The input and the product are gone with the scopes; only the result is left.
    expect(memory().buffers).toBe(before + 1);
    expect(out.dataSync()).toEqual(filled(3));
    out = null;
    await settle();
    expect(memory().buffers).toBe(before);
  });

  it('results do not depend on what the pool held before (same inputs, same bits)', () => {
    const x = tensor(Float32Array.from({ length: 64 * 40 }, (_, i) => Math.sin(i)), [64, 40]);
    const w = tensor(Float32Array.from({ length: 40 * 24 }, (_, i) => Math.cos(i) / 8), [40, 24]);
    const step = () => tidy(() => {
      const [v, g] = valueAndGrad((p: Tensor) => sum(mul(tanh(matmul(x, p)), tanh(matmul(x, p)))))(w);
      return [v.dataSync()[0]!, ...g.dataSync()];
    });
    const first = step();
    churn();
    const second = step();
    expect(new Float32Array(second)).toEqual(new Float32Array(first));
    x.dispose();
    w.dispose();
  });

  it('a block keeps its bookkeeping through thousands of hand-outs and returns: in use, free, handed out again, trimmed only when all are free', () => {
    // Thousands of live blocks and churn on top of them (the state of a process holding a model's
    // parameters): each block's class reads back while it is in use and 0 once it is free.
    const live = Array.from({ length: 3000 }, (_, i) => outputArray('float32', 16 + (i % 50)) as Float32Array);
    const before = poolStats();
    for (let r = 0; r < 2000; r++) {
      const x = outputArray('float32', N) as Float32Array;
      expect(blockBytes(x)).toBe(sizeClass(4 * N));
      recycle(x);
      expect(blockBytes(x)).toBe(0);
      recycle(x); // a second return changes nothing
    }
    expect(poolStats().usedBytes).toBe(before.usedBytes);
    live.forEach((a) => expect(blockBytes(a)).toBe(sizeClass(4 * a.length)));
    const arenas = poolStats().arenas;
    trimPool(); // blocks are in use: no arena goes
    expect(poolStats().arenas).toBe(arenas);
    live.forEach(recycle);
    live.forEach((a) => expect(blockBytes(a)).toBe(0));
  });

  it('reuses a free block up to twice the size class before carving a new one', () => {
    // Classes no other test uses: 40960 bytes and 81920, twice that.
    const big = outputArray('float32', 17000);
    const off = big.byteOffset, buf = big.buffer;
    recycle(big);
    const small = outputArray('float32', 9000);
    expect(small.buffer === buf && small.byteOffset === off).toBe(true);
    recycle(small);
    // It goes back to its own (larger) class: a request of that class gets it again.
    const again = outputArray('float32', 17000);
    expect(again.buffer === buf && again.byteOffset === off).toBe(true);
    recycle(again);
  });

  it('commits at most its limit; past it outputs are plain arrays and values are unchanged', () => {
    const x = tensor(Float32Array.from({ length: N }, (_, i) => i / N), [N]);
    const expected = tanh(add(x, 1)).dataSync();
    const start = poolStats().committedBytes;
    const previous = setPoolLimit(start + 64 * 1024);
    try {
      const held: Float32Array[] = [];
      for (let i = 0; i < 200; i++) held.push(outputArray('float32', N) as Float32Array);
      expect(poolStats().committedBytes).toBeLessThanOrEqual(start + 64 * 1024);
      expect(held.filter((a) => arenaOfArray(a) === undefined).length).toBeGreaterThan(0);
      expect(tanh(add(x, 1)).dataSync()).toEqual(expected);
      held.forEach(recycle);
      // At the limit, a free block larger than the request is split rather than a plain array returned.
      const wide = outputArray('float32', 4 * N);
      const atLimit = arenaOfArray(wide) !== undefined;
      recycle(wide);
      setPoolLimit(poolStats().committedBytes);
      const head = outputArray('float32', N), tail = outputArray('float32', N);
      if (atLimit) {
        expect(arenaOfArray(head) !== undefined && arenaOfArray(tail) !== undefined).toBe(true);
        expect(poolStats().committedBytes).toBeLessThanOrEqual(start + 64 * 1024);
      }
      recycle(head);
      recycle(tail);
      x.dispose();
    } finally {
      setPoolLimit(previous);
    }
  });

  it('pooled storage (SIMD loops) and plain arrays (JavaScript loops) give the same bits; matmul sums differ by rounding only', () => {
    const x = tensor(Float32Array.from({ length: 64 * 40 }, (_, i) => Math.sin(i)), [64, 40]);
    const w = tensor(Float32Array.from({ length: 40 * 24 }, (_, i) => Math.cos(i) / 8), [40, 24]);
    // Elementwise chain with its gradient: the same operations in the same order in both paths.
    const pointwise = () => tidy(() => {
      const [v, g] = valueAndGrad((p: Tensor) => sum(mul(tanh(add(mul(p, 2), 1)), p)))(x);
      return [v.dataSync()[0]!, ...g.dataSync()];
    });
    const dense = () => tidy(() => Array.from(tanh(matmul(x, w)).dataSync()));
    const pooled = [pointwise(), dense()];
    const previous = setPoolLimit(0);
    let plain: number[][];
    try {
      plain = [pointwise(), dense()];
    } finally {
      setPoolLimit(previous);
    }
    expect(new Float32Array(plain[0]!)).toEqual(new Float32Array(pooled[0]!));
    // The packed wasm GEMM accumulates the 40 products in another order: float32 rounding of the sums, |Δ| ≤ 1e-6 here.
    const worst = Math.max(...pooled[1]!.map((v, i) => Math.abs(v - plain[1]![i]!)));
    expect(worst).toBeLessThan(1e-6);
    x.dispose();
    w.dispose();
  });

  it('at the limit, free blocks that touch are merged to serve a wider request', () => {
    // 4 MiB blocks: wider than anything the other tests leave on the free lists.
    const mib = 1 << 18; // elements in 1 MiB
    const blocks = Array.from({ length: 4 }, () => outputArray('float32', 4 * mib));
    const first = blocks[0]!;
    // Fresh blocks are carved one after another from the bump pointer.
    expect(blocks.every((b, i) => b.buffer === first.buffer && b.byteOffset === first.byteOffset + i * 16 * mib)).toBe(true);
    const limit = poolStats().committedBytes;
    const previous = setPoolLimit(limit);
    try {
      blocks.forEach(recycle);
      const wide = outputArray('float32', 12 * mib);
      // From the merged run (which may start at free blocks below the first): pooled, not a plain array.
      expect(wide.buffer === first.buffer && wide.byteOffset <= first.byteOffset).toBe(true);
      expect(poolStats().committedBytes).toBeLessThanOrEqual(limit);
      recycle(wide);
    } finally {
      setPoolLimit(previous);
    }
  });
});
