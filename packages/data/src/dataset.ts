import type { Matrix } from './matrix.js';

/** One preprocessing step, recorded so that samples can be mapped back to data units and densities corrected. */
export type DataTransform =
  /** x = (v + u) / levels, u ~ U(0, 1): integer values v ∈ {0..levels−1} spread onto [0, 1). */
  | { readonly kind: 'dequantize'; readonly levels: number }
  /** y = logit(α + (1 − 2α)x) per coordinate; log|dy/dx| = log(1 − 2α) − log s − log(1 − s), s = α + (1 − 2α)x. */
  | { readonly kind: 'logit'; readonly alpha: number }
  /** U(0, scale_j) noise added to column j (0: none), as MAF does for POWER. */
  | { readonly kind: 'uniformNoise'; readonly scale: readonly number[] }
  /** y = (x − mean) / std per column, statistics from the named splits. */
  | { readonly kind: 'standardize'; readonly mean: Float32Array; readonly std: Float32Array; readonly statsFrom: 'train' | 'train+val' }
  /** Rows were shuffled with a key before splitting. */
  | { readonly kind: 'shuffle' }
  /** The data came already preprocessed from elsewhere; `description` says how. */
  | { readonly kind: 'preprocessed'; readonly description: string };

/**
 * A benchmark data set. Splits are backend-free float32 Matrices (row-major
 * n×dim); `toTensor` moves one to the active backend. `transforms` lists the
 * preprocessing in the order it was applied.
 */
export interface Dataset {
  readonly name: string;
  readonly train: Matrix;
  readonly val?: Matrix;
  readonly test: Matrix;
  readonly dim: number;
  /** Column names, where the source has them. */
  readonly columns?: readonly string[];
  /** What a report using this data set must say (e.g. which split stands in for training). */
  readonly note?: string;
  readonly transforms: readonly DataTransform[];
}
