import { getBackend, keep, mul, tidy, toBackend, type Tensor } from '@rheo/tensor';
import type { StateTree } from '@rheo/nn';

function isTensor(v: StateTree): v is Tensor {
  return v !== null && typeof v === 'object' && 'dtype' in v && 'shape' in v;
}

/** The tree with every tensor replaced by fn(tensor); numbers, strings and nulls are kept. */
export function mapStateTree(tree: StateTree, fn: (t: Tensor) => Tensor): StateTree {
  if (tree === null || typeof tree !== 'object') return tree;
  if (isTensor(tree)) return fn(tree);
  if (Array.isArray(tree)) return tree.map((c) => mapStateTree(c as StateTree, fn));
  const out: Record<string, StateTree> = {};
  for (const [k, v] of Object.entries(tree)) out[k] = mapStateTree(v as StateTree, fn);
  return out;
}

/** A kept copy of every tensor (x·1 is x bit for bit), so the copy outlives the original and any tidy scope. */
export function copyTree<T extends StateTree>(tree: T): T {
  // tidy releases the scalar 1 that mul makes for each leaf.
  return tidy(() => mapStateTree(tree, (t) => keep(mul(t, 1)))) as T;
}

/** The tree with every tensor moved to `backend`. */
export async function moveTree(tree: StateTree, backend: ReturnType<typeof getBackend>): Promise<StateTree> {
  if (tree === null || typeof tree !== 'object') return tree;
  if (isTensor(tree)) return toBackend(tree, backend);
  if (Array.isArray(tree)) return Promise.all(tree.map((c) => moveTree(c as StateTree, backend)));
  const out: Record<string, StateTree> = {};
  for (const [k, v] of Object.entries(tree)) out[k] = await moveTree(v as StateTree, backend);
  return out;
}
