import { describeBadInput, type BadInputRow } from '@rheo/vitest-config/bad-input';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, RheoError, ShapeError, tensor } from '@rheo/tensor';
import { afterAll, describe, expect, test } from 'vitest';
import { energyDistance } from './energy-distance.js';
import { makeDirs } from './make-dirs.js';
import { mmd2 } from './mmd.js';
import { writePlot } from './write-plot.js';

const dir = mkdtempSync(join(tmpdir(), 'rheo-eval-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'a-file');
writeFileSync(file, 'x');

// Bad input at the package's entry points → one clear error naming the argument and the cause.
const ROWS: readonly BadInputRow[] = [
  { label: 'energyDistance of different dimensions', call: () => energyDistance(tensor([[1, 2], [3, 4]]), tensor([[1], [2]])), error: ShapeError, patterns: [/energyDistance\(x, y\)/, /2 and 1/] },
  { label: 'mmd2 of one row', call: () => mmd2(tensor([[1, 2]]), tensor([[1, 2], [3, 4]])), error: ArgumentError, patterns: [/mmd2\(x, y\)/, /at least 2 rows/, /1 and 2/] },
  { label: 'writePlot under /proc', call: () => writePlot('/proc/rheo-eval-x/plot.svg', '<svg/>'), error: ArgumentError, patterns: [/writePlot\(file\)/, /\/proc\/rheo-eval-x/, /ENOENT/] },
  { label: 'writePlot below a file', call: () => writePlot(join(file, 'plot.svg'), '<svg/>'), error: ArgumentError, patterns: [/writePlot\(file\)/, /a-file/, /not a directory/] },
  { label: 'makeDirs under /sys', call: () => makeDirs('/sys/rheo-eval-x/y', '--out'), error: ArgumentError, patterns: [/--out/, /\/sys\/rheo-eval-x/, /EPERM|EACCES|ENOENT|EROFS/] },
];

describeBadInput('bad input to @rheo/eval', ROWS);

describe('bad input to @rheo/eval: inputs that are fine', () => {
  test('makeDirs creates nested folders and accepts existing ones', () => {
    makeDirs(join(dir, 'a', 'b', 'c'), 'x');
    makeDirs(join(dir, 'a', 'b'), 'x');
    writePlot(join(dir, 'a', 'b', 'c', 'p.svg'), '<svg/>');
  });
});
