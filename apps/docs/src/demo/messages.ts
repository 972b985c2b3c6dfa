import type { DemoModelName } from './demo-models.js';

/** What the page tells the training worker. */
export type ToWorker =
  | { readonly type: 'setup'; readonly toy: string; readonly model: DemoModelName; readonly backend: 'auto' | 'cpu'; readonly seed: number }
  | { readonly type: 'run' }
  | { readonly type: 'pause' };

/** What the training worker reports. */
export type FromWorker =
  | { readonly type: 'ready'; readonly backend: string; readonly gpu: boolean; readonly data: Float32Array }
  | { readonly type: 'progress'; readonly step: number; readonly losses: readonly number[]; readonly stepsPerSecond: number }
  | {
    readonly type: 'snapshot'; readonly step: number; readonly samples: Float32Array;
    /** Cell values of the learned density on the grid, row-major from the bottom row; log-densities for flows, a histogram of samples for the sampler. */
    readonly density: Float64Array; readonly log: boolean;
  }
  | { readonly type: 'error'; readonly message: string };

/** The square every plot of the demo shows, and its grid. */
export const DEMO_GRID = { xRange: [-4.5, 4.5] as const, yRange: [-4.5, 4.5] as const, resolution: 64 };
