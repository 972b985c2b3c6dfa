import { resolve } from 'node:path';
import { matrix } from '@rheo/data';
import { key } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { loadDataset, toOriginalUnits, withLogit } from './datasets.js';

const DATA = process.env.RHEO_DATA_DIR ?? resolve(import.meta.dirname, '../../../../shared/data');

describe('withLogit', () => {
  it('gives what the loader gives with logit: true and the same key, without reading the files again', async () => {
    const plain = await loadDataset('digits', DATA, key(5), { train: 0, test: 0 });
    const direct = await loadDataset('digits', DATA, key(5), { train: 0, test: 0 }, { logit: true });
    const derived = withLogit(plain);
    expect(derived.transforms).toEqual(direct.transforms);
    expect(Array.from(derived.train.data)).toEqual(Array.from(direct.train.data));
    expect(Array.from(derived.test.data)).toEqual(Array.from(direct.test.data));
    // The plain set is left as it was: pixels in [0, 1).
    expect(Math.min(...plain.test.data)).toBeGreaterThanOrEqual(0);
  });
});

describe('toOriginalUnits', () => {
  it('undoes standardisation after the logit, in reverse order of application', () => {
    const alpha = 0.05;
    const mean = Float32Array.of(1, -2);
    const std = Float32Array.of(2, 0.5);
    const raw = [0.2, 0.9, 0.5, 0.1];
    // Forward by hand: y = logit(α + (1 − 2α)x), then z = (y − mean) / std.
    const z = raw.map((x, i) => {
      const s = alpha + (1 - 2 * alpha) * x;
      return (Math.log(s / (1 - s)) - mean[i % 2]!) / std[i % 2]!;
    });
    const d = {
      name: 't', dim: 2, train: matrix(new Float32Array(4), 2, 2), test: matrix(new Float32Array(4), 2, 2),
      transforms: [{ kind: 'logit', alpha } as const, { kind: 'standardize', mean, std, statsFrom: 'train' } as const],
    };
    const back = toOriginalUnits(d, Float32Array.from(z));
    raw.forEach((x, i) => expect(back[i]!).toBeCloseTo(x, 5));
  });
});
