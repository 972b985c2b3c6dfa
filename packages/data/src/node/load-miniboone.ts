import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../dataset.js';
import { mafMiniboone, minibooneFromMafSplits } from '../maf-miniboone.js';
import { npyMatrix } from '../npy.js';
import { findFile } from './find-file.js';
import { readNpy } from './readers.js';

/**
 * MINIBOONE from `dir`: MAF's cleaned signal events `data.npy` (split and
 * standardised here as MAF does), else preprocessed `train.npy` + `val.npy` +
 * `test.npy`, else the published MAF `val.npy` + `test.npy` alone, in which
 * case validation stands in for training and `note` says so.
 */
export function loadMiniboone(dir: string): Dataset {
  const full = join(dir, 'data.npy');
  if (existsSync(full)) return mafMiniboone(npyMatrix(readNpy(full), full));
  const testPath = findFile(dir, ['test.npy'], 'loadMiniboone');
  const valPath = findFile(dir, ['val.npy'], 'loadMiniboone');
  const test = npyMatrix(readNpy(testPath), testPath);
  const val = npyMatrix(readNpy(valPath), valPath);
  const trainPath = join(dir, 'train.npy');
  if (!existsSync(trainPath)) return minibooneFromMafSplits(val, test);
  const train = npyMatrix(readNpy(trainPath), trainPath);
  return {
    name: 'miniboone',
    train,
    val,
    test,
    dim: train.cols,
    transforms: [{ kind: 'preprocessed', description: 'MAF preprocessing (cleaning, train+val standardisation) applied upstream' }],
  };
}
