import { ArgumentError, split, type Key } from '@rheo/tensor';
import type { Dataset, DataTransform } from './dataset.js';
import { dequantize, logitTransform } from './dequantize.js';
import { takeRows, type Matrix } from './matrix.js';
import { shuffledIndices } from './random-stream.js';
import { splitMaf } from './split-maf.js';

/**
 * Options of `imageDataset`: the test and validation fractions (after a keyed shuffle) and the
 * optional logit transform y = logit(α + (1 − 2α)x) of Dinh et al. 2017 (arXiv:1605.08803).
 */
export interface ImageDatasetOptions {
  /** Fraction of rows held out for testing (after a keyed shuffle); default 0.1. */
  readonly testFraction?: number;
  /** Fraction of the remaining rows kept for validation; default 0 (no validation split). */
  readonly valFraction?: number;
  /** Apply y = logit(α + (1 − 2α)x) after dequantising; α is recorded in `transforms`. */
  readonly logit?: boolean | { readonly alpha: number };
}

/**
 * A data set of integer pixel rows (values in [0, levels)): shuffle the rows
 * with the key, dequantise x = (v + u)/levels, optionally apply the logit
 * transform, then split MAF-style (test = last testFraction of the rows,
 * validation = last valFraction of the rest). `defaultAlpha` is the logit
 * margin used when `logit: true`.
 */
export function imageDataset(name: string, pixels: Matrix, levels: number, k: Key, defaultAlpha: number, options: ImageDatasetOptions = {}): Dataset {
  if (pixels.rows < 2) throw new ArgumentError(`${name}(pixels): expected at least 2 rows, received ${pixels.rows}`);
  const [kShuffle, kNoise] = split(k, 2);
  const shuffled = takeRows(pixels, shuffledIndices(kShuffle!, pixels.rows));
  const x = dequantize(shuffled.data, levels, kNoise!);
  const transforms: DataTransform[] = [{ kind: 'shuffle' }, { kind: 'dequantize', levels }];
  if (options.logit !== undefined && options.logit !== false) {
    const alpha = options.logit === true ? defaultAlpha : options.logit.alpha;
    logitTransform(x, pixels.cols, alpha);
    transforms.push({ kind: 'logit', alpha });
  }
  const parts = splitMaf({ data: x, rows: pixels.rows, cols: pixels.cols }, options.testFraction ?? 0.1, options.valFraction ?? 0);
  return {
    name,
    train: parts.train,
    ...(parts.val.rows > 0 ? { val: parts.val } : {}),
    test: parts.test,
    dim: pixels.cols,
    transforms,
  };
}
