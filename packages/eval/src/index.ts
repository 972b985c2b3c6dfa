// @rheo/eval: sample-based metrics (energy distance, MMD), likelihood
// summaries (NLL, bits/dim), timing, and dependency-free SVG plots and PNG
// image grids. Metrics read samples to the host and accumulate in float64.
export type { MatrixLike, Samples } from './samples.js';
export { energyDistance, type EnergyDistanceOptions } from './energy-distance.js';
export { mmd2, medianDistance, MEDIAN_BANDWIDTH_SCALES, type MmdOptions } from './mmd.js';
export { bitsPerDim, logLikelihoodSummary, type BitsPerDimOptions, type DataScale, type LogLikelihoodSummary } from './log-likelihood.js';
export { median, type TimingOptions } from './timing.js';
export { samplingThroughput, type Throughput, type ThroughputOptions } from './sampling-throughput.js';
export { stepTime, type StepTime } from './step-time.js';
export { reconstructionError, type ReconstructionError } from './reconstruction-error.js';
