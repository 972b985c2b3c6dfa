import { zeros } from './creation.js';
import { alias, beginScope, endScope, liveDeps, scopeTrace } from './engine.js';
import { ArgumentError, ShapeError, show } from './errors.js';
import { add } from './ops/add.js';
import { mul } from './ops/mul.js';
import { sum } from './ops/sum.js';
import { sameShape } from './shape.js';
import { Tensor, Trace } from './tensor.js';
import { flattenTree, type TensorTree } from './tree.js';

/**
 * Reverse-mode autodiff. Each grad/vjp call opens a Trace; ops on tensors
 * that depend on its leaves record tape nodes. Backpropagation runs the
 * primitives' gradient rules, which are ordinary differentiable ops, so the
 * backward pass of an inner trace is itself recorded by any outer trace:
 * gradients of gradients, Hessian-vector products and gradients of
 * vector-Jacobian products (residual flows) all work.
 */

function leafOf(t: Tensor, trace: Trace): Tensor {
  if (!(t instanceof Tensor)) throw new ArgumentError(`expected a Tensor to differentiate, received ${show(t)}`);
  if (t.dtype !== 'float32') throw new ArgumentError(`cannot differentiate with respect to a ${t.dtype} tensor (shape [${t.shape.join(', ')}])`);
  return alias(t, { prim: null, inputs: [t], attrs: null, deps: liveDeps(t, trace) });
}

function dependsOn(t: Tensor, trace: Trace): boolean {
  return t.node !== null && t.node.deps.includes(trace);
}

/** Cotangents of `leaves` given cotangents of `roots`, by one reverse sweep. */
function backprop(roots: readonly Tensor[], cts: readonly Tensor[], leaves: readonly Tensor[], trace: Trace): Tensor[] {
  const leafSet = new Set(leaves);
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  // Iterative post-order DFS over the part of the graph that depends on this trace.
  const stack: [Tensor, number][] = [];
  for (const r of roots) {
    if (seen.has(r) || !dependsOn(r, trace)) continue;
    seen.add(r);
    stack.push([r, 0]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [t, i] = top;
      const inputs = leafSet.has(t) ? [] : t.node!.inputs;
      if (i < inputs.length) {
        top[1]++;
        const x = inputs[i]!;
        if (!seen.has(x) && dependsOn(x, trace)) {
          seen.add(x);
          stack.push([x, 0]);
        }
      } else {
        stack.pop();
        order.push(t);
      }
    }
  }
  const grads = new Map<Tensor, Tensor>();
  const accumulate = (t: Tensor, g: Tensor): void => {
    if (!sameShape(g.shape, t.shape)) {
      throw new ShapeError(`internal: a gradient rule returned shape [${g.shape.join(', ')}] for an input of shape [${t.shape.join(', ')}]`);
    }
    const prev = grads.get(t);
    grads.set(t, prev ? add(prev, g) : g);
  };
  roots.forEach((r, i) => {
    if (dependsOn(r, trace)) accumulate(r, cts[i]!);
  });
  for (let j = order.length - 1; j >= 0; j--) {
    const t = order[j]!;
    const g = grads.get(t);
    if (!g || leafSet.has(t)) continue;
    const node = t.node!;
    const gs = node.prim === null ? [g] : node.prim.grad!(g, node.inputs, t, node.attrs, node.inputs.map((x) => dependsOn(x, trace)));
    node.inputs.forEach((x, k) => {
      const gk = gs[k];
      if (gk && dependsOn(x, trace)) accumulate(x, gk);
    });
  }
  return leaves.map((l) => grads.get(l) ?? zeros(l.shape));
}

/**
 * What `vjp` returns: f's output and the function mapping a cotangent of the output to cotangents
 * of the inputs.
 */
export interface VjpResult<X extends TensorTree, Y extends TensorTree> {
  /** f(x). */
  readonly out: Y;
  /**
   * The vector-Jacobian product ctᵀ · ∂f/∂x for a cotangent shaped like the
   * output. May be called many times (Hutchinson probes, Neumann series),
   * until the tidy() scope that called vjp() ends.
   */
  readonly pullback: (ct: Y) => X;
}

// Functions made by customVjp, and the rule vjp() calls for each instead of tracing it.
const customRules = new WeakMap<object, (x: never) => unknown>();

/**
 * f with a hand-written vector–Jacobian product: `vjp(returned, x)` calls
 * `rule(x)` instead of tracing f, while calling the returned function is
 * calling f. The rule gives f(x) and its pullback, built from ordinary
 * differentiable ops, so outer traces differentiate through both (gradients of
 * VJPs, as residual flows take them, still work); the rule must compute the
 * same function and derivative as f. Use it where a closed form is much
 * shorter than the traced one: an MLP's pullback ct ↦ ((ct·W_L) ⊙ φ'(h_{L−1}))…·W_1
 * reuses φ'(h) across pullbacks, where the traced one rebuilds each
 * activation's chain rule every call. (JAX's `custom_vjp` plays this part.)
 */
export function customVjp<X extends TensorTree, Y extends TensorTree>(f: (x: X) => Y, rule: (x: X) => VjpResult<X, Y>): (x: X) => Y {
  const g = (x: X): Y => f(x);
  customRules.set(g, rule);
  return g;
}

/** f(x) and its pullback (by tracing f, or by f's rule where f came from `customVjp`). */
export function vjp<X extends TensorTree, Y extends TensorTree>(f: (x: X) => Y, x: X): VjpResult<X, Y> {
  const custom = customRules.get(f) as ((x: X) => VjpResult<X, Y>) | undefined;
  if (custom !== undefined) return custom(x);
  const trace = new Trace();
  scopeTrace(trace);
  const { leaves: xs, rebuild } = flattenTree(x);
  const leaves = xs.map((t) => leafOf(t, trace));
  let out: Y;
  try {
    out = f(rebuild(leaves));
  } finally {
    trace.state = 'held';
  }
  const outLeaves = flattenTree(out).leaves;
  const pullback = (ct: Y): X => {
    if (trace.state === 'done') throw new ArgumentError('vjp pullback called after the tidy() scope that made it ended');
    const cts = flattenTree(ct).leaves;
    if (cts.length !== outLeaves.length) {
      throw new ShapeError(`pullback(ct): expected ${outLeaves.length} cotangent tensors shaped like f's output, received ${cts.length}`);
    }
    cts.forEach((c, i) => {
      if (!sameShape(c.shape, outLeaves[i]!.shape)) {
        throw new ShapeError(`pullback(ct): cotangent ${i} has shape [${c.shape.join(', ')}]; the output has [${outLeaves[i]!.shape.join(', ')}]`);
      }
    });
    return rebuild(backprop(outLeaves, cts, leaves, trace));
  };
  return { out, pullback };
}

/**
 * value and gradient of a scalar function with respect to its first argument
 * (a tensor or a tree of tensors); further arguments are passed through.
 */
export function valueAndGrad<X extends TensorTree, R extends unknown[]>(
  f: (x: X, ...rest: R) => Tensor,
): (x: X, ...rest: R) => [Tensor, X] {
  return (x: X, ...rest: R) => {
    const scope = beginScope();
    let result: [Tensor, X] | undefined;
    try {
      const trace = new Trace();
      scope.traces.push(trace);
      const { leaves: xs, rebuild } = flattenTree(x);
      const leaves = xs.map((t) => leafOf(t, trace));
      let y: Tensor;
      try {
        y = f(rebuild(leaves), ...rest);
      } finally {
        trace.state = 'held';
      }
      if (!(y instanceof Tensor) || y.size !== 1) {
        throw new ShapeError(`valueAndGrad(f): f must return a tensor with one element, received ${y instanceof Tensor ? `shape [${y.shape.join(', ')}]` : show(y)}`);
      }
      const g = backprop([y], [onesLikeShape(y)], leaves, trace);
      result = [y, rebuild(g)];
      return result;
    } finally {
      endScope(scope, result ? [result[0], ...flattenTree(result[1]).leaves] : []);
    }
  };
}

function onesLikeShape(y: Tensor): Tensor {
  return add(zeros(y.shape), 1);
}

/** Gradient of a scalar function with respect to its first argument. */
export function grad<X extends TensorTree, R extends unknown[]>(f: (x: X, ...rest: R) => Tensor): (x: X, ...rest: R) => X {
  const vg = valueAndGrad(f);
  return (x: X, ...rest: R) => vg(x, ...rest)[1];
}

/**
 * Forward-mode product J·v, by transposing the (linear) pullback: with
 * u ↦ uᵀJ linear in u, the derivative of ⟨uᵀJ, v⟩ in u is Jv. Costs about
 * two backward passes.
 */
export function jvp<X extends TensorTree>(f: (x: X) => Tensor, x: X, v: X): [Tensor, Tensor] {
  const { out, pullback } = vjp(f, x);
  const vs = flattenTree(v).leaves;
  const u0 = zeros(out.shape);
  const jv = grad((u: Tensor) => treeDot(flattenTree(pullback(u)).leaves, vs))(u0);
  return [out, jv];
}

/** Hessian-vector product H·v of a scalar function, as the gradient of ⟨∇f, v⟩. */
export function hvp<X extends TensorTree>(f: (x: X) => Tensor, x: X, v: X): X {
  const vs = flattenTree(v).leaves;
  return grad((y: X) => treeDot(flattenTree(grad(f)(y)).leaves, vs))(x);
}

/** Σ_i ⟨a_i, b_i⟩ over matching leaves. */
function treeDot(a: readonly Tensor[], b: readonly Tensor[]): Tensor {
  let acc: Tensor | null = null;
  a.forEach((t, i) => {
    const term = sum(mul(t, b[i]!));
    acc = acc ? add(acc, term) : term;
  });
  return acc ?? zeros([]);
}

/** The same values with no gradient flowing through. */
export function stopGradient(x: Tensor): Tensor {
  return alias(x, null);
}
