import { mlp, type ActivationName, type LinearParams } from '@rheo/nn';
import {
  ArgumentError, ShapeError, concat, exp, gather, mapTree, mul, neg, reshape, sliceAxis, sub, sum, tensor, add, zerosLike,
  type Key, type Tensor,
} from '@rheo/tensor';
import { contextOf } from './context.js';
import { softClamp } from './soft-clamp.js';
import type { Transform, TransformOptions, TransformResult } from './transform.js';

/**
 * Options of `affineCoupling`: the mask, the conditioner MLP (`hidden`, `activation`), the scale
 * clamp and a context width (RealNVP, Dinh et al. 2017, arXiv:1605.08803).
 */
export interface AffineCouplingOptions {
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
  /** Soft clamp c of the log-scale, s = c·tanh(raw/c); default 3. */
  readonly scaleClamp?: number;
}

function passMask(size: number, mask: AffineCouplingOptions['mask'], flip: boolean): boolean[] {
  let m: boolean[];
  if (mask === undefined || mask === 'half') m = Array.from({ length: size }, (_, i) => i < Math.floor(size / 2));
  else if (mask === 'alternating') m = Array.from({ length: size }, (_, i) => i % 2 === 0);
  else if (Array.isArray(mask) && mask.length === size) m = [...mask];
  else throw new ArgumentError(`affineCoupling(options.mask): received ${String(mask)}; expected 'half', 'alternating' or ${size} booleans`);
  if (flip) m = m.map((v) => !v);
  const kept = m.filter((v) => v).length;
  if (kept === 0 || kept === size) {
    throw new ArgumentError(`affineCoupling(options.mask): passes ${kept} of ${size} entries through; expected between 1 and ${size - 1}`);
  }
  return m;
}

/**
 * Affine coupling (RealNVP, Dinh, Sohl-Dickstein & Bengio 2017,
 * arXiv:1605.08803): z_A = x_A, z_B = x_B ⊙ exp(s) + t with
 * (s, t) = NN([x_A, context]), s soft-clamped (see `softClamp`); the Jacobian
 * is triangular, so log |det| = Σ s, and the inverse x_B = (z_B − t) ⊙ exp(−s)
 * needs one network pass. The conditioner's last layer starts at zero, so a
 * fresh layer is the identity. Works on [n, ...event]: the event is flattened
 * (row-major) for the split.
 */
export function affineCoupling(
  k: Key, eventShape: number | readonly number[], options: AffineCouplingOptions = {},
): Transform<LinearParams[], null> {
  const shape = typeof eventShape === 'number' ? [eventShape] : [...eventShape];
  if (shape.length === 0 || shape.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new ArgumentError(`affineCoupling(eventShape): received [${shape.join(', ')}]; expected positive integers`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const { hidden = [64, 64], activation = 'relu', contextDim = 0, scaleClamp = 3, flip = false } = options;
  if (!Number.isInteger(contextDim) || contextDim < 0) {
    throw new ArgumentError(`affineCoupling(options.contextDim): received ${contextDim}; expected a non-negative integer`);
  }
  if (!(scaleClamp > 0)) throw new ArgumentError(`affineCoupling(options.scaleClamp): received ${scaleClamp}; expected a positive number`);
  const m = passMask(size, options.mask, flip);
  const a = m.flatMap((v, i) => (v ? [i] : []));
  const b = m.flatMap((v, i) => (v ? [] : [i]));
  const back = new Array<number>(size);
  [...a, ...b].forEach((src, i) => (back[src] = i));
  const net = mlp(k, [a.length + contextDim, ...hidden, 2 * b.length], { activation });
  const params = net.params.map((l, i) => (i === net.params.length - 1 ? mapTree(l, (t) => zerosLike(t)) : l));
  // Index tensors are made per call, so a layer built inside tidy() stays usable after it.
  const idx = (v: readonly number[]) => tensor(Int32Array.from(v), [v.length]);

  const run = (p: LinearParams[], x: Tensor, o: TransformOptions | undefined, inverse: boolean): TransformResult => {
    const n = x.shape[0]!;
    if (x.rank !== shape.length + 1 || shape.some((s, i) => x.shape[i + 1] !== s)) {
      throw new ShapeError(`affineCoupling: input has shape [${x.shape.join(', ')}]; expected [n, ${shape.join(', ')}]`);
    }
    const flat = reshape(x, [n, size]);
    const xa = gather(flat, idx(a), 1);
    const yb = gather(flat, idx(b), 1);
    const ctx = contextOf(o, contextDim, n, 'affineCoupling');
    const h = net.apply(p, ctx ? concat([xa, ctx], 1) : xa);
    const s = softClamp(sliceAxis(h, 1, 0, b.length), scaleClamp);
    const t = sliceAxis(h, 1, b.length);
    const ob = inverse ? mul(sub(yb, t), exp(neg(s))) : add(mul(yb, exp(s)), t);
    const out = reshape(gather(concat([xa, ob], 1), idx(back), 1), x.shape);
    const ld = sum(s, 1);
    return { out, logDet: inverse ? neg(ld) : ld };
  };
  return {
    kind: 'affine-coupling',
    params,
    buffers: null,
    forwardAndLogDet: (p, _b, x, o) => run(p, x, o, false),
    inverseAndLogDet: (p, _b, z, o) => run(p, z, o, true),
  };
}
