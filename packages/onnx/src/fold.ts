import type { Backend, KernelInput, TypedArray } from '@rheo/tensor';
import { isStatic, type Graph, type GraphNode } from './merge.js';

/**
 * Constant folding and dead-code elimination. A primitive whose inputs are all constants and whose
 * attributes and shape do not follow the batch runs once here, on the CPU backend's own kernels, and
 * becomes a constant: the weights a layer derives from its parameters (spectral normalisation, LU
 * products, masked weights, exp of log-scales) enter the file as the tensors the layer uses; draws
 * of the counter-based generator made while building (power-iteration vectors) fold the same way,
 * since their values follow from the key alone. Nodes no
 * output reaches are dropped (the random initialisation of the rebuilt model among them).
 */
export function foldConstants(g: Graph, cpu: Backend): Graph {
  const nodes: GraphNode[] = [];
  for (const n of g.nodes) {
    if (n.kind !== 'op' || !isStatic(n.attrs) || !isStatic(n.shape)) {
      nodes.push(n);
      continue;
    }
    const ins = n.inputs.map((i) => nodes[i]!);
    if (!ins.every((x) => x.kind === 'const')) {
      nodes.push(n);
      continue;
    }
    const shape = n.shape as number[];
    let values: TypedArray;
    const consts = ins as (GraphNode & { kind: 'const' })[];
    if (n.prim.alias) values = consts[0]!.values;
    else {
      const kin: KernelInput[] = consts.map((c) => ({ storage: cpu.upload(c.values, c), shape: c.shape, dtype: c.dtype }));
      const out = cpu.execute(n.prim, kin, n.attrs, { shape, dtype: n.dtype });
      values = cpu.readSync!(out, { shape, dtype: n.dtype });
      cpu.release(out);
      for (const k of kin) cpu.release(k.storage);
    }
    nodes.push({ kind: 'const', values, shape, dtype: n.dtype });
  }
  return prune({ nodes, outputs: g.outputs });
}

/** Keeps the nodes some output depends on, renumbered in order. */
function prune(g: Graph): Graph {
  const live = new Set<number>();
  const stack = g.outputs.map((o) => o.node);
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (live.has(i)) continue;
    live.add(i);
    const n = g.nodes[i]!;
    if (n.kind === 'op') stack.push(...n.inputs);
  }
  const index = new Map<number, number>();
  const nodes: GraphNode[] = [];
  g.nodes.forEach((n, i) => {
    // Graph inputs stay even when unused, so the file's signature does not depend on the model.
    if (!live.has(i) && n.kind !== 'input') return;
    index.set(i, nodes.length);
    nodes.push(n.kind === 'op' ? { ...n, inputs: n.inputs.map((j) => index.get(j)!) } : n);
  });
  return { nodes, outputs: g.outputs.map((o) => ({ name: o.name, node: index.get(o.node)! })) };
}
