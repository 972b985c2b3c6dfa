// @rheo/data: toy 2-D densities, byte-level readers (.npy, IDX, CSV), the MAF
// benchmark preprocessing and minibatching. Pure: no file access (see @rheo/data/node).
export { matrix, toTensor, takeRows, sliceRows, checkFiniteMatrix, type Matrix } from './matrix.js';
export type { Dataset, DataTransform } from './dataset.js';
export { uniforms, normals, shuffledIndices } from './random-stream.js';

// toy 2-D densities
export { TOY_2D, type Toy2dName } from './toy/toy-2d.js';
export { eightGaussians, EIGHT_GAUSSIANS_RADIUS, EIGHT_GAUSSIANS_STD } from './toy/eight-gaussians.js';
export { checkerboard } from './toy/checkerboard.js';
export { twoMoons, TWO_MOONS_CENTRES, TWO_MOONS_RADIUS } from './toy/two-moons.js';
export { twoSpirals } from './toy/two-spirals.js';
export { pinwheel, PINWHEEL } from './toy/pinwheel.js';
export { rings, RINGS_RADII, RINGS_NOISE } from './toy/rings.js';
export { circles, CIRCLES_RADII, CIRCLES_NOISE } from './toy/circles.js';
export { swissRoll } from './toy/swiss-roll.js';
/**
 * Exact log-densities and Monte Carlo entropies of the toy sets with a closed-form density
 * (8gaussians, checkerboard, rings, circles), matching their samplers; FFJORD's toy data
 * (Grathwohl et al. 2018, arXiv:1810.01367). See each function's comment for the formulas.
 */
export { toyLogDensity, type ToyDensityName, type ToyLogDensity } from './toy/toy-log-density.js';
export { toyEntropy, type EntropyEstimate } from './toy/toy-entropy.js';

// readers and writers
export { parseNpy, npyMatrix, type NpyArray } from './npy.js';
export { serializeNpy } from './serialize-npy.js';
export { parseIdx, type IdxArray, type IdxValues } from './idx.js';
export { parseCsv, type CsvOptions } from './csv.js';

// preprocessing
export { splitMaf, type MafSplit } from './split-maf.js';
export { standardizationStats, standardize, unstandardize, type StandardizationStats } from './standardize.js';
export { dequantize, logitTransform } from './dequantize.js';
export { parsePowerText, mafPower, POWER_COLUMNS, POWER_NOISE, type PowerOptions } from './maf-power.js';
export { minibooneClean, mafMiniboone, minibooneFromMafSplits, MINIBOONE_SPLITS_NOTE } from './maf-miniboone.js';
export { imageDataset, type ImageDatasetOptions } from './image-dataset.js';
export { digitsDataset, DIGITS_LOGIT_ALPHA } from './digits.js';
export { mnistDataset, MNIST_LOGIT_ALPHA } from './mnist.js';

// batching
export { batches, epochOrder, type BatchOptions } from './batches.js';
