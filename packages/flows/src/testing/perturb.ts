import { add, flattenTree, mul, normal, split, type Key, type TensorTree } from '@rheo/tensor';

/**
 * Every leaf plus N(0, scale²) noise, so property tests see a layer away
 * from its identity initialisation.
 */
export function perturb<P extends TensorTree>(params: P, k: Key, scale = 0.3): P {
  const { leaves, rebuild } = flattenTree(params);
  const keys = split(k, Math.max(1, leaves.length));
  return rebuild(leaves.map((t, i) => add(t, mul(normal(keys[i]!, t.shape), scale))));
}
