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
import { arenaOfArray, outputArray, recycle, sizeClass } from './buffer-pool.js';
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
    const gc = collectGarbage();
    const settle = async () => {
      for (let i = 0; i < 5; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 0));
      }
    };
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
});
