import { type FusedAttrs, fusableArity, fusablePrimitive, fusedAttrs, fusedElementwisePrimitive } from '../backends/cpu/fused-elementwise.js';
import { run } from '../engine.js';
import { ArgumentError, ShapeError, show } from '../errors.js';
import { sameShape } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** The most inputs of a chain fused on a GPU (WebGPU's default of 8 storage buffers per shader, less the output). */
export const GPU_CHAIN_INPUTS = 7;

/** The most inputs one chain takes. */
export const MAX_CHAIN_INPUTS = 48;

/** One op of an `elementwiseChain`: an elementwise op's name and its arguments (see there). */
export interface ChainOp {
  readonly op: string;
  readonly args: readonly number[];
}

/**
 * A chain of float32 elementwise ops (add, sub, mul, div, maximum, minimum,
 * neg, abs, sqrt, …) as one kernel: `inputs` are tensors of one shape or of
 * one element (broadcast); op j's arguments index the inputs (below
 * `inputs.length`) or earlier ops' results (`inputs.length + i`); the last op
 * is the result. On the CPU it runs as a single WebAssembly SIMD loop that
 * reads every input once, with the bits of the ops applied one by one; on
 * WebGPU as one kernel evaluating the ops in turn (a shader compiler may
 * contract a product and a sum there). An `ops` list frozen all the way down
 * (the list, its ops, their `args`) is checked once and its kernel kept: for
 * an optimiser's update, called every step. Not differentiable: for optimiser
 * updates and other code outside gradients (`jit` fuses differentiated chains
 * itself).
 */
export function elementwiseChain(inputs: readonly Tensor[], ops: readonly ChainOp[]): Tensor {
  const cached = frozenChains.get(ops);
  if (!Array.isArray(inputs) || inputs.length === 0) throw new ArgumentError(`elementwiseChain(inputs): expected a non-empty array of tensors, received ${show(inputs)}`);
  if (inputs.length > MAX_CHAIN_INPUTS) throw new ArgumentError(`elementwiseChain(inputs): expected at most ${MAX_CHAIN_INPUTS} tensors, received ${inputs.length}`);
  if (!Array.isArray(ops) || ops.length === 0) throw new ArgumentError(`elementwiseChain(ops): expected a non-empty array of { op, args }, received ${show(ops)}`);
  const full = inputs.find((t) => t.size !== 1) ?? inputs[0]!;
  const kinds = inputs.map((t, i) => {
    if (t.dtype !== 'float32') throw new ArgumentError(`elementwiseChain(inputs[${i}]): expected float32, received ${t.dtype}`);
    if (sameShape(t.shape, full.shape)) return 'v' as const;
    if (t.size === 1 && t.rank <= full.rank) return 's' as const;
    throw new ShapeError(`elementwiseChain(inputs[${i}]): shape [${t.shape.join(', ')}]; expected [${full.shape.join(', ')}] or one element`);
  });
  const kindsKey = kinds.join('');
  let attrs = cached?.get(kindsKey);
  if (attrs === undefined) attrs = checkedAttrs(inputs, ops, kinds);
  if (cached !== undefined) cached.set(kindsKey, attrs);
  else if (deepFrozen(ops)) frozenChains.set(ops, new Map([[kindsKey, attrs]]));
  // A GPU shader binds at most 8 storage buffers by default (the output one of them): longer input lists run op by op.
  if (full.backend.name === 'cpu' || inputs.length <= GPU_CHAIN_INPUTS) return run(fusedElementwisePrimitive, inputs, attrs);
  const values: Tensor[] = [...inputs];
  for (const o of ops) values.push(run(fusablePrimitive(o.op)!, o.args.map((a: number) => values[a]!), {}));
  return values[values.length - 1]!;
}

/** Whether the list, its ops and their argument lists can no longer change. */
function deepFrozen(ops: readonly ChainOp[]): boolean {
  return Object.isFrozen(ops) && ops.every((o) => Object.isFrozen(o) && Object.isFrozen(o.args));
}

// The checked attributes of frozen op lists (an optimiser's, built once), per operand layout.
const frozenChains = new WeakMap<readonly ChainOp[], Map<string, FusedAttrs>>();

function checkedAttrs(inputs: readonly Tensor[], ops: readonly ChainOp[], kinds: readonly ('v' | 's')[]): FusedAttrs {
  ops.forEach((o, j) => {
    const arity = typeof o?.op === 'string' ? fusableArity(o.op) : 0;
    if (arity === 0 || !Array.isArray(o.args) || o.args.length !== arity) {
      throw new ArgumentError(`elementwiseChain(ops[${j}]): expected { op, args } with a fusable elementwise op and its arguments, received ${show(o)}`);
    }
    for (const a of o.args) {
      if (!Number.isInteger(a) || a < 0 || a >= inputs.length + j) {
        throw new ArgumentError(`elementwiseChain(ops[${j}].args): expected indices below ${inputs.length + j} (inputs, then earlier ops), received ${show(o.args)}`);
      }
    }
  });
  return fusedAttrs(kinds, ops);
}
