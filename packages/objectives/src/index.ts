// @rheo/objectives: training objectives for normalizing flows, built from
// @rheo/tensor ops so they run on any backend and autodiff flows through.
export { nllLoss, bitsPerDim, nllToBitsPerDim, type BitsPerDimOptions } from './nll.js';
export { energyScore, smoothedDistance, type EnergyScoreOptions } from './energy-score.js';
export { energyLoss, type EnergyLossOptions, type Sampler } from './energy-loss.js';
export { crossEntropy, hybridLoss, type HybridLossOptions } from './hybrid-loss.js';
export { mmd, mmdLoss, type MmdOptions } from './mmd.js';
export { survival, drawTruncation, type RouletteDistribution } from './roulette.js';
export type { ResidualFunction, ProbeKind, ProbeOptions, RouletteOptions } from './log-det-series.js';
export { exactLogDet, denseJacobian } from './exact-log-det.js';
/** Re-exported from @rheo/tensor, where it now lives. */
export { logAbsDetUnpivoted } from '@rheo/tensor';
export { truncatedLogDet, russianRouletteLogDet, type TruncatedOptions } from './residual-log-det.js';
export { neumannLogDet, memorySavingLogDet, type ParametrisedResidual } from './neumann-log-det.js';
