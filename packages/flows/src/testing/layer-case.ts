import { key, normal, type Tensor, type TensorTree } from '@rheo/tensor';
import type { Buffers, Transform, TransformOptions } from '../transform.js';
import { assertChecks, type CheckResult } from './check-result.js';
import { checkContext } from './check-context.js';
import { checkGradients } from './check-gradients.js';
import { checkTransform } from './check-transform.js';
import { perturb } from './perturb.js';

/** A transform as the kit sees it: any parameter tree, any buffers. */
export type TestedTransform = Transform<TensorTree, Buffers>;

/** The checks a case can opt out of (see `checkLayer`). */
export type LayerCheck = 'gradients' | 'context';

/** One row of a layer property table: a small instance of a layer and its inputs. */
export interface LayerCase {
  readonly name: string;
  /** Builds the layer; called again on each backend, so it must be deterministic (fixed keys) and create its tensors inside. */
  readonly make: () => TestedTransform;
  /** Event size d: inputs are [n, d] (see `flatView` for layers on other event shapes). */
  readonly d: number;
  /** Parameters to test at; default the initial ones. Identity-initialised layers need `perturbed(seed)`. */
  readonly params?: (t: TestedTransform) => TensorTree;
  /** The input batch; default standard normal [5, d]. */
  readonly x?: () => Tensor;
  /** Width c of a context [n, c] the layer needs; the kit draws it (standard normal) and checks its handling. */
  readonly contextDim?: number;
  /** Further options for every call (a key, `training`). */
  readonly options?: () => TransformOptions;
  /** Relative tolerance of the numeric checks; default 1e-4. */
  readonly tol?: number;
  /** Checks this case does not run. */
  readonly skip?: readonly LayerCheck[];
}

/** `params` for a case: the initial parameters plus N(0, scale²) noise from key(seed) (see `perturb`). */
export function perturbed(seed: number, scale = 0.3): (t: TestedTransform) => TensorTree {
  return (t) => perturb(t.params, key(seed), scale);
}

/** What a case builds on the active backend: the layer, its parameters, the batch and the options (with the context). */
export interface LayerInputs {
  readonly t: TestedTransform;
  readonly params: TensorTree;
  readonly x: Tensor;
  readonly context?: Tensor;
  readonly options: TransformOptions;
}

/** Builds a case's layer and inputs on the active backend (fixed keys: x from key(7), the context from key(8)). */
export function layerInputs(c: LayerCase): LayerInputs {
  const t = c.make();
  const params = c.params ? c.params(t) : t.params;
  const x = c.x ? c.x() : normal(key(7), [5, c.d]);
  const extra = c.options ? c.options() : {};
  const cd = c.contextDim ?? 0;
  if (cd === 0) return { t, params, x, options: extra };
  const context = normal(key(8), [x.shape[0]!, cd]);
  return { t, params, x, context, options: { ...extra, context } };
}

/**
 * Every property check on one case, on the active backend: `checkTransform`
 * (round trip, brute-force log-det, fused vs plain), `checkGradients`
 * (every parameter gets a nonzero gradient) and, with a context,
 * `checkContext`. Returns the results; `assertChecks` turns failures into
 * an error.
 */
export async function checkLayer(c: LayerCase): Promise<CheckResult[]> {
  const { t, params, x, context, options } = layerInputs(c);
  const skip = new Set(c.skip ?? []);
  const results = await checkTransform(t, params, t.buffers, x, { tol: c.tol ?? 1e-4, options });
  if (!skip.has('gradients')) results.push(await checkGradients(t, params, t.buffers, x, key(9), options));
  if (context && !skip.has('context')) results.push(...(await checkContext(t, params, t.buffers, x, context, key(10), options)));
  return results;
}

/** `checkLayer`, throwing a `PropertyCheckError` that lists the failed checks. */
export async function assertLayer(c: LayerCase): Promise<readonly CheckResult[]> {
  return assertChecks(c.name, await checkLayer(c));
}
