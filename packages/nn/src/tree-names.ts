import { ArgumentError, ShapeError, scalar, Tensor } from '@rheo/tensor';

/**
 * A training state to checkpoint: tensors, integer counters (an optimiser's
 * step) and string tags (`kind`), nested in arrays and plain objects; null
 * marks an empty slot (a layer without buffers) and is kept as structure.
 */
export type StateTree = Tensor | number | string | null | readonly StateTree[] | { readonly [key: string]: StateTree };

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return `${typeof v} ${String(v)}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
}

/** Walks a state tree in sorted key order, calling `leaf` with each dotted name. */
function walk(node: unknown, path: string[], who: string, leaf: (name: string, v: Tensor | number | string) => unknown): unknown {
  const name = path.join('.');
  if (node === null) return null;
  if (node instanceof Tensor || typeof node === 'number' || typeof node === 'string') return leaf(name, node);
  if (Array.isArray(node)) return node.map((c, i) => walk(c, [...path, String(i)], who, leaf));
  if (isPlainObject(node)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(node).sort()) {
      if (k === '' || k.includes('.')) throw new ArgumentError(`${who}: key ${JSON.stringify(k)} at ${name || 'the root'} cannot be named (keys must be non-empty and contain no '.')`);
      out[k] = walk(node[k], [...path, k], who, leaf);
    }
    return out;
  }
  throw new ArgumentError(`${who}: found ${describe(node)} at ${name || 'the root'}; expected tensors, integers and strings in arrays and plain objects (pass a module's params, not the module)`);
}

/**
 * Flattens a state tree to named tensors, names joining keys and array
 * indices with dots (`adam.m.0.w`). Integers (step counters) become int32
 * scalars; strings are structure and are restored from the template by
 * `namedToTree`. Tensors are shared, not copied.
 */
export function treeToNamed(tree: StateTree): Record<string, Tensor> {
  if (tree instanceof Tensor || typeof tree !== 'object') {
    throw new ArgumentError(`treeToNamed(tree): a lone ${tree instanceof Tensor ? 'tensor' : typeof tree} has no name; wrap it in an object, e.g. { w: t }`);
  }
  const named: Record<string, Tensor> = {};
  walk(tree, [], 'treeToNamed(tree)', (name, v) => {
    if (v instanceof Tensor) named[name] = v;
    else if (typeof v === 'number') {
      if (!Number.isInteger(v) || Math.abs(v) > 2 ** 31 - 1) {
        throw new ArgumentError(`treeToNamed(tree): number ${v} at ${name || 'the root'} is not an int32 integer; store non-integer state as a tensor`);
      }
      named[name] = scalar(v, 'int32');
    }
  });
  return named;
}

/**
 * Rebuilds a tree shaped like `template` from named tensors (a loaded
 * checkpoint): every tensor of the template must have an entry of the same
 * shape and dtype, every integer an int32 scalar, and no entry may be left
 * over. Strings are copied from the template.
 */
export function namedToTree<T extends StateTree>(template: T, named: Readonly<Record<string, Tensor>>): T {
  const used = new Set<string>();
  const entry = (name: string, expected: string): Tensor => {
    const t = Object.prototype.hasOwnProperty.call(named, name) ? named[name] : undefined;
    if (!(t instanceof Tensor)) throw new ArgumentError(`namedToTree(named): missing entry "${name}" (expected ${expected})`);
    used.add(name);
    return t;
  };
  const out = walk(template, [], 'namedToTree(template)', (name, v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number') {
      const t = entry(name, 'an int32 scalar');
      if (t.dtype !== 'int32' || t.size !== 1) {
        throw new ShapeError(`namedToTree(named): entry "${name}" is ${t.dtype} [${t.shape.join(', ')}], expected an int32 scalar`);
      }
      return t.item();
    }
    const t = entry(name, `${v.dtype} [${v.shape.join(', ')}]`);
    if (t.dtype !== v.dtype || t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i])) {
      throw new ShapeError(`namedToTree(named): entry "${name}" is ${t.dtype} [${t.shape.join(', ')}], expected ${v.dtype} [${v.shape.join(', ')}]`);
    }
    return t;
  });
  const extra = Object.keys(named).filter((n) => !used.has(n));
  if (extra.length > 0) {
    throw new ArgumentError(`namedToTree(named): ${extra.length} entries not in the template: ${extra.slice(0, 5).map((n) => `"${n}"`).join(', ')}${extra.length > 5 ? ', …' : ''}`);
  }
  return out as T;
}

/** Disposes every tensor of a state tree (old parameters, optimiser or EMA states). */
export function disposeTree(tree: StateTree): void {
  // Runs once or more per training step: a walk that builds no names, keys or arrays. Where it
  // meets something that is not a state tree, the named walk below finds it and says where.
  if (disposeLeaves(tree)) return;
  walk(tree, [], 'disposeTree(tree)', () => undefined);
}

/** Disposes the tensors of a well-formed tree; false (having disposed some) at anything else. */
function disposeLeaves(node: unknown): boolean {
  if (node === null || typeof node === 'number' || typeof node === 'string') return true;
  if (node instanceof Tensor) {
    node.dispose();
    return true;
  }
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) if (!disposeLeaves(node[i])) return false;
    return true;
  }
  if (isPlainObject(node)) {
    for (const k in node) {
      if (k === '' || k.includes('.')) return false;
      if (!disposeLeaves(node[k])) return false;
    }
    return true;
  }
  return false;
}
