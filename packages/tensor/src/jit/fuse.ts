import { type FusedNode, fusableArity, fusedAttrs, fusedElementwisePrimitive } from '../backends/cpu/fused-elementwise.js';
import type { TensorInfo } from '../primitive.js';
import { sameShape } from '../shape.js';
import type { Step } from './program.js';

// Bounds on one chain: the loop keeps a register per input and node.
const MAX_NODES = 48, MAX_INPUTS = 24;

/**
 * Merges chains of float32 elementwise steps into single fused steps (CPU):
 * a step joins its consumer's chain when its result has the consumer's shape,
 * only that consumer reads it, and nothing else sees it (not an output, not
 * aliased). Chains are trees of such steps; each runs where its last step
 * ran, reading its inputs once. Operands of one element are broadcast. A
 * chain needing more than `maxInputs` inputs is left as it is.
 */
export function fuseElementwise(steps: readonly Step[], info: readonly TensorInfo[], outputs: ReadonlySet<number>, maxInputs = MAX_INPUTS): Step[] {
  const uses = new Map<number, number>();
  const aliased = new Set<number>();
  for (const s of steps) {
    for (const x of s.ins) uses.set(x, (uses.get(x) ?? 0) + 1);
    if (s.prim === null) aliased.add(s.source);
  }
  const candidate = steps.map((s) => s.prim !== null && s.make === null && fusableArity(s.prim.name) > 0 && s.out.dtype === 'float32' &&
    sizeOf(s.out.shape) > 0 && s.ins.every((x) => info[x]!.dtype === 'float32' && (sameShape(info[x]!.shape, s.out.shape) || isScalarOf(info[x]!.shape, s.out.shape))));
  const producer = new Map<number, number>();
  steps.forEach((s, i) => { if (candidate[i]) producer.set(s.slot, i); });
  // parent[i]: the step whose chain step i joins.
  const parent = new Array<number>(steps.length).fill(-1);
  steps.forEach((s, j) => {
    if (!candidate[j]) return;
    for (const x of new Set(s.ins)) {
      const p = producer.get(x);
      if (p === undefined || outputs.has(x) || aliased.has(x) || !sameShape(info[x]!.shape, s.out.shape)) continue;
      if (uses.get(x) !== s.ins.filter((y) => y === x).length) continue;
      parent[p] = j;
    }
  });
  const rootOf = (i: number): number => (parent[i] === -1 ? i : rootOf(parent[i]!));
  const members = new Map<number, number[]>();
  steps.forEach((_, i) => {
    if (!candidate[i]) return;
    const r = rootOf(i);
    let m = members.get(r);
    if (m === undefined) members.set(r, (m = []));
    m.push(i);
  });
  const fused = new Map<number, Step>();
  const skip = new Set<number>();
  for (const [r, m] of members) {
    if (m.length < 2 || m.length > MAX_NODES) continue;
    const step = chainStep(steps, m, info, maxInputs);
    if (step === null) continue;
    fused.set(r, step);
    for (const i of m) if (i !== r) skip.add(i);
  }
  const out: Step[] = [];
  steps.forEach((s, i) => {
    if (skip.has(i)) return;
    out.push(fused.get(i) ?? s);
  });
  return out;
}

/** The fused step of chain `m` (step indices in order, the last its root), or null past the input bound. */
function chainStep(steps: readonly Step[], m: readonly number[], info: readonly TensorInfo[], maxInputs: number): Step | null {
  const root = steps[m[m.length - 1]!]!;
  const inChain = new Map<number, number>();
  m.forEach((i, j) => inChain.set(steps[i]!.slot, j));
  const ins: number[] = [];
  const inputIndex = new Map<number, number>();
  for (const i of m) {
    for (const x of steps[i]!.ins) {
      if (inChain.has(x) || inputIndex.has(x)) continue;
      inputIndex.set(x, ins.length);
      ins.push(x);
    }
  }
  if (ins.length > maxInputs) return null;
  const nodes: FusedNode[] = m.map((i) => ({
    op: steps[i]!.prim!.name,
    args: steps[i]!.ins.map((x) => (inChain.has(x) ? ins.length + inChain.get(x)! : inputIndex.get(x)!)),
  }));
  const kinds = ins.map((x) => (sameShape(info[x]!.shape, root.out.shape) ? 'v' as const : 's' as const));
  return {
    prim: fusedElementwisePrimitive, slot: root.slot, ins, attrs: fusedAttrs(kinds, nodes), out: root.out,
    key: null, make: null, source: -1, frees: [],
  };
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** One element, broadcast against `out` (rank at most out's). */
function isScalarOf(shape: readonly number[], out: readonly number[]): boolean {
  return sizeOf(shape) === 1 && shape.length <= out.length;
}
