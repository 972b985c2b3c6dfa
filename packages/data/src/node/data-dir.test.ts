import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ArgumentError } from '@rheo/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { dataDir } from './data-dir.js';

const dir = mkdtempSync(join(tmpdir(), 'rheo-data-dir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dataDir', () => {
  it('prefers the argument, then RHEO_DATA_DIR, and names what it looked for', () => {
    expect(dataDir(dir)).toBe(resolve(dir));
    expect(() => dataDir(join(dir, 'absent'))).toThrow(ArgumentError);
    expect(() => dataDir(join(dir, 'absent'))).toThrow(/absent"$/);
    const before = process.env.RHEO_DATA_DIR;
    try {
      process.env.RHEO_DATA_DIR = dir;
      expect(dataDir()).toBe(resolve(dir));
      process.env.RHEO_DATA_DIR = join(dir, 'gone');
      expect(() => dataDir()).toThrow(/gone" \(pass one or set RHEO_DATA_DIR\)/);
    } finally {
      if (before === undefined) delete process.env.RHEO_DATA_DIR;
      else process.env.RHEO_DATA_DIR = before;
    }
  });
});
