import { type ChainOp, elementwiseChain, scalar, type Tensor } from '@rheo/tensor';

/**
 * Adam's update (Kingma & Ba 2015, arXiv:1412.6980) for one parameter in
 * three kernels instead of fourteen elementwise ops: the first and second
 * moments and the new parameter, each an `elementwiseChain` (one WebAssembly
 * SIMD loop on the CPU). The chains apply the ops of `adamStep`'s plain path
 * in the same order to the same float32 scalars (`mul(m, 0.9)` multiplies by
 * fround(0.9)), so the results are the same bits. CPU only: the caller takes
 * this path when every tensor lives on the CPU backend, and the plain ops
 * otherwise.
 */

const freeze = (ops: ChainOp[]): readonly ChainOp[] => Object.freeze(ops.map((o) => Object.freeze({ op: o.op, args: Object.freeze([...o.args]) })));
// Arguments index the inputs, then the results of earlier ops (frozen: elementwiseChain checks them once).
const FIRST_MOMENT = freeze([{ op: 'mul', args: [0, 2] }, { op: 'mul', args: [1, 3] }, { op: 'add', args: [4, 5] }]);
const SECOND_MOMENT = freeze([{ op: 'mul', args: [0, 2] }, { op: 'mul', args: [1, 1] }, { op: 'mul', args: [5, 3] }, { op: 'add', args: [4, 6] }]);
// Inputs θ, m', v', bc1, bc2, ε, lr (and lr·λ): op j's result is argument k + j.
const update = (k: number, decay: boolean) => freeze([
  { op: 'div', args: [1, 3] }, // k: m'/bc1
  { op: 'div', args: [2, 4] }, // k+1: v'/bc2
  { op: 'sqrt', args: [k + 1] }, // k+2
  { op: 'add', args: [k + 2, 5] }, // k+3: + ε
  { op: 'div', args: [k, k + 3] }, // k+4: the update
  { op: 'mul', args: [k + 4, 6] }, // k+5: · lr
  { op: 'sub', args: [0, k + 5] }, // k+6: θ − lr·update
  ...(decay ? [{ op: 'mul', args: [0, 7] }, { op: 'sub', args: [k + 6, k + 7] }] : []),
]);
const UPDATE = update(7, false), UPDATE_DECAY = update(8, true);

/** Options of one fused update: Adam's hyperparameters and the step t (from 1). */
export interface FusedAdamOptions {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly step: number;
}

/** The scalars of one step's updates, shared by every parameter. */
export interface FusedAdamScalars {
  readonly beta1: Tensor; readonly oneMinusBeta1: Tensor;
  readonly beta2: Tensor; readonly oneMinusBeta2: Tensor;
  readonly bc1: Tensor; readonly bc2: Tensor; readonly eps: Tensor; readonly lr: Tensor; readonly decay: Tensor | null;
}

/** The step's scalars, made once per step (inside the caller's tidy scope). */
export function fusedAdamScalars(o: FusedAdamOptions): FusedAdamScalars {
  return {
    beta1: scalar(o.beta1), oneMinusBeta1: scalar(1 - o.beta1),
    beta2: scalar(o.beta2), oneMinusBeta2: scalar(1 - o.beta2),
    bc1: scalar(1 - o.beta1 ** o.step), bc2: scalar(1 - o.beta2 ** o.step),
    eps: scalar(o.eps), lr: scalar(o.lr), decay: o.weightDecay > 0 ? scalar(o.lr * o.weightDecay) : null,
  };
}

/**
 * [θ', m', v'] of one Adam step for one parameter, or null where a tensor is
 * not a float32 tensor on the CPU backend (then run the plain ops):
 * m' = add(mul(m, β1), mul(g, 1 − β1)), v' = add(mul(v, β2), mul(mul(g, g), 1 − β2)),
 * θ' = sub(θ, mul(div(div(m', bc1), add(sqrt(div(v', bc2)), ε)), lr)), then sub(·, mul(θ, lr·λ)).
 */
export function fusedAdamUpdate(p: Tensor, g: Tensor, m: Tensor, v: Tensor, s: FusedAdamScalars): [Tensor, Tensor, Tensor] | null {
  for (const t of [p, g, m, v]) if (t.dtype !== 'float32' || t.backend.name !== 'cpu') return null;
  const m1 = elementwiseChain([m, g, s.beta1, s.oneMinusBeta1], FIRST_MOMENT);
  const v1 = elementwiseChain([v, g, s.beta2, s.oneMinusBeta2], SECOND_MOMENT);
  const p1 = s.decay === null
    ? elementwiseChain([p, m1, v1, s.bc1, s.bc2, s.eps, s.lr], UPDATE)
    : elementwiseChain([p, m1, v1, s.bc1, s.bc2, s.eps, s.lr, s.decay], UPDATE_DECAY);
  return [p1, m1, v1];
}
