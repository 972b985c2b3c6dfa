import {
  ArgumentError, add, div, keep, mapTree, maximum, mul, sqrt, sub, sum, tidy, flattenTree, type Tensor, type TensorTree,
} from '@rheo/tensor';
import { fusedAdamScalars, fusedAdamUpdate } from './adam-fused';

/**
 * Options of `adamStep`: learning rate, β₁, β₂, ε, decoupled weight decay (AdamW, Loshchilov &
 * Hutter 2019, arXiv:1711.05101) and global-norm gradient clipping (Kingma & Ba 2015,
 * arXiv:1412.6980).
 */
export interface AdamOptions {
  readonly lr?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  /** Decoupled weight decay (AdamW, Loshchilov & Hutter 2019, arXiv:1711.05101); 0 gives Adam. */
  readonly weightDecay?: number;
  /** Rescale the gradients so their global L2 norm is at most this. */
  readonly clipNorm?: number;
}

/** Adam state: step count and first and second moments shaped like the parameters. */
export type AdamState<P extends TensorTree> = {
  readonly kind: 'adam-state';
  readonly step: number;
  readonly m: P;
  readonly v: P;
};

/**
 * Adam's state for a parameter tree: zero first and second moments and step 0 (Kingma & Ba 2015,
 * arXiv:1412.6980).
 */
export function adamInit<P extends TensorTree>(params: P): AdamState<P> {
  const zero = (t: Tensor) => keep(mul(t, 0));
  return { kind: 'adam-state', step: 0, m: mapTree(params, zero), v: mapTree(params, zero) };
}

function check(name: string, v: number, ok: boolean, expected: string): void {
  if (!ok) throw new ArgumentError(`adam(${name}): expected ${expected}, received ${v}`);
}

/**
 * One Adam step (Kingma & Ba 2015, arXiv:1412.6980) with bias correction:
 * m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g², θ ← θ − lr·m̂/(√v̂ + ε) − lr·λ·θ.
 * Returns new parameters and state; the caller disposes the old ones. On the
 * CPU each parameter's update runs as three fused kernels with the same bits
 * as the plain ops (see adam-fused.ts).
 */
export function adamStep<P extends TensorTree>(params: P, grads: P, state: AdamState<P>, options: AdamOptions = {}): [P, AdamState<P>] {
  const { lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0, clipNorm } = options;
  check('lr', lr, lr > 0, 'a positive number');
  check('beta1', beta1, beta1 >= 0 && beta1 < 1, 'a number in [0, 1)');
  check('beta2', beta2, beta2 >= 0 && beta2 < 1, 'a number in [0, 1)');
  check('weightDecay', weightDecay, weightDecay >= 0, 'a non-negative number');
  if (clipNorm !== undefined) check('clipNorm', clipNorm, clipNorm > 0, 'a positive number');
  const step = state.step + 1;
  return tidy(() => {
    let gs = flattenTree(grads).leaves;
    if (clipNorm !== undefined && gs.length > 0) {
      // g ← g·c/max(‖g‖, c): computed on the device, no read-back; the factor is exactly 1 when ‖g‖ ≤ c.
      const norm = sqrt(gs.map((g) => sum(mul(g, g))).reduce((a, b) => add(a, b)));
      const scale = div(clipNorm, maximum(norm, clipNorm));
      gs = gs.map((g) => mul(g, scale));
    }
    const ps = flattenTree(params);
    const ms = flattenTree(state.m).leaves;
    const vs = flattenTree(state.v).leaves;
    const newP: Tensor[] = [], newM: Tensor[] = [], newV: Tensor[] = [];
    let scalars: ReturnType<typeof fusedAdamScalars> | null = null;
    ps.leaves.forEach((p, i) => {
      const g = gs[i]!;
      const fused = p.backend.name !== 'cpu' ? null
        : fusedAdamUpdate(p, g, ms[i]!, vs[i]!, (scalars ??= fusedAdamScalars({ lr, beta1, beta2, eps, weightDecay, step })));
      if (fused !== null) {
        newP.push(keep(fused[0]));
        newM.push(keep(fused[1]));
        newV.push(keep(fused[2]));
        return;
      }
      const m = add(mul(ms[i]!, beta1), mul(g, 1 - beta1));
      const v = add(mul(vs[i]!, beta2), mul(mul(g, g), 1 - beta2));
      const update = div(div(m, 1 - beta1 ** step), add(sqrt(div(v, 1 - beta2 ** step)), eps));
      let next = sub(p, mul(update, lr));
      if (weightDecay > 0) next = sub(next, mul(p, lr * weightDecay));
      newP.push(keep(next));
      newM.push(keep(m));
      newV.push(keep(v));
    });
    return [ps.rebuild(newP), { kind: 'adam-state', step, m: ps.rebuild(newM), v: ps.rebuild(newV) }] as [P, AdamState<P>];
  });
}
