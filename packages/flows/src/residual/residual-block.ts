import { add, ArgumentError, customVjp, eye, logAbsDetUnpivoted, neg, type Key, type Tensor, type VjpResult } from '@rheo/tensor';
import type { Transform, TransformOptions } from '../transform.js';
import { fixedPointSolve, type FixedPointOptions } from './fixed-point.js';
import { lipschitzMlp, type LipschitzMlp, type LipschitzMlpBuffers, type LipschitzMlpOptions, type LipschitzMlpParams } from './lipschitz-mlp.js';

/**
 * A log-determinant rule for y = x + g(x): log |det(I + ∂g/∂x)| per sample,
 * [n]. The block does not import an objective package: estimators are
 * passed in. @rheo/objectives' `exactLogDet` fits as is; its stochastic
 * estimators (`russianRouletteLogDet`, `truncatedLogDet`, `neumannLogDet`;
 * Chen et al. 2019, arXiv:1906.02735) fit through a closure that takes the
 * key from the options, e.g.
 * `(g, x, o) => russianRouletteLogDet(g, x, { key: o!.key! })`.
 */
export type ResidualLogDet = (g: (x: Tensor) => Tensor, x: Tensor, options?: TransformOptions) => Tensor;

/**
 * Options of `residualBlock`: those of its `lipschitzMlp` g, the log-det estimator and the
 * fixed-point inverse's tolerances.
 */
export interface ResidualBlockOptions extends LipschitzMlpOptions {
  /**
   * log |det(I + J_g)| rule. 'exact' (default): the dense Jacobian from one
   * forward-mode pass through g (`bindWithJacobian`, about d + 1 forward
   * passes, first-order differentiable) and unpivoted elimination, O(n·d³):
   * small d, built into this package. A function plugs in an estimator
   * (e.g. of @rheo/objectives).
   */
  readonly logDet?: ResidualLogDet | 'exact';
  /** The rule while `options.training` is true (stochastic estimators); default `logDet`. */
  readonly trainingLogDet?: ResidualLogDet | 'exact';
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

/**
 * An invertible residual block y = x + g(x) with Lip(g) < 1 (i-ResNet, Behrmann et al. 2019,
 * arXiv:1811.00995; Residual Flows, Chen et al. 2019, arXiv:1906.02735): log-det log det(I + J_g)
 * from the `logDet` option (exact by default), inverse by fixed-point iteration.
 */
export function residualBlock(k: Key, dim: number, options: ResidualBlockOptions = {}): ResidualBlock {
  const g = lipschitzMlp(k, dim, options);
  const evalRule = options.logDet ?? 'exact';
  const trainRule = options.trainingLogDet ?? evalRule;
  for (const [name, r] of [['logDet', evalRule], ['trainingLogDet', trainRule]] as const) {
    if (typeof r !== 'function' && r !== 'exact') {
      throw new ArgumentError(`residualBlock(${name}): received ${typeof r === 'string' ? JSON.stringify(r) : typeof r}; expected 'exact' or a function (g, x, options) => Tensor [n]`);
    }
  }
  const ruleFor = (o?: TransformOptions) => (o?.training === true ? trainRule : evalRule);
  // y = x + g(x) and log |det(I + J_g(x))| from one pass that carries the Jacobian.
  const exact = (p: LipschitzMlpParams, b: LipschitzMlpBuffers, x: Tensor, o?: TransformOptions) => {
    const { y, jacobianT } = g.bindWithJacobian(p, b, o?.training ?? false)(x);
    return { gx: y, logDet: logAbsDetUnpivoted(add(jacobianT, eye(dim))) };
  };
  const inverseOptions = options.inverse ?? {};
  const check = (x: Tensor, who: string): void => {
    if (x.rank !== 2 || x.shape[1] !== dim) {
      throw new ArgumentError(`residualBlock.${who}(x): received shape [${x.shape.join(', ')}]; expected [n, ${dim}]`);
    }
  };
  const bound = (p: LipschitzMlpParams, b: LipschitzMlpBuffers, o?: TransformOptions) => g.bind(p, b, o?.training ?? false);
  // g for a log-det rule: its vjp() is g's closed-form pullback, and the latest
  // point's forward pass is kept, so g(x) followed by vjp(g, x) runs g once.
  const linearised = (p: LipschitzMlpParams, b: LipschitzMlpBuffers, o?: TransformOptions) => {
    const lin = g.bindWithVjp(p, b, o?.training ?? false);
    let last: { x: Tensor; r: VjpResult<Tensor, Tensor> } | null = null;
    const at = (h: Tensor): VjpResult<Tensor, Tensor> => (last !== null && last.x === h ? last.r : (last = { x: h, r: lin(h) }).r);
    return customVjp((h: Tensor) => at(h).out, at);
  };
  const solve = (p: LipschitzMlpParams, b: LipschitzMlpBuffers, z: Tensor, o?: TransformOptions) => {
    check(z, 'inverse');
    const gx = bound(p, b, o);
    const steps = o?.fixedPointSteps;
    return { gx, x: fixedPointSolve(gx, z, steps === undefined ? inverseOptions : { ...inverseOptions, unverifiedIterations: steps }, 'residualBlock.inverse').x };
  };
  return {
    kind: 'residual-block',
    g,
    params: g.params,
    buffers: g.buffers,
    forwardAndLogDet: (p, b, x, o) => {
      check(x, 'forward');
      const rule = ruleFor(o);
      if (rule === 'exact') {
        const r = exact(p, b, x, o);
        return { out: add(x, r.gx), logDet: r.logDet };
      }
      const gx = linearised(p, b, o);
      return { out: add(x, gx(x)), logDet: rule(gx, x, o) };
    },
    inverseAndLogDet: (p, b, z, o) => {
      const { x } = solve(p, b, z, o);
      const rule = ruleFor(o);
      return { out: x, logDet: neg(rule === 'exact' ? exact(p, b, x, o).logDet : rule(linearised(p, b, o), x, o)) };
    },
    forward: (p, b, x, o) => {
      check(x, 'forward');
      return add(x, bound(p, b, o)(x));
    },
    inverse: (p, b, z, o) => solve(p, b, z, o).x,
    updateBuffers: (p, b) => g.updateBuffers(p, b),
  };
}
