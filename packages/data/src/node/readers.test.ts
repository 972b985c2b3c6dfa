import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ArgumentError, NonFiniteError } from '@rheo/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv, readIdx, readNpy, writeNpy } from './readers.js';

const dir = mkdtempSync(join(tmpdir(), 'rheo-data-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** MNIST-style labels file built by hand: 00 00 08 01, count (big-endian), then one byte per label. */
function labelsIdx(labels: number[]): Uint8Array {
  const out = new Uint8Array(8 + labels.length);
  out.set([0, 0, 8, 1, 0, 0, labels.length >> 8, labels.length & 0xff]);
  out.set(labels, 8);
  return out;
}

describe('readIdx', () => {
  it('round-trips hand-built IDX through gzip (node:zlib) and reads the plain file too', () => {
    const labels = Array.from({ length: 300 }, (_, i) => (i * 7) % 10);
    writeFileSync(join(dir, 'labels-idx1-ubyte.gz'), gzipSync(labelsIdx(labels)));
    writeFileSync(join(dir, 'labels-idx1-ubyte'), labelsIdx(labels));
    for (const f of ['labels-idx1-ubyte.gz', 'labels-idx1-ubyte']) {
      const a = readIdx(join(dir, f), [300]);
      expect(a.shape).toEqual([300]);
      expect(Array.from(a.data)).toEqual(labels);
    }
  });

  it('names the file when it is missing, corrupt gzip, or the wrong shape', () => {
    expect(() => readIdx(join(dir, 'nope.gz'))).toThrow(ArgumentError);
    expect(() => readIdx(join(dir, 'nope.gz'))).toThrow(/nope\.gz"\): expected an IDX file there, but no such file exists/);
    writeFileSync(join(dir, 'broken.gz'), Uint8Array.from([0x1f, 0x8b, 1, 2, 3, 4]));
    expect(() => readIdx(join(dir, 'broken.gz'))).toThrow(/broken\.gz"\): expected valid gzip data/);
    expect(() => readIdx(join(dir, 'labels-idx1-ubyte'), [10])).toThrow(/labels-idx1-ubyte"\): expected shape \[10\]/);
  });
});

describe('readCsv', () => {
  it('reads a gzipped CSV and names file, line and column of a bad cell', () => {
    writeFileSync(join(dir, 'ok.csv.gz'), gzipSync(Buffer.from('1,2,3\n4,5,6\n')));
    const m = readCsv(join(dir, 'ok.csv.gz'));
    expect([m.rows, m.cols, ...m.data]).toEqual([2, 3, 1, 2, 3, 4, 5, 6]);
    writeFileSync(join(dir, 'bad.csv.gz'), gzipSync(Buffer.from('1,2,3\n4,nan,6\n')));
    expect(() => readCsv(join(dir, 'bad.csv.gz'))).toThrow(NonFiniteError);
    expect(() => readCsv(join(dir, 'bad.csv.gz'))).toThrow(/bad\.csv\.gz"\): line 2 \(data row 2\), column 2/);
  });
});

describe('writeNpy / readNpy', () => {
  it('round-trips float32 samples through a file', () => {
    const p = join(dir, 'samples.npy');
    const v = Float32Array.from([1.25, -3, 0.5, 1e-7, 6, 7]);
    writeNpy(p, v, [3, 2]);
    const back = readNpy(p);
    expect(back.shape).toEqual([3, 2]);
    expect(Array.from(back.data)).toEqual(Array.from(v));
  });
});
