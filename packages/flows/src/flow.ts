import { add, ArgumentError, neg, ShapeError, type Key, type Tensor, type TensorTree } from '@rheo/tensor';
import type { Distribution } from './base.js';
import { compose } from './compose.js';
import type { AnyTransform, Buffers, Transform, TransformOptions } from './transform.js';

/**
 * A normalizing flow: a base distribution p_Z and an invertible f (data → noise),
 * log p(x) = log p_Z(f(x)) + log |det ∂f/∂x|; samples are f⁻¹(z), z ~ p_Z.
 */
export interface Flow {
  readonly base: Distribution;
  readonly transform: Transform<TensorTree[], Buffers[]>;
  /** Initial parameters: one tree per transform. */
  readonly params: TensorTree[];
  /** Initial buffers: one entry per transform (null where it has none). */
  readonly buffers: Buffers[];
}

/**
 * A flow from a base distribution and transforms applied in order (data → noise): log p(x) = log
 * p_Z(f(x)) + Σ log|det ∂fₗ|. Parameters and buffers are lists, one entry per transform.
 */
export function flow(base: Distribution, transforms: readonly AnyTransform[]): Flow {
  if (base === null || typeof base !== 'object' || !Array.isArray(base.eventShape) || typeof base.logProb !== 'function') {
    throw new ArgumentError(`flow(base): expected a Distribution (e.g. standardNormal(d)), received ${base === null ? 'null' : typeof base}`);
  }
  if (!Array.isArray(transforms)) throw new ArgumentError(`flow(transforms): expected an array of transforms, received ${typeof transforms}`);
  transforms.forEach((t, i) => {
    if (t === null || typeof t !== 'object' || typeof t.forwardAndLogDet !== 'function') {
      throw new ArgumentError(`flow(transforms[${i}]): expected a transform, received ${t === null ? 'null' : typeof t}`);
    }
  });
  const transform = compose(transforms);
  return { base, transform, params: transform.params, buffers: transform.buffers };
}

/**
 * The transforms' output must have the base's event shape; otherwise
 * log p_Z(f(x)) is taken over the wrong number of dimensions and is off by a
 * constant with no error (a base of dimension 3 under a 5-D MAF).
 */
function checkBaseShape(f: Flow, z: Tensor, x: Tensor): void {
  const event = f.base.eventShape;
  if (z.rank !== event.length + 1 || event.some((s, i) => z.shape[i + 1] !== s)) {
    throw new ShapeError(
      `flow: the transforms map x of shape [${x.shape.join(', ')}] to [${z.shape.join(', ')}], but the base ${f.base.kind} has event shape [${event.join(', ')}]; expected the transforms' output to be [n, ${event.join(', ')}]`,
    );
  }
}

/** log p(x) per sample, [n]. */
export function logProb(f: Flow, params: TensorTree[], buffers: Buffers[], x: Tensor, options?: TransformOptions): Tensor {
  const { out, logDet } = f.transform.forwardAndLogDet(params, buffers, x, options);
  checkBaseShape(f, out, x);
  return add(f.base.logProb(out), logDet);
}

/** n samples x = f⁻¹(z), z ~ p_Z. */
export function sample(f: Flow, params: TensorTree[], buffers: Buffers[], key: Key, n: number, options?: TransformOptions): Tensor {
  return f.transform.inverse!(params, buffers, f.base.sample(key, n), options);
}

/** n samples and their log-densities, in one pass: log p(x) = log p_Z(z) − log |det ∂f⁻¹/∂z|. */
export function sampleAndLogProb(
  f: Flow, params: TensorTree[], buffers: Buffers[], key: Key, n: number, options?: TransformOptions,
): { x: Tensor; logProb: Tensor } {
  const z = f.base.sample(key, n);
  const { out, logDet } = f.transform.inverseAndLogDet(params, buffers, z, options);
  return { x: out, logProb: add(f.base.logProb(z), neg(logDet)) };
}

/** Buffers after an optimiser step (spectral-norm power iterations); unchanged where no transform has any. */
export function updateBuffers(f: Flow, params: TensorTree[], buffers: Buffers[]): Buffers[] {
  return f.transform.updateBuffers ? f.transform.updateBuffers(params, buffers) : buffers;
}
