import { ArgumentError, ShapeError, type Key } from '@rheo/tensor';
import type { Dataset } from './dataset.js';
import { imageDataset, type ImageDatasetOptions } from './image-dataset.js';
import type { Matrix } from './matrix.js';

/** Logit margin for digits' 17 grey levels when `logit: true` (RealNVP's α = 0.05, Dinh et al. 2017, arXiv:1605.08803). */
export const DIGITS_LOGIT_ALPHA = 0.05;

/**
 * The UCI optical-recognition digits as bundled by scikit-learn (8×8 images,
 * 17 grey levels 0..16, label last) from their parsed CSV (n × 65): the label
 * column is dropped, rows shuffled with the key, dequantised to [0, 1) by
 * (v + u)/17, optionally logit-transformed, and split: test = last 10%
 * (`testFraction`), validation = `valFraction` of the rest (default none).
 */
export function digitsDataset(csv: Matrix, k: Key, options: ImageDatasetOptions = {}): Dataset {
  if (csv.cols !== 65) throw new ShapeError(`digitsDataset(csv): expected 65 columns (64 pixels, then the label), received ${csv.cols}`);
  const pixels = new Float32Array(csv.rows * 64);
  for (let r = 0; r < csv.rows; r++) {
    const label = csv.data[r * 65 + 64]!;
    if (!(Number.isInteger(label) && label >= 0 && label <= 9)) throw new ArgumentError(`digitsDataset(csv): row ${r + 1}: expected a label in 0..9 in column 65, received ${label}`);
    pixels.set(csv.data.subarray(r * 65, r * 65 + 64), r * 64);
  }
  return imageDataset('digits', { data: pixels, rows: csv.rows, cols: 64 }, 17, k, DIGITS_LOGIT_ALPHA, options);
}
