import { fold, key, normal, type Tensor } from '@rheo/tensor';
import { coupling } from '../coupling.js';
import { maf } from '../maf.js';
import { semiAutoregressiveFlow } from '../saef/semi-autoregressive-flow.js';
import type { Transformer } from '../transformer.js';
import { perturbed, type LayerCase } from './layer-case.js';

/** Options of `transformerCases`. */
export interface TransformerCaseOptions {
  /** Context width of the layers; default 2 (0 for unconditional layers). */
  readonly contextDim?: number;
  /** Standard deviation of the noise added to the identity-initialised parameters; default 0.3. */
  readonly scale?: number;
  /** The input batch [n, d] for an event size d; default standard normal [5, d]. */
  readonly x?: (d: number) => Tensor;
  /** Relative tolerance of the numeric checks; default 1e-4. */
  readonly tol?: number;
  /** Seed of the layers' keys; default 0. */
  readonly seed?: number;
}

/**
 * Three rows for a new elementwise transformer, one per layer family that
 * takes it through the transformer seam: coupling (d = 5, alternating
 * mask), MAF (d = 4, random order) and the semi-autoregressive flow (d = 5,
 * blocks of 2), each conditional on a context and at perturbed parameters.
 * `make` is called once per layer, so a factory, not an instance.
 */
export function transformerCases(name: string, make: () => Transformer, options: TransformerCaseOptions = {}): LayerCase[] {
  const { contextDim = 2, scale = 0.3, tol, seed = 0 } = options;
  const k = (i: number) => fold(key(seed), i);
  const x = (d: number) => (options.x ? options.x(d) : normal(fold(k(9), d), [5, d]));
  const common = { contextDim, ...(tol === undefined ? {} : { tol }) };
  return [
    {
      name: `${name} coupling`, d: 5, ...common, x: () => x(5), params: perturbed(seed * 10 + 1, scale),
      make: () => coupling(k(1), 5, { mask: 'alternating', hidden: [12], contextDim, transformer: make() }),
    },
    {
      name: `${name} MAF`, d: 4, ...common, x: () => x(4), params: perturbed(seed * 10 + 2, scale),
      make: () => maf(k(2), 4, { order: 'random', hidden: [16], contextDim, transformer: make() }),
    },
    {
      name: `${name} semi-autoregressive flow`, d: 5, ...common, x: () => x(5), params: perturbed(seed * 10 + 3, scale),
      make: () => semiAutoregressiveFlow(k(3), 5, { blockSize: 2, hidden: [16], contextDim, transformer: make() }),
    },
  ];
}
