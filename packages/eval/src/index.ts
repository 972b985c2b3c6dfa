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

// images
export type { GrayImage } from './gray-image.js';
export { imageGrid, type ImageGridOptions } from './image-grid.js';
export { encodePng, type EncodePngOptions } from './encode-png.js';
export { crc32 } from './crc32.js';
export { adler32 } from './adler32.js';

// plots
export { scatterSvg, type ScatterSvgOptions } from './scatter-svg.js';
export { densityGrid, type Grid2d, type GridSpec } from './density-grid.js';
export { histogramGrid } from './histogram-grid.js';
export { heatmapSvg, rampColor, type HeatmapSvgOptions } from './heatmap-svg.js';
export { lossCurveSvg, SERIES_COLORS, type LossSeries, type LossCurveSvgOptions } from './loss-curve-svg.js';
export { barChartSvg, type Bar, type BarChartSvgOptions } from './bar-chart-svg.js';
export { niceTicks } from './nice-ticks.js';
