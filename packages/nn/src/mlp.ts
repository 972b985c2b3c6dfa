import { ArgumentError, split, type Key, type Tensor } from '@rheo/tensor';
import { activationFn, type ActivationName } from './activation';
import { applyLinear, linear, type LinearOptions, type LinearParams } from './linear';

/** Options of `mlp`: the activation between layers and the layers' options. */
export interface MlpOptions extends LinearOptions {
  /** Nonlinearity between layers (none after the last); default tanh. */
  readonly activation?: ActivationName;
}

/** A multilayer perceptron; params[i] is layer i ({w: [out, in], b: [out]}), so names read `0.w`, `1.b`. */
export interface Mlp {
  readonly kind: 'mlp';
  readonly params: LinearParams[];
  readonly activation: ActivationName;
  readonly apply: (params: readonly LinearParams[], x: Tensor) => Tensor;
}

export function checkSizes(sizes: readonly number[], who: string): void {
  if (sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new ArgumentError(`${who}(sizes): expected at least two positive integer layer widths, received [${sizes.join(', ')}]`);
  }
}

/** Layers applied in turn with `act` between them. */
export function applyLayers(layers: readonly ((x: Tensor) => Tensor)[], act: (x: Tensor) => Tensor, x: Tensor): Tensor {
  let h = x;
  layers.forEach((layer, i) => {
    h = layer(h);
    if (i < layers.length - 1) h = act(h);
  });
  return h;
}

/** An MLP with widths sizes[0] → … → sizes[n−1]; each layer gets its own key from `split`. */
export function mlp(k: Key, sizes: readonly number[], options: MlpOptions = {}): Mlp {
  checkSizes(sizes, 'mlp');
  const activation = options.activation ?? 'tanh';
  const act = activationFn(activation, 'mlp');
  const keys = split(k, sizes.length - 1);
  const params = keys.map((ki, i) => linear(ki, sizes[i]!, sizes[i + 1]!, options).params);
  const apply = (p: readonly LinearParams[], x: Tensor): Tensor => applyLayers(p.map((l) => (h: Tensor) => applyLinear(l, h)), act, x);
  return { kind: 'mlp', params, activation, apply };
}
