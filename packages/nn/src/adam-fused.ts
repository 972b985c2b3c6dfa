import { ArgumentError, cpuOutputArray, run, type CpuInput, type Primitive, type Tensor, type TensorInfo } from '@rheo/tensor';

/**
 * Adam's update (Kingma & Ba 2015, arXiv:1412.6980) for one parameter in
 * three CPU kernels instead of fourteen elementwise ops: the first and second
 * moments and the new parameter. Each kernel performs the ops of `adamStep`'s
 * plain path in the same order, every intermediate rounded to float32 as each
 * op's output is (scalars too: `mul(m, 0.9)` multiplies by fround(0.9)), so
 * the results are the same bits. CPU only (these primitives have no WGSL and
 * are not in the op table): the caller takes this path only when every tensor
 * lives on the CPU backend, and the plain ops otherwise.
 */

const f = Math.fround;

interface MomentAttrs {
  /** β of the moving average. */
  readonly beta: number;
  /** Average g² (second moment) instead of g. */
  readonly squared: boolean;
}

interface ParamAttrs {
  readonly lr: number;
  /** 1 − β1^t and 1 − β2^t. */
  readonly bc1: number;
  readonly bc2: number;
  readonly eps: number;
  readonly weightDecay: number;
}

function sameShapes(name: string, inputs: readonly TensorInfo[]): TensorInfo {
  const s = inputs[0]!.shape;
  for (const t of inputs) {
    if (t.dtype !== 'float32' || t.shape.length !== s.length || t.shape.some((d, i) => d !== s[i])) {
      throw new ArgumentError(`${name}: received ${inputs.map((x) => `${x.dtype} [${x.shape.join(', ')}]`).join(', ')}; expected float32 tensors of one shape`);
    }
  }
  return { shape: s, dtype: 'float32' };
}

/** m ← β·m + (1 − β)·g, or with g² for the second moment: add(mul(m, β), mul(g, 1 − β)) or mul(mul(g, g), 1 − β). */
const adamMoment: Primitive<MomentAttrs> = {
  name: 'adamMoment',
  infer: (inputs) => sameShapes('adamMoment(m, g)', inputs),
  cpu: ([m, g]: readonly CpuInput[], { beta, squared }) => {
    const M = m!.values, G = g!.values, n = M.length;
    const out = cpuOutputArray('float32', n, M);
    const b = f(beta), c = f(1 - beta);
    for (let i = 0; i < n; i++) {
      const gi = G[i]!;
      out[i] = f(f(M[i]! * b) + f((squared ? f(gi * gi) : gi) * c));
    }
    return out;
  },
};

/**
 * θ ← θ − lr·(m/bc1)/(√(v/bc2) + ε) − lr·λ·θ, as
 * sub(p, mul(div(div(m, bc1), add(sqrt(div(v, bc2)), ε)), lr)) then sub(·, mul(p, lr·λ)).
 */
const adamParam: Primitive<ParamAttrs> = {
  name: 'adamParam',
  infer: (inputs) => sameShapes('adamParam(p, m, v)', inputs),
  cpu: ([p, m, v]: readonly CpuInput[], { lr, bc1, bc2, eps, weightDecay }) => {
    const P = p!.values, M = m!.values, V = v!.values, n = P.length;
    const out = cpuOutputArray('float32', n, P);
    const b1 = f(bc1), b2 = f(bc2), e = f(eps), l = f(lr), decay = f(lr * weightDecay);
    for (let i = 0; i < n; i++) {
      const update = f(f(M[i]! / b1) / f(f(Math.sqrt(f(V[i]! / b2))) + e));
      const next = f(P[i]! - f(update * l));
      out[i] = weightDecay > 0 ? f(next - f(P[i]! * decay)) : next;
    }
    return out;
  },
};

/** Options of one fused update: Adam's hyperparameters and the step t (from 1). */
export interface FusedAdamOptions {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly step: number;
}

/**
 * [θ', m', v'] of one Adam step for one parameter in three kernels, or null
 * where a tensor is not a float32 tensor on the CPU backend (then run the plain ops).
 */
export function fusedAdamUpdate(p: Tensor, g: Tensor, m: Tensor, v: Tensor, o: FusedAdamOptions): [Tensor, Tensor, Tensor] | null {
  for (const t of [p, g, m, v]) if (t.dtype !== 'float32' || t.backend.name !== 'cpu') return null;
  const m1 = run(adamMoment, [m, g], { beta: o.beta1, squared: false });
  const v1 = run(adamMoment, [v, g], { beta: o.beta2, squared: true });
  const p1 = run(adamParam, [p, m1, v1], {
    lr: o.lr, bc1: 1 - o.beta1 ** o.step, bc2: 1 - o.beta2 ** o.step, eps: o.eps, weightDecay: o.weightDecay,
  });
  return [p1, m1, v1];
}
