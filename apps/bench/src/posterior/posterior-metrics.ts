import { energyDistance, medianDistance, mmd2 } from '@rheo/eval';
import type { Rows } from './simulator.js';

/** Distances between approximate posterior samples and reference posterior samples. */
export interface PosteriorMetrics {
  /** Energy distance D² (Székely & Rizzo 2013), unbiased U-statistic. */
  readonly energyDistance: number;
  /** Unbiased MMD² (Gretton et al. 2012), Gaussian kernels at the reference's own scale. */
  readonly mmd: number;
}

/**
 * Energy distance and MMD² of `samples` against `reference`. The MMD
 * bandwidths are {½, 1, 2} × the median pairwise distance of the reference
 * samples alone, so every model is scored with the same kernel for one
 * observation (the pooled median would move with the model's samples).
 */
export function posteriorMetrics(samples: Rows, reference: Rows): PosteriorMetrics {
  const m = medianDistance(reference, reference);
  return {
    energyDistance: energyDistance(samples, reference),
    mmd: mmd2(samples, reference, { bandwidths: [0.5, 1, 2].map((f) => f * m) }),
  };
}
