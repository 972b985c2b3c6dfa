import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { key, ShapeError } from '@rheo/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { serializeNpy } from '../serialize-npy.js';
import { unstandardize } from '../standardize.js';
import { loadPower } from './load-power.js';

const dir = mkdtempSync(join(tmpdir(), 'rheo-data-power-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadPower from MAF data.npy', () => {
  it('keeps columns 0, 2, 4, 5, 6, 7 of the 8 (dropping reactive power and intensity)', () => {
    // Row i: column c holds 1000·c + i, so the kept columns are recognisable; column 7 (time) gets no noise.
    const n = 50;
    const v = Float32Array.from({ length: n * 8 }, (_, j) => 1000 * (j % 8) + Math.floor(j / 8));
    writeFileSync(join(dir, 'data.npy'), serializeNpy(v, [n, 8]));
    const d = loadPower(dir, key(3));
    expect([d.train.rows + d.val!.rows + d.test.rows, d.dim]).toEqual([n, 6]);
    const t = d.transforms.find((x) => x.kind === 'standardize');
    if (t?.kind !== 'standardize') throw new Error('no standardize transform');
    const raw = unstandardize(d.test, t);
    for (let r = 0; r < raw.rows; r++) {
      const i = Math.round(raw.data[6 * r + 5]! - 7000);
      [0, 2, 4, 5, 6].forEach((c, j) => {
        const e = raw.data[6 * r + j]! - (1000 * c + i);
        expect(e).toBeGreaterThan(-1e-3);
        expect(e).toBeLessThan([0.001, 0.01, 1, 1, 1][j]! + 1e-3);
      });
    }
    writeFileSync(join(dir, 'data.npy'), serializeNpy(new Float32Array(14), [2, 7]));
    expect(() => loadPower(dir, key(3))).toThrow(ShapeError);
  });
});
