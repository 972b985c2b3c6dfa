import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePng } from './encode-png.js';
import { encodePngCompressed } from './encode-png-compressed.js';
import { writePlot } from './write-plot.js';

const dir = mkdtempSync(join(tmpdir(), 'rheo-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The concatenated IDAT payload, found by walking the chunk list. */
function idat(png: Uint8Array): Buffer {
  const b = Buffer.from(png);
  const parts: Buffer[] = [];
  for (let p = 8; p < b.length; p += 12 + b.readUInt32BE(p)) {
    if (b.toString('latin1', p + 4, p + 8) === 'IDAT') parts.push(b.subarray(p + 8, p + 8 + b.readUInt32BE(p)));
  }
  return Buffer.concat(parts);
}

describe('writePlot and encodePngCompressed', () => {
  it('compresses a flat image and inflates to the same scanlines as the stored form', () => {
    const image = { width: 64, height: 64, data: new Uint8Array(64 * 64).fill(200) };
    const small = encodePngCompressed(image);
    const big = encodePng(image);
    expect(small.length).toBeLessThan(big.length / 10);
    expect(inflateSync(idat(small)).equals(inflateSync(idat(big)))).toBe(true);
  });

  it('writes SVG text and PNG bytes by extension, creating the folder', () => {
    writePlot(join(dir, 'a', 'plot.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    expect(readFileSync(join(dir, 'a', 'plot.svg'), 'utf8')).toBe('<svg xmlns="http://www.w3.org/2000/svg"/>');
    writePlot(join(dir, 'b', 'grid.png'), { width: 1, height: 1, data: new Uint8Array([7]) });
    const png = readFileSync(join(dir, 'b', 'grid.png'));
    expect(Array.from(png.subarray(1, 4))).toEqual([80, 78, 71]);
    expect(Array.from(inflateSync(idat(png)))).toEqual([0, 7]);
    expect(() => writePlot(join(dir, 'x.png'), '<svg/>')).toThrow(/\.svg name/);
  });
});
