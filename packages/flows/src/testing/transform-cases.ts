import { key, normal, tensor, uniform, type Tensor, type TensorTree } from '@rheo/tensor';
import { perturb } from './perturb.js';
import { compose } from '../compose.js';
import { randomPermutation, reversePermutation, permute } from '../permutation.js';
import { residualBlock } from '../residual/residual-block.js';
import { semiAutoregressiveFlow } from '../saef/semi-autoregressive-flow.js';
import type { AnyTransform, TransformOptions } from '../transform.js';
import { actNorm } from '../act-norm.js';
import { affineCoupling } from '../affine-coupling.js';
import { logitTransform } from '../logit-transform.js';
import { luLinear } from '../lu-linear.js';
import { maf } from '../maf.js';
import { multiscale } from '../multiscale.js';
import { reshapeEvent } from '../reshape-event.js';
import { squeeze } from '../squeeze.js';

export interface TransformCase {
  readonly name: string;
  readonly make: () => AnyTransform;
  readonly d: number;
  /** Parameters to test at (default: the transform's initial ones). */
  readonly params?: (t: AnyTransform) => TensorTree;
  /** The input batch (default: standard normal [5, d]). */
  readonly x?: () => Tensor;
  readonly options?: () => TransformOptions;
}

/** An image layer seen through flat [n, c·h·w] data, as the brute-force Jacobian needs. */
function onImages(shape: [number, number, number], layer: AnyTransform): AnyTransform {
  const d = shape[0] * shape[1] * shape[2];
  return compose([reshapeEvent([d], shape), layer, reshapeEvent(shape, [d])]);
}
const jitter = (seed: number) => (t: AnyTransform): TensorTree => perturb(t.params as TensorTree, key(seed));

/** Every transform, with a small random instance; the same properties are checked for each. */
export const TRANSFORM_CASES: readonly TransformCase[] = [
  { name: 'reverse permutation', make: () => reversePermutation(5), d: 5 },
  { name: 'random permutation', make: () => randomPermutation(key(3), 6), d: 6 },
  { name: 'composition', make: () => compose([reversePermutation(4), randomPermutation(key(1), 4)]), d: 4 },
  { name: 'affine coupling, half mask', make: () => affineCoupling(key(11), 6, { hidden: [16] }), d: 6, params: jitter(12) },
  { name: 'affine coupling, alternating flipped mask', make: () => affineCoupling(key(13), 5, { mask: 'alternating', flip: true, hidden: [8, 8] }), d: 5, params: jitter(14) },
  {
    name: 'conditional affine coupling', make: () => affineCoupling(key(15), 4, { hidden: [8], contextDim: 3 }), d: 4, params: jitter(16),
    options: () => ({ context: normal(key(17), [5, 3]) }),
  },
  { name: 'MAF, natural order', make: () => maf(key(21), 4, { hidden: [16, 16] }), d: 4, params: jitter(22) },
  { name: 'MAF, random order', make: () => maf(key(23), 5, { hidden: [12], order: 'random' }), d: 5, params: jitter(24) },
  {
    name: 'conditional MAF, reversed order', make: () => maf(key(25), 3, { hidden: [8], order: 'reversed', contextDim: 2 }), d: 3, params: jitter(26),
    options: () => ({ context: normal(key(27), [5, 2]) }),
  },
  { name: 'ActNorm', make: () => actNorm(5), d: 5, params: jitter(31) },
  { name: 'ActNorm on images', make: () => onImages([3, 2, 2], actNorm(3)), d: 12, params: jitter(32) },
  { name: 'LU linear', make: () => luLinear(key(41), 5), d: 5, params: jitter(42) },
  { name: 'LU linear on images (1x1 convolution)', make: () => onImages([3, 2, 2], luLinear(key(43), 3)), d: 12, params: jitter(44) },
  { name: 'logit', make: () => logitTransform(0.05), d: 5, x: () => uniform(key(51), [5, 5]) },
  { name: 'logit, alpha 1e-3', make: () => logitTransform(1e-3), d: 4, x: () => uniform(key(52), [5, 4], 0.05, 0.95) },
  { name: 'squeeze', make: () => compose([reshapeEvent([32], [2, 4, 4]), squeeze(), reshapeEvent([8, 2, 2], [32])]), d: 32 },
  {
    name: 'multiscale, two levels',
    make: () => compose([
      reshapeEvent([32], [2, 4, 4]),
      multiscale([2, 4, 4], [compose([actNorm(8), luLinear(key(61), 8)]), compose([actNorm(16), affineCoupling(key(62), [16, 1, 1], { hidden: [8] })])]),
    ]),
    d: 32, params: jitter(63),
  },
  { name: 'residual block (LipSwish, exact log-det)', make: () => residualBlock(key(21), 3, { hidden: [12, 12] }), d: 3 },
  { name: 'residual block (ELU, c = 0.5)', make: () => residualBlock(key(22), 4, { hidden: [10], activation: 'elu', coeff: 0.5 }), d: 4 },
  { name: 'semi-autoregressive flow (k = 2, d = 5)', make: () => semiAutoregressiveFlow(key(25), 5, { blockSize: 2, hidden: [16] }), d: 5 },
  { name: 'semi-autoregressive flow (k = 1, d = 3)', make: () => semiAutoregressiveFlow(key(26), 3, { blockSize: 1, hidden: [8] }), d: 3 },
  { name: 'semi-autoregressive flow (k = d = 4)', make: () => semiAutoregressiveFlow(key(27), 4, { blockSize: 4 }), d: 4 },
  { name: 'residual block (ℓ∞-normalised weights)', make: () => residualBlock(key(28), 3, { hidden: [12], norm: 'infinity', coeff: 0.9 }), d: 3 },
  { name: 'residual blocks composed', make: () => compose([residualBlock(key(23), 2, { hidden: [8], activation: 'tanh' }), reversePermutation(2), residualBlock(key(24), 2)]), d: 2 },
];
