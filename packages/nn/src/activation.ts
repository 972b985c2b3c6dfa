import { ArgumentError, elu, lipSwish, relu, swish, tanh, type Tensor } from '@rheo/tensor';

/** Hidden-layer nonlinearities by name; `lipSwish` is the 1-Lipschitz swish of Residual Flows. */
export type ActivationName = 'relu' | 'tanh' | 'elu' | 'swish' | 'lipSwish';

const ACTIVATIONS: Record<ActivationName, (x: Tensor) => Tensor> = {
  relu,
  tanh,
  elu: (x) => elu(x),
  swish: (x) => swish(x),
  lipSwish: (x) => lipSwish(x),
};

export function activationFn(name: ActivationName, who: string): (x: Tensor) => Tensor {
  const fn = Object.prototype.hasOwnProperty.call(ACTIVATIONS, name) ? ACTIVATIONS[name] : undefined;
  if (!fn) throw new ArgumentError(`${who}(activation): expected one of ${Object.keys(ACTIVATIONS).join(', ')}, received ${String(name)}`);
  return fn;
}
