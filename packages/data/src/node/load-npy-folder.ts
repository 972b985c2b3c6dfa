import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ShapeError } from '@rheo/tensor';
import type { Dataset } from '../dataset.js';
import { npyMatrix } from '../npy.js';
import { findFile } from './find-file.js';
import { readNpy } from './readers.js';

/**
 * A generic tabular data set: `train.npy` and `test.npy` (and `val.npy` if
 * present) in `dir`, each n×d float32/float64 with the same d and finite
 * values, used as they are (no preprocessing). The name is the folder's.
 */
export function loadNpyFolder(dir: string): Dataset {
  const read = (file: string) => {
    const p = findFile(dir, [file], 'loadNpyFolder');
    return npyMatrix(readNpy(p), p);
  };
  const train = read('train.npy');
  const test = read('test.npy');
  const val = existsSync(join(dir, 'val.npy')) ? read('val.npy') : undefined;
  // An empty split would only fail after training, when it is evaluated: refuse it while loading.
  for (const [file, m] of [['train.npy', train], ['test.npy', test], ['val.npy', val]] as const) {
    if (m !== undefined && (m.rows === 0 || m.cols === 0)) {
      throw new ShapeError(`loadNpyFolder(${JSON.stringify(dir)}): ${file} has shape (${m.rows}, ${m.cols}); expected at least 1 row and 1 column`);
    }
  }
  for (const [file, m] of [['test.npy', test], ['val.npy', val]] as const) {
    if (m !== undefined && m.cols !== train.cols) {
      throw new ShapeError(`loadNpyFolder(${JSON.stringify(dir)}): ${file} has ${m.cols} columns, expected ${train.cols} as in train.npy`);
    }
  }
  return { name: basename(dir), train, ...(val !== undefined ? { val } : {}), test, dim: train.cols, transforms: [] };
}
