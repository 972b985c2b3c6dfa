import { linear, type LinearParams } from '@rheo/nn';
import {
  add, ArgumentError, broadcastTo, div, elu, exp, full, less, lipSwish, matmul, matmulBias, minimum, mul, reshape, sigmoid, softplus, split, square,
  sub, tanh, tidy, transpose, where, type Key, type Tensor, type VjpResult,
} from '@rheo/tensor';
import {
  checkCoefficient, infinityNormalize, initPowerVectors, mixedPowerIterate, powerIterate, spectralNormalize, type PowerVectors,
} from './spectral-norm.js';

/** 1-Lipschitz nonlinearities: LipSwish (learnable β > 0), ELU, tanh. */
export type LipschitzActivation = 'lipSwish' | 'elu' | 'tanh';

/**
 * Power-iteration steps. `update`: run by `updateBuffers` after each
 * optimiser step and persisted. `training` / `evaluation`: extra steps run
 * inside a forward pass from the stored vectors, not persisted (evaluation
 * usually wants a tighter estimate of σ than one step per update gives).
 */
export interface PowerIterationCounts {
  readonly update?: number;
  readonly training?: number;
  readonly evaluation?: number;
}

/**
 * Options of `lipschitzMlp`: hidden widths, activation, the bound `coeff`, power-iteration counts
 * and the operator norm.
 */
export interface LipschitzMlpOptions {
  /** Hidden widths; default [32, 32]. */
  readonly hidden?: readonly number[];
  readonly activation?: LipschitzActivation;
  /**
   * Initial β of LipSwish, x·σ(βx)/1.1 (learned from there; default 1, the
   * Swish of Ramachandran et al.). The bound keeps each unit's slope small
   * (about c·√(d/width) in the first layer), so at β = 1 every unit is
   * nearly linear over the data and training starts on a plateau; a larger
   * β sharpens the units without changing Lip(g) ≤ c.
   */
  readonly beta?: number;
  /** Spectral-norm bound c per layer, in (0, 1); default 0.97. */
  readonly coeff?: number;
  readonly powerIterations?: PowerIterationCounts;
  /**
   * The operator norm each weight is bounded in: 'spectral' (ℓ2 → ℓ2, by power
   * iteration) or 'infinity' (ℓ∞ → ℓ∞, the largest absolute row sum, exact),
   * or induced mixed norms `{ orders: [p_0, …, p_L] }`: layer l is bounded
   * in ‖·‖_{p_l → p_{l+1}} (generalised power iteration), p_0 = p_L so that
   * g is a contraction of ℓ_{p_0}; every order in (1, ∞). Default 'spectral'.
   */
  readonly norm?: 'spectral' | 'infinity' | { readonly orders: readonly number[] };
}

/**
 * Parameters of a `lipschitzMlp`: the raw weights and biases of each layer, and LipSwish's β per
 * unit when used.
 */
export type LipschitzMlpParams = {
  readonly layers: LinearParams[];
  /** Unconstrained β per hidden layer (LipSwish only): β = softplus(raw) > 0. */
  readonly beta: Tensor[];
};

/**
 * The power-iteration vectors (u, v) of each weight of a `lipschitzMlp`: buffers, never trained.
 */
export type LipschitzMlpBuffers = PowerVectors[];

/**
 * g(x) = W_L φ(… φ(W_1 x + b_1) …) + b_L with every W_l spectrally
 * normalised to ‖W̃_l‖₂ ≤ c and φ 1-Lipschitz, so Lip(g) ≤ ∏ ‖W̃_l‖₂ ≤ c < 1
 * (Behrmann et al. 2019, arXiv:1811.00995).
 *
 * With norm 'infinity' the same argument runs in ℓ∞: elementwise 1-Lipschitz
 * φ are 1-Lipschitz in every ℓp, so Lip_∞(g) ≤ ∏ ‖W̃_l‖_∞ ≤ c, and a
 * contraction in any norm has a unique fixed point (Banach). This is the
 * p = ∞ case of the induced mixed norms of Chen et al. 2019, §4.
 */
export interface LipschitzMlp {
  readonly kind: 'lipschitz-mlp';
  readonly params: LipschitzMlpParams;
  readonly buffers: LipschitzMlpBuffers;
  readonly coeff: number;
  /** The normalised weights W̃_l used by g. */
  weights(params: LipschitzMlpParams, buffers: LipschitzMlpBuffers, training: boolean): Tensor[];
  /** g with its weights normalised once, for repeated evaluation (fixed-point iteration, Jacobians). */
  bind(params: LipschitzMlpParams, buffers: LipschitzMlpBuffers, training: boolean): (x: Tensor) => Tensor;
  /**
   * g(x) and its Jacobian, transposed, [n, d, d] (row i = ∂g/∂x_i), in one
   * forward-mode pass: tangents Jᵀ_{l+1} = (Jᵀ_l W̃_lᵀ) ⊙ φ'(h_l), a first-order
   * graph of about d + 1 forward passes' work, so its gradient needs no
   * second-order backward pass (unlike d vector–Jacobian products).
   */
  bindWithJacobian(params: LipschitzMlpParams, buffers: LipschitzMlpBuffers, training: boolean): (x: Tensor) => { y: Tensor; jacobianT: Tensor };
  /**
   * g(x) and its pullback ct ↦ ctᵀ J_g(x) in closed form: with h_l the
   * pre-activations, ct ↦ (…((ct·W̃_L) ⊙ φ'(h_{L−1}))·W̃_{L−1} … ⊙ φ'(h_1))·W̃_1,
   * φ'(h_l) computed once in the forward pass, so each pullback is L matmuls
   * and L − 1 products (the traced pullback rebuilds every activation's chain
   * rule per call). The same derivative as autodiff's, rounded differently;
   * differentiable, so the gradient of a series of pullbacks (the
   * Russian-roulette log-det) flows through it.
   */
  bindWithVjp(params: LipschitzMlpParams, buffers: LipschitzMlpBuffers, training: boolean): (x: Tensor) => VjpResult<Tensor, Tensor>;
  updateBuffers(params: LipschitzMlpParams, buffers: LipschitzMlpBuffers): LipschitzMlpBuffers;
}


function count(v: number | undefined, fallback: number, name: string): number {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || n < 0) throw new ArgumentError(`lipschitzMlp(powerIterations.${name}): received ${n}; expected an integer >= 0`);
  return n;
}

/**
 * An MLP g with Lip(g) ≤ c < 1: every weight spectrally normalised, W̃ = W / max(1, σ̂/c), with σ̂
 * from power iteration, and 1-Lipschitz activations (Behrmann et al. 2019, arXiv:1811.00995; Chen
 * et al. 2019, arXiv:1906.02735).
 */
export function lipschitzMlp(k: Key, dim: number, options: LipschitzMlpOptions = {}): LipschitzMlp {
  const hidden = options.hidden ?? [32, 32];
  const sizes = [dim, ...hidden, dim];
  if (!sizes.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new ArgumentError(`lipschitzMlp(dim, hidden): received dim ${dim}, hidden [${hidden.join(', ')}]; expected positive integers`);
  }
  const activation = options.activation ?? 'lipSwish';
  if (!['lipSwish', 'elu', 'tanh'].includes(activation)) {
    throw new ArgumentError(`lipschitzMlp(activation): received ${String(activation)}; expected 'lipSwish', 'elu' or 'tanh'`);
  }
  const coeff = checkCoefficient(options.coeff ?? 0.97, 'lipschitzMlp');
  const beta0 = options.beta ?? 1;
  if (!(typeof beta0 === 'number' && beta0 > 0 && Number.isFinite(beta0))) {
    throw new ArgumentError(`lipschitzMlp(beta): received ${String(beta0)}; expected a finite number > 0`);
  }
  const norm = options.norm ?? 'spectral';
  if (norm !== 'spectral' && norm !== 'infinity' && !(typeof norm === 'object' && Array.isArray(norm.orders))) {
    throw new ArgumentError(`lipschitzMlp(norm): received ${String(norm)}; expected 'spectral', 'infinity' or { orders: [p_0, …, p_L] }`);
  }
  // Norm orders per layer boundary: all 2 for 'spectral'.
  const orders = typeof norm === 'object' ? [...norm.orders] : sizes.map(() => 2);
  if (typeof norm === 'object') {
    if (orders.length !== sizes.length || orders.some((p) => !(p > 1 && p < Infinity)) || orders[0] !== orders[orders.length - 1]) {
      throw new ArgumentError(
        `lipschitzMlp(norm.orders): received [${orders.join(', ')}]; expected ${sizes.length} orders in (1, ∞) (one per layer boundary), the first equal to the last`,
      );
    }
  }
  const iterate = (w: Tensor, vectors: PowerVectors, n: number, l: number): PowerVectors =>
    typeof norm === 'object' ? mixedPowerIterate(w, vectors, n, orders[l]!, orders[l + 1]!) : powerIterate(w, vectors, n);
  const pi = options.powerIterations ?? {};
  const nUpdate = count(pi.update, 1, 'update');
  const nTrain = count(pi.training, 0, 'training');
  const nEval = count(pi.evaluation, 10, 'evaluation');
  const keys = split(k, 2 * (sizes.length - 1));
  const layers = sizes.slice(1).map((out, l) => linear(keys[2 * l]!, sizes[l]!, out).params);
  // Stored unconstrained: β = softplus(raw), raw = softplus⁻¹(β₀) = log(e^β₀ − 1) (= β₀ once e^β₀ swamps 1).
  const rawBeta = beta0 > 30 ? beta0 : Math.log(Math.expm1(beta0));
  const beta = activation === 'lipSwish' ? hidden.map((h) => full([h], rawBeta)) : [];
  // Many power steps at construction, so σ̂ starts close to σ.
  const buffers = layers.map((p, l) => iterate(p.w, initPowerVectors(keys[2 * l + 1]!, p.w.shape[0]!, p.w.shape[1]!), 50, l));

  const act = (params: LipschitzMlpParams, l: number, h: Tensor): Tensor => {
    if (activation === 'elu') return elu(h);
    if (activation === 'tanh') return tanh(h);
    return lipSwish(h, softplus(params.beta[l]!));
  };
  const weights = (params: LipschitzMlpParams, bufs: LipschitzMlpBuffers, training: boolean): Tensor[] => {
    if (norm === 'infinity') return params.layers.map((p) => infinityNormalize(p.w, coeff));
    const extra = training ? nTrain : nEval;
    return params.layers.map((p, l) => spectralNormalize(p.w, extra > 0 ? iterate(p.w, bufs[l]!, extra, l) : bufs[l]!, coeff));
  };
  const bind = (params: LipschitzMlpParams, bufs: LipschitzMlpBuffers, training: boolean) => {
    const ws = weights(params, bufs, training);
    return (x: Tensor): Tensor => {
      let h = x;
      ws.forEach((w, l) => {
        h = matmulBias(h, w, params.layers[l]!.b, { transposeB: true });
        if (l < ws.length - 1) h = act(params, l, h);
      });
      return h;
    };
  };
  // φ(h) and φ'(h) together: LipSwish' = (σ(βh) + βh·σ(βh)(1 − σ(βh)))/1.1, sharing βh and σ(βh) with φ (the ops of
  // lipSwish: the same bits); ELU' = 1 for h > 0 else eʰ; tanh' = 1 − tanh².
  const actAndGrad = (params: LipschitzMlpParams, l: number, h: Tensor): [Tensor, Tensor] => {
    if (activation === 'elu') return [elu(h), where(less(0, h), 1, exp(minimum(h, 0)))];
    if (activation === 'tanh') {
      const t = tanh(h);
      return [t, sub(1, square(t))];
    }
    const b = softplus(params.beta[l]!);
    const hb = mul(h, b);
    const s = sigmoid(hb);
    return [div(mul(h, s), 1.1), div(add(s, mul(mul(hb, s), sub(1, s))), 1.1)];
  };
  const bindWithVjp = (params: LipschitzMlpParams, bufs: LipschitzMlpBuffers, training: boolean) => {
    const ws = weights(params, bufs, training);
    return (x: Tensor): VjpResult<Tensor, Tensor> => {
      let h = x;
      const slopes: Tensor[] = [];
      ws.forEach((w, l) => {
        h = matmulBias(h, w, params.layers[l]!.b, { transposeB: true });
        if (l < ws.length - 1) {
          const [y, slope] = actAndGrad(params, l, h);
          h = y;
          slopes.push(slope);
        }
      });
      const pullback = (ct: Tensor): Tensor => {
        let c = ct;
        for (let l = ws.length - 1; l >= 0; l--) {
          c = matmul(c, ws[l]!);
          if (l > 0) c = mul(c, slopes[l - 1]!);
        }
        return c;
      };
      return { out: h, pullback };
    };
  };
  const bindWithJacobian = (params: LipschitzMlpParams, bufs: LipschitzMlpBuffers, training: boolean) => {
    const ws = weights(params, bufs, training);
    return (x: Tensor) => {
      const n = x.shape[0]!;
      let h = x;
      // Jᵀ of the identity, [n, d, d], folded to [n·d, d] rows for plain matmuls.
      let jt: Tensor | null = null;
      ws.forEach((w, l) => {
        const out = w.shape[0]!;
        h = matmulBias(h, w, params.layers[l]!.b, { transposeB: true });
        // The first layer's tangent is W̃_1ᵀ itself, broadcast over the batch.
        const next: Tensor = jt === null ? broadcastTo(reshape(transpose(w), [1, dim, out]), [n, dim, out]) : reshape(matmul(jt, w, { transposeB: true }), [n, dim, out]);
        if (l < ws.length - 1) {
          const [y, grad] = actAndGrad(params, l, h);
          h = y;
          jt = reshape(mul(next, reshape(grad, [n, 1, out])), [n * dim, out]);
        } else {
          jt = next;
        }
      });
      return { y: h, jacobianT: reshape(jt!, [n, dim, dim]) };
    };
  };
  return {
    kind: 'lipschitz-mlp',
    bindWithJacobian,
    bindWithVjp,
    params: { layers, beta },
    buffers,
    coeff,
    weights,
    bind,
    updateBuffers: (params, bufs) => tidy(() => params.layers.map((p, l) => iterate(p.w, bufs[l]!, nUpdate, l))),
  };
}
