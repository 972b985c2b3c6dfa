import { ShapeError, type Key } from '@rheo/tensor';
import type { Dataset } from './dataset.js';
import type { IdxArray } from './idx.js';
import { imageDataset, type ImageDatasetOptions } from './image-dataset.js';

/** MAF's logit margin for MNIST, α = 1e-6 (Papamakarios et al. 2017, arXiv:1705.07057). */
export const MNIST_LOGIT_ALPHA = 1e-6;

/**
 * MNIST images (an IDX [n, 28, 28] unsigned-byte array, e.g. the 10,000-image
 * test set) as n×784 rows: shuffled with the key, dequantised by
 * (pixel + u)/256 as in MAF, optionally logit(α + (1 − 2α)x) with α = 1e-6,
 * then split into a training part and a held-out test part (last 10% of the
 * shuffled rows by default, `testFraction`), plus an optional validation part.
 * The shuffle matters: the official test set's first 5,000 images are
 * cleaner and easier than its last 5,000 (LeCun & Cortes, the MNIST page).
 */
export function mnistDataset(images: IdxArray, k: Key, options: ImageDatasetOptions = {}): Dataset {
  if (images.shape.length !== 3 || images.shape[1] !== 28 || images.shape[2] !== 28 || !(images.data instanceof Uint8Array)) {
    throw new ShapeError(`mnistDataset(images): expected unsigned bytes of shape [n, 28, 28], received [${images.shape.join(', ')}] of ${images.data.constructor.name}`);
  }
  const n = images.shape[0]!;
  return imageDataset('mnist', { data: Float32Array.from(images.data), rows: n, cols: 784 }, 256, k, MNIST_LOGIT_ALPHA, options);
}
