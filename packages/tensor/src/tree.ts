import { ArgumentError, show } from './errors.js';
import { Tensor } from './tensor.js';

/** Tensors nested in arrays and plain objects: parameters, gradients, batches. */
export type TensorTree = Tensor | readonly TensorTree[] | { readonly [key: string]: TensorTree };

/** Leaves in a fixed order (object keys sorted) and a function rebuilding the same structure. */
export function flattenTree<T extends TensorTree>(tree: T): { leaves: Tensor[]; rebuild: (leaves: readonly Tensor[]) => T } {
  const leaves: Tensor[] = [];
  const walk = (node: TensorTree, path: string): void => {
    if (node instanceof Tensor) leaves.push(node);
    else if (Array.isArray(node)) node.forEach((c, i) => walk(c, `${path}[${i}]`));
    else if (node !== null && typeof node === 'object') for (const k of Object.keys(node).sort()) walk((node as Record<string, TensorTree>)[k]!, `${path}.${k}`);
    else throw new ArgumentError(`expected a tree of tensors (arrays and plain objects); found ${show(node)} at ${path || 'the root'}`);
  };
  walk(tree, '');
  const rebuild = (ls: readonly Tensor[]): T => {
    let i = 0;
    const build = (node: TensorTree): TensorTree => {
      if (node instanceof Tensor) return ls[i++]!;
      if (Array.isArray(node)) return node.map(build);
      const out: Record<string, TensorTree> = {};
      for (const k of Object.keys(node).sort()) out[k] = build((node as Record<string, TensorTree>)[k]!);
      return out;
    };
    return build(tree) as T;
  };
  return { leaves, rebuild };
}

/** Applies `fn` to every leaf, keeping the structure. */
export function mapTree<T extends TensorTree>(tree: T, fn: (t: Tensor, i: number) => Tensor): T {
  const { leaves, rebuild } = flattenTree(tree);
  return rebuild(leaves.map(fn));
}
