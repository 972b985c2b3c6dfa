import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShapeError } from '@rheo/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { serializeNpy } from '../serialize-npy.js';
import { loadNpyFolder } from './load-npy-folder.js';

const root = mkdtempSync(join(tmpdir(), 'rheo-data-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function folder(name: string, files: Record<string, [number, number]>): string {
  const d = join(root, name);
  mkdirSync(d);
  for (const [f, [n, k]] of Object.entries(files)) writeFileSync(join(d, f), serializeNpy(Float32Array.from({ length: n * k }, (_, i) => i), [n, k]));
  return d;
}

describe('loadNpyFolder', () => {
  it('reads train and test, with or without val', () => {
    const a = loadNpyFolder(folder('gas', { 'train.npy': [5, 3], 'test.npy': [2, 3] }));
    expect([a.name, a.train.rows, a.test.rows, a.dim, a.val]).toEqual(['gas', 5, 2, 3, undefined]);
    expect(a.test.data[5]).toBe(5);
    const b = loadNpyFolder(folder('hep', { 'train.npy': [4, 2], 'val.npy': [1, 2], 'test.npy': [2, 2] }));
    expect(b.val?.rows).toBe(1);
  });

  it('rejects a missing file and a column mismatch, naming the file', () => {
    expect(() => loadNpyFolder(folder('half', { 'train.npy': [2, 2] }))).toThrow(/expected one of "test\.npy" in .*half"/);
    const d = folder('ragged', { 'train.npy': [2, 2], 'val.npy': [2, 3], 'test.npy': [2, 2] });
    expect(() => loadNpyFolder(d)).toThrow(ShapeError);
    expect(() => loadNpyFolder(d)).toThrow(/val\.npy has 3 columns, expected 2 as in train\.npy/);
    writeFileSync(join(root, 'ragged', 'test.npy'), serializeNpy(new Float32Array(4), [4]));
    rmSync(join(root, 'ragged', 'val.npy'));
    expect(() => loadNpyFolder(d)).toThrow(/test\.npy: expected a 2-D array \(n, d\), received shape \(4\)/);
  });
});
