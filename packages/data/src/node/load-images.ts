import type { Key } from '@rheo/tensor';
import type { Dataset } from '../dataset.js';
import { digitsDataset } from '../digits.js';
import type { ImageDatasetOptions } from '../image-dataset.js';
import { mnistDataset } from '../mnist.js';
import { findFile } from './find-file.js';
import { readCsv, readIdx } from './readers.js';

/** Digits 8×8 (`digitsDataset`) from `digits.csv.gz` or `digits.csv` in `dir`. */
export function loadDigits(dir: string, k: Key, options: ImageDatasetOptions = {}): Dataset {
  return digitsDataset(readCsv(findFile(dir, ['digits.csv.gz', 'digits.csv'], 'loadDigits'), { columns: 65 }), k, options);
}

/** The MNIST test set (`mnistDataset`) from `t10k-images-idx3-ubyte.gz` (or decompressed) in `dir`. */
export function loadMnist(dir: string, k: Key, options: ImageDatasetOptions = {}): Dataset {
  const path = findFile(dir, ['t10k-images-idx3-ubyte.gz', 't10k-images-idx3-ubyte'], 'loadMnist');
  return mnistDataset(readIdx(path, [-1, 28, 28]), k, options);
}
