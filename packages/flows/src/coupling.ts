import { mlp, type ActivationName, type LinearParams } from '@rheo/nn';
import {
  ArgumentError, ShapeError, concat, gather, reshape, sum, tensor, zerosLike, type Key, type Tensor,
} from '@rheo/tensor';
import { affineTransformer } from './affine-transformer.js';
import { contextOf } from './context.js';
import type { Transform, TransformOptions, TransformResult } from './transform.js';
import { applyTransformer, checkTransformer, identityBias, transformerParams, type Transformer } from './transformer.js';

/** Options of `coupling` (and, but for `transformer`, of `affineCoupling`). */
export interface CouplingOptions {
  /**
   * Which flattened event entries pass through unchanged (x_A): 'half' (the
   * first ⌊D/2⌋, i.e. the first half of the channels of a [c, h, w] event),
   * 'alternating' (even indices) or an explicit boolean per entry.
   */
  readonly mask?: 'half' | 'alternating' | readonly boolean[];
  /** Swap the roles of the two parts, so two layers with and without flip update everything. */
  readonly flip?: boolean;
  /** Conditioner hidden widths; default [64, 64]. */
  readonly hidden?: readonly number[];
  readonly activation?: ActivationName;
  /** Width of `options.context` [n, contextDim] fed to the conditioner; 0 (default) for none. */
  readonly contextDim?: number;
  /** The elementwise bijection of x_B; default `affineTransformer()` (y = x·exp(ŝ) + t, c = 3). */
  readonly transformer?: Transformer;
}

function passMask(size: number, mask: CouplingOptions['mask'], flip: boolean, who: string): boolean[] {
  let m: boolean[];
  if (mask === undefined || mask === 'half') m = Array.from({ length: size }, (_, i) => i < Math.floor(size / 2));
  else if (mask === 'alternating') m = Array.from({ length: size }, (_, i) => i % 2 === 0);
  else if (Array.isArray(mask) && mask.length === size) m = [...mask];
  else throw new ArgumentError(`${who}(options.mask): received ${String(mask)}; expected 'half', 'alternating' or ${size} booleans`);
  if (flip) m = m.map((v) => !v);
  const kept = m.filter((v) => v).length;
  if (kept === 0 || kept === size) {
    throw new ArgumentError(`${who}(options.mask): passes ${kept} of ${size} entries through; expected between 1 and ${size - 1}`);
  }
  return m;
}

/**
 * Coupling layer (RealNVP, Dinh, Sohl-Dickstein & Bengio 2017,
 * arXiv:1605.08803; with a spline transformer, Durkan et al. 2019,
 * arXiv:1906.04032): z_A = x_A, z_B = τ(x_B; θ) with θ = NN([x_A, context])
 * and τ any elementwise `Transformer`. The Jacobian is block-triangular with
 * diagonal τ', so log |det| = Σ_B log τ'(x_B; θ), and the inverse
 * x_B = τ⁻¹(z_B; θ) needs one network pass because θ reads only z_A = x_A.
 * The network's last layer has zero weights and the transformer's identity
 * parameters as bias, so a fresh layer is the identity. Works on
 * [n, ...event]: the event is flattened (row-major) for the split.
 */
export function coupling(k: Key, eventShape: number | readonly number[], options: CouplingOptions = {}): Transform<LinearParams[], null> {
  return buildCoupling(k, eventShape, options, 'coupling');
}

/** `coupling`, its errors naming `who` (the public function the caller used). */
export function buildCoupling(
  k: Key, eventShape: number | readonly number[], options: CouplingOptions, who: string,
): Transform<LinearParams[], null> {
  const shape = typeof eventShape === 'number' ? [eventShape] : [...eventShape];
  if (shape.length === 0 || shape.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new ArgumentError(`${who}(eventShape): received [${shape.join(', ')}]; expected positive integers`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (size < 2) {
    throw new ArgumentError(
      `${who}(eventShape): received [${shape.join(', ')}] (${size} entry); expected at least 2 entries, since a coupling passes some through and transforms the rest (use an elementwise transform for 1-D data)`,
    );
  }
  const { hidden = [64, 64], activation = 'relu', contextDim = 0, flip = false } = options;
  if (!Number.isInteger(contextDim) || contextDim < 0) {
    throw new ArgumentError(`${who}(options.contextDim): received ${contextDim}; expected a non-negative integer`);
  }
  const tau = checkTransformer(options.transformer ?? affineTransformer(), who);
  const m = passMask(size, options.mask, flip, who);
  const a = m.flatMap((v, i) => (v ? [i] : []));
  const b = m.flatMap((v, i) => (v ? [] : [i]));
  const back = new Array<number>(size);
  [...a, ...b].forEach((src, i) => (back[src] = i));
  const net = mlp(k, [a.length + contextDim, ...hidden, tau.paramsPerDim * b.length], { activation });
  const last = net.params.length - 1;
  const params = net.params.map((l, i) => (i === last ? { w: zerosLike(l.w), b: tensor(identityBias(tau, b.length), [l.b.shape[0]!]) } : l));
  // Index tensors are made per call, so a layer built inside tidy() stays usable after it.
  const idx = (v: readonly number[]) => tensor(Int32Array.from(v), [v.length]);

  const run = (p: LinearParams[], x: Tensor, o: TransformOptions | undefined, inverse: boolean): TransformResult => {
    const n = x.shape[0]!;
    if (x.rank !== shape.length + 1 || shape.some((s, i) => x.shape[i + 1] !== s)) {
      throw new ShapeError(`${who}: input has shape [${x.shape.join(', ')}]; expected [n, ${shape.join(', ')}]`);
    }
    const flat = reshape(x, [n, size]);
    const xa = gather(flat, idx(a), 1);
    const yb = gather(flat, idx(b), 1);
    const ctx = contextOf(o, contextDim, n, who);
    const theta = transformerParams(net.apply(p, ctx ? concat([xa, ctx], 1) : xa), b.length, tau, who);
    const r = applyTransformer(tau, theta, yb, inverse, who);
    const out = reshape(gather(concat([xa, r.out], 1), idx(back), 1), x.shape);
    return { out, logDet: sum(r.logDet, 1) };
  };
  return {
    kind: `${tau.kind}-coupling`,
    params,
    buffers: null,
    forwardAndLogDet: (p, _b, x, o) => run(p, x, o, false),
    inverseAndLogDet: (p, _b, z, o) => run(p, z, o, true),
  };
}
