import { key, uniform } from '@rheo/tensor';
import { actNorm } from '../act-norm.js';
import { affineCoupling } from '../affine-coupling.js';
import { affineTransformer } from '../affine-transformer.js';
import { compose } from '../compose.js';
import { logitTransform } from '../logit-transform.js';
import { luLinear } from '../lu-linear.js';
import { maf } from '../maf.js';
import { multiscale } from '../multiscale.js';
import { randomPermutation, reversePermutation } from '../permutation.js';
import { residualBlock } from '../residual/residual-block.js';
import { reshapeEvent } from '../reshape-event.js';
import { semiAutoregressiveFlow } from '../saef/semi-autoregressive-flow.js';
import { squeeze } from '../squeeze.js';
import { flatView } from './flat-view.js';
import { perturbed, type LayerCase } from './layer-case.js';
import { transformerCases } from './transformer-cases.js';

/** Every layer of this package, with a small random instance; the same properties are checked for each. */
export const TRANSFORM_CASES: readonly LayerCase[] = [
  { name: 'reverse permutation', make: () => reversePermutation(5), d: 5 },
  { name: 'random permutation', make: () => randomPermutation(key(3), 6), d: 6 },
  { name: 'composition', make: () => compose([reversePermutation(4), randomPermutation(key(1), 4)]), d: 4 },
  { name: 'affine coupling, half mask', make: () => affineCoupling(key(11), 6, { hidden: [16] }), d: 6, params: perturbed(12) },
  { name: 'affine coupling, alternating flipped mask', make: () => affineCoupling(key(13), 5, { mask: 'alternating', flip: true, hidden: [8, 8] }), d: 5, params: perturbed(14) },
  { name: 'conditional affine coupling', make: () => affineCoupling(key(15), 4, { hidden: [8], contextDim: 3 }), d: 4, params: perturbed(16), contextDim: 3 },
  { name: 'MAF, natural order', make: () => maf(key(21), 4, { hidden: [16, 16] }), d: 4, params: perturbed(22) },
  { name: 'MAF, random order', make: () => maf(key(23), 5, { hidden: [12], order: 'random' }), d: 5, params: perturbed(24) },
  { name: 'conditional MAF, reversed order', make: () => maf(key(25), 3, { hidden: [8], order: 'reversed', contextDim: 2 }), d: 3, params: perturbed(26), contextDim: 2 },
  { name: 'ActNorm', make: () => actNorm(5), d: 5, params: perturbed(31) },
  { name: 'ActNorm on images', make: () => flatView([3, 2, 2], actNorm(3)), d: 12, params: perturbed(32) },
  { name: 'LU linear', make: () => luLinear(key(41), 5), d: 5, params: perturbed(42) },
  { name: 'LU linear on images (1x1 convolution)', make: () => flatView([3, 2, 2], luLinear(key(43), 3)), d: 12, params: perturbed(44) },
  { name: 'logit', make: () => logitTransform(0.05), d: 5, x: () => uniform(key(51), [5, 5]) },
  { name: 'logit, alpha 1e-3', make: () => logitTransform(1e-3), d: 4, x: () => uniform(key(52), [5, 4], 0.05, 0.95) },
  { name: 'squeeze', make: () => compose([reshapeEvent([32], [2, 4, 4]), squeeze(), reshapeEvent([8, 2, 2], [32])]), d: 32 },
  {
    name: 'multiscale, two levels',
    make: () => compose([
      reshapeEvent([32], [2, 4, 4]),
      multiscale([2, 4, 4], [compose([actNorm(8), luLinear(key(61), 8)]), compose([actNorm(16), affineCoupling(key(62), [16, 1, 1], { hidden: [8] })])]),
    ]),
    d: 32, params: perturbed(63),
  },
  { name: 'residual block (LipSwish, exact log-det)', make: () => residualBlock(key(21), 3, { hidden: [12, 12] }), d: 3 },
  { name: 'residual block (ELU, c = 0.5)', make: () => residualBlock(key(22), 4, { hidden: [10], activation: 'elu', coeff: 0.5 }), d: 4 },
  { name: 'semi-autoregressive flow (k = 2, d = 5)', make: () => semiAutoregressiveFlow(key(25), 5, { blockSize: 2, hidden: [16] }), d: 5, params: perturbed(27) },
  { name: 'semi-autoregressive flow (k = 1, d = 3)', make: () => semiAutoregressiveFlow(key(26), 3, { blockSize: 1, hidden: [8] }), d: 3, params: perturbed(28) },
  // One block (k = d) reads no entry: only the output bias is live, the hidden layers have no inputs.
  { name: 'semi-autoregressive flow (k = d = 4)', make: () => semiAutoregressiveFlow(key(27), 4, { blockSize: 4 }), d: 4, params: perturbed(29), skip: ['gradients'] },
  { name: 'residual block (ℓ∞-normalised weights)', make: () => residualBlock(key(28), 3, { hidden: [12], norm: 'infinity', coeff: 0.9 }), d: 3 },
  { name: 'residual blocks composed', make: () => compose([residualBlock(key(23), 2, { hidden: [8], activation: 'tanh' }), reversePermutation(2), residualBlock(key(24), 2)]), d: 2 },
  // The transformer seam: one transformer through coupling, MAF and semi-autoregressive layers, with a context.
  ...transformerCases('affine (scale-shift)', () => affineTransformer(), { seed: 71 }),
  ...transformerCases('affine (standardize, c = 2)', () => affineTransformer({ form: 'standardize', scaleClamp: 2 }), { seed: 72, contextDim: 1 }),
];

