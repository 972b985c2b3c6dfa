import { Tensor, add, flattenTree, grad, mul, normal, sum, type Key, type TensorTree } from '@rheo/tensor';
import type { Buffers, Transform, TransformOptions } from '../transform.js';
import type { CheckResult } from './check-result.js';

/**
 * Every parameter tensor gets a nonzero gradient (zuko's dead-parameter
 * test): L = Σ r ⊙ f(x) + Σ s ⊙ log|det| with fixed random weights r, s
 * (so terms do not cancel), and each leaf of ∂L/∂params must have a
 * nonzero, finite entry. Run it at parameters away from an identity
 * initialisation (`perturb`): behind a zero-initialised last layer every
 * earlier gradient is zero.
 */
export async function checkGradients<P extends TensorTree, B extends Buffers>(
  t: Transform<P, B>, params: P, buffers: B, x: Tensor, k: Key, options?: TransformOptions,
): Promise<CheckResult> {
  const property = 'every parameter gets a gradient';
  const { leaves, paths } = leafPaths(params);
  if (leaves.length === 0) return { property, ok: true, maxError: 0, tol: 0, detail: 'no parameters' };
  const r = normal(k, x.shape);
  const loss = (p: P) => {
    const { out, logDet } = t.forwardAndLogDet(p, buffers, x, options);
    return add(sum(mul(out, r)), sum(mul(logDet, 0.7)));
  };
  const g = flattenTree(grad(loss)(params) as TensorTree).leaves;
  const dead: string[] = [];
  const bad: string[] = [];
  for (let i = 0; i < g.length; i++) {
    const v = await g[i]!.data();
    if (Array.from(v).some((e) => !Number.isFinite(e))) bad.push(paths[i]!);
    else if (!Array.from(v).some((e) => e !== 0)) dead.push(paths[i]!);
  }
  const ok = dead.length === 0 && bad.length === 0;
  const detail = ok ? `${g.length} parameter tensors, all with a nonzero gradient`
    : [dead.length ? `zero gradient: ${dead.join(', ')}` : '', bad.length ? `non-finite gradient: ${bad.join(', ')}` : ''].filter(Boolean).join('; ');
  return { property, ok, maxError: 0, tol: 0, detail };
}

/** The leaves of a parameter tree with a readable path each (e.g. "made.2.w"), in `flattenTree` order. */
function leafPaths(tree: TensorTree): { leaves: Tensor[]; paths: string[] } {
  const { leaves } = flattenTree(tree);
  const paths: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (node instanceof Tensor) paths.push(path || '(root)');
    else if (Array.isArray(node)) node.forEach((c, i) => walk(c, path ? `${path}.${i}` : String(i)));
    else if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node).sort()) walk((node as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
    }
  };
  walk(tree, '');
  return { leaves, paths: paths.length === leaves.length ? paths : leaves.map((_, i) => `leaf ${i}`) };
}
