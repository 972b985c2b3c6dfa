import { epochOrder, matrix, type Dataset } from '@rheo/data';
import { fold, key, matmul, mean, tensor, zeros, type Tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { EPOCH_STREAM } from './epoch-batches.js';
import { fit } from './fit.js';

// Row i is [i, 100 + i], so a batch's first column names the rows it holds.
const rows = (n: number) => matrix(Float32Array.from({ length: 2 * n }, (_, j) => (j % 2 === 0 ? j / 2 : 100 + (j - 1) / 2)), n, 2);

async function seenRows(data: ReturnType<typeof rows> | Dataset, size: number, epochs: number, dropLast = false) {
  const seen: number[][] = [];
  const r = await fit<{ w: Tensor }, null, Tensor>({
    params: { w: zeros([2, 1]) },
    loss: (p, x, { training }) => {
      if (training) {
        const v = x.dataSync();
        expect(x.shape[1]).toBe(2);
        seen.push(Array.from({ length: x.shape[0]! }, (_, i) => v[2 * i]!));
        expect(Array.from({ length: x.shape[0]! }, (_, i) => v[2 * i + 1]!)).toEqual(seen.at(-1)!.map((i) => 100 + i));
      }
      return mean(matmul(x, p.w));
    },
    batch: { data, size, dropLast },
    epochs,
    key: key(11),
  });
  return { seen, r };
}

describe('epoch batches', () => {
  it('visits every row exactly once per epoch, in a different order each epoch', async () => {
    const { seen, r } = await seenRows(rows(10), 3, 3);
    // ⌈10/3⌉ = 4 batches of 3, 3, 3 and 1 rows per epoch
    expect(r.stepsRun).toBe(12);
    expect(seen.map((b) => b.length)).toEqual([3, 3, 3, 1, 3, 3, 3, 1, 3, 3, 3, 1]);
    const epochs = [0, 1, 2].map((e) => seen.slice(4 * e, 4 * e + 4).flat());
    for (const e of epochs) expect([...e].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epochs[0]).not.toEqual(epochs[1]);
    // the documented order: epochOrder(fold(key, EPOCH_STREAM), rows, epoch), epochs counted from 0
    epochs.forEach((e, i) => expect(e).toEqual(Array.from(epochOrder(fold(key(11), EPOCH_STREAM), 10, i))));
  });

  it('drops the short last batch with dropLast and takes a Dataset\'s train split', async () => {
    const ds: Dataset = { name: 'toy', train: rows(7), test: rows(2), dim: 2, transforms: [] };
    const { seen, r } = await seenRows(ds, 2, 2, true);
    expect(r.stepsRun).toBe(6);
    for (const e of [seen.slice(0, 3).flat(), seen.slice(3).flat()]) {
      expect(e).toHaveLength(6);
      expect(new Set(e).size).toBe(6);
      e.forEach((i) => expect(i).toBeLessThan(7));
    }
  });

  it('rejects inconsistent step counts and sizes, naming the options', async () => {
    const base = { params: { w: zeros([2, 1]) }, loss: (p: { w: Tensor }, x: Tensor) => mean(matmul(x, p.w)), key: key(0) };
    await expect(fit({ ...base, batch: { data: rows(4), size: 2 }, steps: 2, epochs: 1 })).rejects.toThrow(/fit\(steps, epochs\): expected exactly one of them, received steps 2 and epochs 1/);
    await expect(fit({ ...base, batch: { data: rows(4), size: 2 } })).rejects.toThrow(/fit\(steps\): expected a non-negative integer \(or epochs with epoch batches\), received neither/);
    await expect(fit({ ...base, batch: () => tensor([[1, 2]]), epochs: 1 })).rejects.toThrow(/fit\(epochs\): counts passes over epoch batches/);
    await expect(fit({ ...base, batch: { data: rows(4), size: 5, dropLast: true }, epochs: 1 })).rejects.toThrow(/fit\(batch\.size\): 4 rows give no batch of 5 rows with dropLast/);
    await expect(fit({ ...base, batch: { data: rows(4), size: 0 }, epochs: 1 })).rejects.toThrow(/fit\(batch\.size\): expected a positive integer, received 0/);
  });
});
