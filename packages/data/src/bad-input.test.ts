import { describeBadInput, type BadInputRow } from '@rheo/vitest-config/bad-input';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ArgumentError, NonFiniteError, RheoError, ShapeError } from '@rheo/tensor';
import { afterAll, describe, expect, test } from 'vitest';
import { parseCsv } from './csv.js';
import { parseNpy } from './npy.js';
import { gunzipData } from './node/read-data-file.js';
import { loadNpyFolder } from './node/load-npy-folder.js';
import { readCsv, readIdx, readNpy } from './node/readers.js';
import { serializeNpy } from './serialize-npy.js';
import { npyF8 } from './testing/npy-f8.js';

const root = mkdtempSync(join(tmpdir(), 'rheo-data-bad-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function folder(name: string, files: Record<string, [number, number]>): string {
  const d = join(root, name);
  mkdirSync(d);
  for (const [f, [n, k]] of Object.entries(files)) writeFileSync(join(d, f), serializeNpy(new Float32Array(n * k), [n, k]));
  return d;
}

const gz = gzipSync(Buffer.from('1,2\n3,4\n'));
const badTrailer = Uint8Array.from(gz);
badTrailer[badTrailer.length - 4] = 200; // ISIZE says 200 bytes, the stream holds 8.

const ROWS: readonly BadInputRow[] = [
  { label: 'float64 npy value beyond float32', call: () => parseNpy(npyF8([1, 2, 3, 1e39], [2, 2]), 'big.npy'), error: NonFiniteError, patterns: [/big\.npy/, /1e\+39/, /row 2, column 2/, /float32 range/] },
  { label: 'float64 npy value below -float32 max', call: () => parseNpy(npyF8([-3.5e38], [1]), 'neg.npy'), error: NonFiniteError, patterns: [/neg\.npy/, /row 1, column 1/] },
  { label: 'CSV value beyond float32', call: () => parseCsv('1,2\n3,4e38\n', 'big.csv'), error: NonFiniteError, patterns: [/big\.csv/, /line 2/, /column 2/, /"4e38"/, /float32 range/] },
  { label: 'a directory where an .npy file is expected', call: () => readNpy(root), error: ArgumentError, patterns: [/readDataFile/, new RegExp(root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), /directory/] },
  { label: 'a missing IDX file', call: () => readIdx(join(root, 'none.idx')), error: ArgumentError, patterns: [/none\.idx/, /no such file/] },
  { label: 'gzip whose trailer disagrees with the stream', call: () => gunzipData(badTrailer, 'x.csv.gz'), error: ArgumentError, patterns: [/x\.csv\.gz/, /gzip/] },
  {
    label: 'an npy folder with an empty test split',
    call: () => loadNpyFolder(folder('empty-test', { 'train.npy': [4, 2], 'test.npy': [0, 2] })),
    error: ShapeError,
    patterns: [/loadNpyFolder/, /empty-test/, /test\.npy has shape \(0, 2\)/, /at least 1 row/],
  },
];

describeBadInput('bad input to @rheo/data', ROWS);

describe('bad input to @rheo/data: inputs that are fine', () => {
  test('values at the float32 edge and gzipped files still load', () => {
    const m = parseNpy(npyF8([3.4028234663852886e38, -1.5], [2]), 'edge.npy');
    expect(Array.from(m.data)).toEqual([3.4028234663852886e38, -1.5]);
    writeFileSync(join(root, 'ok.csv.gz'), gz);
    expect(Array.from(readCsv(join(root, 'ok.csv.gz')).data)).toEqual([1, 2, 3, 4]);
  });
});
