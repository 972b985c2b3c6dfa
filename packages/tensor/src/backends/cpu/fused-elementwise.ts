import type { TypedArray } from '../../dtype.js';
import { ArgumentError } from '../../errors.js';
import type { AnyPrimitive, CpuInput, Primitive, TensorInfo } from '../../primitive.js';
import { type Arena, arenaOfArray, outputArray, recycle } from './buffer-pool.js';
import type { SimdBinaryBody, SimdUnaryBody } from './wasm-elementwise.js';
import { emitModule, F32, type FunctionSpec, I32, op, V128 } from './wasm-emitter.js';

/**
 * Chains of elementwise ops run as one WebAssembly SIMD loop: every operand
 * read once per vector, every intermediate kept in a register, one output
 * written. Each op contributes the same f32x4 body its own loop uses, which
 * gives its scalar function's float32 results bit for bit, so a fused chain
 * gives the bits of the ops run one by one. `jit` programs on the CPU use it
 * (see jit/fuse.ts); nothing else launches it.
 */

/** An op that can take part in a fused chain: its vector body and its primitive (the fallback). */
interface Fusable {
  readonly arity: 1 | 2;
  readonly body: SimdUnaryBody | SimdBinaryBody;
  readonly prim: AnyPrimitive;
}

const fusable = new Map<string, Fusable>();

/** Registers an elementwise primitive whose f32x4 body gives its scalar results bit for bit. */
export function registerFusable(prim: AnyPrimitive, arity: 1 | 2, body: SimdUnaryBody | SimdBinaryBody): void {
  fusable.set(prim.name, { arity, body, prim });
}

/** Whether a primitive can be fused, and its arity. */
export function fusableArity(name: string): 1 | 2 | 0 {
  return fusable.get(name)?.arity ?? 0;
}

/**
 * One node of a chain: op `name` on `args`; an argument below `inputs` is that
 * input of the chain, and `inputs + j` is node j's result. The last node is the output.
 */
export interface FusedNode {
  readonly op: string;
  readonly args: readonly number[];
}

/** The chain: its inputs ('v': shaped like the output, 's': one element, broadcast) and nodes. */
export interface FusedAttrs {
  readonly key: string;
  readonly inputs: readonly ('v' | 's')[];
  readonly nodes: readonly FusedNode[];
}

/** The attributes of a chain, with its cache key. */
export function fusedAttrs(inputs: readonly ('v' | 's')[], nodes: readonly FusedNode[]): FusedAttrs {
  for (const n of nodes) if (!fusable.has(n.op)) throw new ArgumentError(`fusedElementwise: ${n.op} is not a fusable op`);
  return { key: `${inputs.join('')}|${nodes.map((n) => `${n.op}(${n.args.join(',')})`).join(';')}`, inputs, nodes };
}

const modules = new Map<string, WebAssembly.Module | null>();
const instances = new WeakMap<Arena, Map<string, (...args: number[]) => void>>();

function emit(a: FusedAttrs): FunctionSpec {
  const k = a.inputs.length;
  // Params: one per input (a byte offset, or the scalar as f32), out, vector count. Locals: a v128 per input and node.
  const OUT = k, COUNT = k + 1, V = k + 2;
  const local = (arg: number) => V + arg;
  const code: number[] = [];
  const put = (...parts: readonly (readonly number[])[]) => { for (const p of parts) code.push(...p); };
  a.inputs.forEach((kind, i) => { if (kind === 's') put(op.localGet(i), op.f32x4Splat, op.localSet(local(i))); });
  put(op.loop);
  a.inputs.forEach((kind, i) => { if (kind === 'v') put(op.localGet(i), op.v128Load(0), op.localSet(local(i))); });
  a.nodes.forEach((n, j) => {
    const f = fusable.get(n.op)!;
    const body = f.arity === 1 ? (f.body as SimdUnaryBody)(local(n.args[0]!)) : (f.body as SimdBinaryBody)(local(n.args[0]!), local(n.args[1]!));
    if (j === a.nodes.length - 1) put(op.localGet(OUT), body, op.v128Store(0));
    else put(body, op.localSet(local(k + j)));
  });
  const bump = (p: number) => put(op.localGet(p), op.i32Const(16), op.i32Add, op.localSet(p));
  a.inputs.forEach((kind, i) => { if (kind === 'v') bump(i); });
  bump(OUT);
  put(op.localGet(COUNT), op.i32Const(1), op.i32Sub, op.localTee(COUNT), op.brIf(0), op.end);
  return {
    name: 'fused',
    params: [...a.inputs.map((kind) => (kind === 'v' ? I32 : F32)), I32, I32],
    locals: [[k + a.nodes.length, V128]],
    body: code,
  };
}

/** The chain's loop on the arena's memory, compiled once per chain and instantiated once per arena; undefined without SIMD. */
function kernel(a: FusedAttrs, arena: Arena): ((...args: number[]) => void) | undefined {
  let perArena = instances.get(arena);
  if (perArena === undefined) instances.set(arena, (perArena = new Map()));
  let fn = perArena.get(a.key);
  if (fn !== undefined) return fn;
  let module = modules.get(a.key);
  if (module === undefined) {
    const bytes = emitModule([emit(a)], 1, undefined, true);
    module = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    modules.set(a.key, module);
  }
  if (module === null) return undefined;
  fn = new WebAssembly.Instance(module, { env: { memory: arena.exports['memory'] as WebAssembly.Memory } }).exports['fused'] as (...args: number[]) => void;
  perArena.set(a.key, fn);
  return fn;
}

/** The chain's ops one by one through their own kernels (storage outside the pool's arenas). */
function oneByOne(ins: readonly CpuInput[], a: FusedAttrs, out: TensorInfo): TypedArray {
  const values: CpuInput[] = [...ins];
  const made: TypedArray[] = [];
  a.nodes.forEach((n) => {
    const f = fusable.get(n.op)!;
    const args = n.args.map((i) => values[i]!);
    const r = f.prim.cpu(args, {}, out);
    made.push(r);
    values.push({ values: r, shape: out.shape, dtype: 'float32' });
  });
  for (let j = 0; j < made.length - 1; j++) recycle(made[j]!);
  return made[made.length - 1]!;
}

/** The fusable primitive of an op name (for running a chain op by op). */
export function fusablePrimitive(name: string): AnyPrimitive | undefined {
  return fusable.get(name)?.prim;
}

/** The primitive a fused chain runs as; its inputs are the chain's inputs in order. CPU only, no gradient. */
export const fusedElementwisePrimitive: Primitive<FusedAttrs> = {
  name: 'fusedElementwise',
  // The output has the shape of the 'v' inputs ([] when every input is one element).
  infer: (inputs, a) => {
    const v = inputs.find((_, i) => a.inputs[i] === 'v');
    return { shape: v?.shape ?? [], dtype: 'float32' };
  },
  cpu(ins, a, out) {
    let n = 1;
    for (const d of out.shape) n *= d;
    const near = ins.find((_, i) => a.inputs[i] === 'v')?.values;
    const o = outputArray('float32', n, near);
    const arena = n > 0 ? arenaOfArray(o) : undefined;
    if (arena === undefined) {
      recycle(o);
      return oneByOne(ins, a, out);
    }
    for (let i = 0; i < ins.length; i++) {
      const x = ins[i]!.values;
      if (!(x instanceof Float32Array) || (a.inputs[i] === 'v' && arenaOfArray(x) !== arena)) {
        recycle(o);
        return oneByOne(ins, a, out);
      }
    }
    const fn = kernel(a, arena);
    if (fn === undefined) {
      recycle(o);
      return oneByOne(ins, a, out);
    }
    const args = ins.map((x, i) => (a.inputs[i] === 'v' ? x.values.byteOffset : x.values[0]!));
    fn(...args, o.byteOffset, Math.ceil(n / 4));
    return o;
  },
};
