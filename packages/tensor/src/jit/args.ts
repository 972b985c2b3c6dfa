import { ArgumentError, show } from '../errors.js';
import { Tensor } from '../tensor.js';

/** A `jit` argument or result: tensors nested in arrays and plain objects, with numbers, strings, booleans and nulls beside them. */
export type JitTree = Tensor | number | string | boolean | null | undefined | readonly JitTree[] | { readonly [key: string]: JitTree };

/**
 * The tensor leaves of a tree, a description of everything else (structure,
 * shapes, dtypes, the values of non-tensor leaves, which leaves are the same
 * tensor), and a function rebuilding the tree from new leaves. Two trees with
 * the same description differ only in their tensors' values.
 */
export function flattenArgs<T extends JitTree>(tree: T, what: string): { leaves: Tensor[]; layout: string; rebuild: (leaves: readonly Tensor[]) => T } {
  const leaves: Tensor[] = [];
  const first = new Map<Tensor, number>();
  const parts: string[] = [];
  // The path of the node being walked, joined only for an error message.
  const path: (string | number)[] = [];
  const where = () => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('') || 'the root';
  const walk = (node: JitTree): void => {
    if (node instanceof Tensor) {
      const j = first.get(node);
      if (j === undefined) first.set(node, leaves.length);
      parts.push(j === undefined ? `${node.dtype}[${node.shape.join(',')}]` : `${node.dtype}[${node.shape.join(',')}]=${j}`);
      leaves.push(node);
    } else if (Array.isArray(node)) {
      parts.push(`(${node.length}`);
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        walk(node[i]);
        path.pop();
      }
      parts.push(')');
    } else if (node !== null && typeof node === 'object' && Object.getPrototypeOf(node) === Object.prototype) {
      const keys = Object.keys(node).sort();
      parts.push(`{${keys.map((k) => JSON.stringify(k)).join(',')}`);
      for (const k of keys) {
        path.push(k);
        walk((node as Record<string, JitTree>)[k]);
        path.pop();
      }
      parts.push('}');
    } else if (node === null || node === undefined || typeof node === 'number' || typeof node === 'string' || typeof node === 'boolean') {
      parts.push(node === undefined ? 'u' : JSON.stringify(node));
    } else {
      throw new ArgumentError(`${what}: expected tensors in arrays and plain objects (numbers, strings, booleans and nulls allowed beside them); found ${show(node)} at ${where()}`);
    }
  };
  walk(tree);
  const rebuild = (ls: readonly Tensor[]): T => {
    let i = 0;
    const build = (node: JitTree): JitTree => {
      if (node instanceof Tensor) return ls[i++]!;
      if (Array.isArray(node)) return node.map(build);
      if (node !== null && typeof node === 'object') {
        const out: Record<string, JitTree> = {};
        for (const k of Object.keys(node).sort()) out[k] = build((node as Record<string, JitTree>)[k]);
        return out;
      }
      return node;
    };
    return build(tree) as T;
  };
  return { leaves, layout: parts.join(' '), rebuild };
}
