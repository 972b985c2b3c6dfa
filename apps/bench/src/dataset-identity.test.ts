import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeNpy } from '@rheo/data';
import { ArgumentError, key } from '@rheo/tensor';
import { afterAll, describe, expect, test } from 'vitest';
import { datasetIdentity } from './dataset-identity.js';
import { loadDataset } from './datasets.js';

const root = mkdtempSync(join(tmpdir(), 'rheo-bench-id-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function folder(path: string, fill: number): string {
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'train.npy'), serializeNpy(new Float32Array(6).fill(fill), [3, 2]));
  writeFileSync(join(path, 'test.npy'), serializeNpy(new Float32Array(2).fill(fill), [1, 2]));
  return path;
}

const load = (dir: string) => loadDataset(`npy:${dir}`, root, key(0), { train: 0, test: 0 });

describe('checkpoint names of npy: data sets', () => {
  test('two folders with one base name get different identities; one folder keeps its own', async () => {
    const a = folder(join(root, 'a', 'gas'), 1);
    const b = folder(join(root, 'b', 'gas'), 1);
    const [da, db, da2] = [await load(a), await load(b), await load(a)];
    expect([da.name, db.name]).toEqual(['gas', 'gas']);
    expect(datasetIdentity(da)).toMatch(/^gas-[0-9a-f]{8}$/);
    expect(datasetIdentity(da)).not.toBe(datasetIdentity(db));
    expect(datasetIdentity(da2)).toBe(datasetIdentity(da));
    // Changed values in the same folder: a different identity, so no stale checkpoint is resumed.
    folder(a, 2);
    expect(datasetIdentity(await load(a))).not.toBe(datasetIdentity(da));
  });

  test('named data sets keep their plain names', async () => {
    const moons = await loadDataset('moons', root, key(0), { train: 10, test: 10 });
    expect(datasetIdentity(moons)).toBe('moons');
  });

  test('a NaN in an npy: file is bad input (an ArgumentError, exit 2), not a failed run', async () => {
    const d = folder(join(root, 'nan', 'x'), 1);
    writeFileSync(join(d, 'test.npy'), serializeNpy(Float32Array.of(1, Number.NaN), [1, 2]));
    await expect(load(d)).rejects.toThrow(ArgumentError);
    await expect(load(d)).rejects.toThrow(/test\.npy.*expected finite values/);
  });
});
