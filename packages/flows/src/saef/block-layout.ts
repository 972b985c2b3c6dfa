import { ArgumentError } from '@rheo/tensor';

/**
 * Dimensions 0..d−1 split into consecutive blocks of k; the last block holds
 * the remainder when k does not divide d. k = 1 is fully autoregressive,
 * k ≥ d a single (non-autoregressive) block.
 */
export interface BlockLayout {
  readonly dim: number;
  readonly blockSize: number;
  /** ⌈d/k⌉: also the number of conditioner passes sampling needs. */
  readonly count: number;
  /** blockOf[j]: the block of dimension j. */
  readonly blockOf: readonly number[];
}

/**
 * The split of `dim` dimensions into consecutive blocks of `blockSize` (the last holds the
 * remainder): ⌈d/k⌉ blocks, and the block of each dimension (Si et al. 2023, arXiv:2206.06672).
 */
export function blockLayout(dim: number, blockSize: number, who: string): BlockLayout {
  if (!Number.isInteger(dim) || dim < 1) throw new ArgumentError(`${who}(dim): received ${dim}; expected a positive integer`);
  if (!Number.isInteger(blockSize) || blockSize < 1) {
    throw new ArgumentError(`${who}(blockSize): received ${blockSize}; expected a positive integer (1 = fully autoregressive, >= dim = one block)`);
  }
  const k = Math.min(blockSize, dim);
  return { dim, blockSize: k, count: Math.ceil(dim / k), blockOf: Array.from({ length: dim }, (_, j) => Math.floor(j / k)) };
}
