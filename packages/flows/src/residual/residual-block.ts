import { add, ArgumentError, neg, type Key, type Tensor } from '@rheo/tensor';
import { exactLogDet } from '@rheo/objectives';
import type { Transform, TransformOptions } from '../transform.js';
import { fixedPointSolve, type FixedPointOptions } from './fixed-point.js';
import { lipschitzMlp, type LipschitzMlp, type LipschitzMlpBuffers, type LipschitzMlpOptions, type LipschitzMlpParams } from './lipschitz-mlp.js';

/**
 * A log-determinant rule for y = x + g(x): log |det(I + ∂g/∂x)| per sample,
 * [n]. @rheo/objectives' `exactLogDet` fits as is; its stochastic estimators
 * (`russianRouletteLogDet`, `truncatedLogDet`, `neumannLogDet`) fit through
 * a closure that takes the key from the options, e.g.
 * `(g, x, o) => russianRouletteLogDet(g, x, { key: o!.key! })`.
 */
export type ResidualLogDet = (g: (x: Tensor) => Tensor, x: Tensor, options?: TransformOptions) => Tensor;

export interface ResidualBlockOptions extends LipschitzMlpOptions {
  /** log |det(I + J_g)| rule; default @rheo/objectives' `exactLogDet` (dense Jacobian, small d only). */
  readonly logDet?: ResidualLogDet;
  /** Tolerances and iteration limit of the fixed-point inverse. */
  readonly inverse?: FixedPointOptions;
}

/**
 * Invertible residual block (i-ResNet, Behrmann et al. 2019,
 * arXiv:1811.00995; Residual Flows, Chen et al. 2019, arXiv:1906.02735):
 * forward (data → noise) y = x + g(x), g a spectrally normalised MLP with
 * Lip(g) ≤ c < 1, so the map is bi-Lipschitz and invertible. The inverse has
 * no closed form: it is the fixed point of x ← y − g(x), which throws
 * ConvergenceError at the iteration limit. log |det(I + J_g(x))| comes from
 * the pluggable `logDet` rule. `updateBuffers` advances the persistent
 * power-iteration vectors after each optimiser step.
 */
export interface ResidualBlock extends Transform<LipschitzMlpParams, LipschitzMlpBuffers> {
  readonly kind: 'residual-block';
  /** The residual branch g (its normalised weights, its Lipschitz bound). */
  readonly g: LipschitzMlp;
}

export function residualBlock(k: Key, dim: number, options: ResidualBlockOptions = {}): ResidualBlock {
  const g = lipschitzMlp(k, dim, options);
  const logDetRule: ResidualLogDet = options.logDet ?? ((g, x) => exactLogDet(g, x));
  if (typeof logDetRule !== 'function') {
    throw new ArgumentError(`residualBlock(logDet): received ${typeof logDetRule}; expected a function (g, x, options) => Tensor [n]`);
  }
  const inverseOptions = options.inverse ?? {};
  const check = (x: Tensor, who: string): void => {
    if (x.rank !== 2 || x.shape[1] !== dim) {
      throw new ArgumentError(`residualBlock.${who}(x): received shape [${x.shape.join(', ')}]; expected [n, ${dim}]`);
    }
  };
  const bound = (p: LipschitzMlpParams, b: LipschitzMlpBuffers, o?: TransformOptions) => g.bind(p, b, o?.training ?? false);
  const solve = (p: LipschitzMlpParams, b: LipschitzMlpBuffers, z: Tensor, o?: TransformOptions) => {
    check(z, 'inverse');
    const gx = bound(p, b, o);
    return { gx, x: fixedPointSolve(gx, z, inverseOptions, 'residualBlock.inverse').x };
  };
  return {
    kind: 'residual-block',
    g,
    params: g.params,
    buffers: g.buffers,
    forwardAndLogDet: (p, b, x, o) => {
      check(x, 'forward');
      const gx = bound(p, b, o);
      return { out: add(x, gx(x)), logDet: logDetRule(gx, x, o) };
    },
    inverseAndLogDet: (p, b, z, o) => {
      const { gx, x } = solve(p, b, z, o);
      return { out: x, logDet: neg(logDetRule(gx, x, o)) };
    },
    forward: (p, b, x, o) => {
      check(x, 'forward');
      return add(x, bound(p, b, o)(x));
    },
    inverse: (p, b, z, o) => solve(p, b, z, o).x,
    updateBuffers: (p, b) => g.updateBuffers(p, b),
  };
}
