import type { TypedArray } from '../../dtype.js';
import { ArgumentError } from '../../errors.js';
import type { AnyPrimitive, CpuInput, Primitive, TensorInfo, WgslProgram } from '../../primitive.js';
import { elementwiseProgram } from '../../wgsl/elementwise.js';
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
  /** The op on one (pair of) element(s); its float32 rounding is the op's result. */
  readonly fn: (a: number, b: number) => number;
}

const fusable = new Map<string, Fusable>();

/** Registers an elementwise primitive whose f32x4 body gives its scalar results bit for bit. */
export function registerFusable(prim: AnyPrimitive, arity: 1 | 2, body: SimdUnaryBody | SimdBinaryBody, fn: (a: number, b: number) => number): void {
  fusable.set(prim.name, { arity, body, prim, fn });
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

// Compiled chains, and their instances per arena; dropped wholesale past MAX_MODULES (recompiled on demand).
const MAX_MODULES = 2048;
const modules = new Map<string, WebAssembly.Module | null>();
let instances = new WeakMap<Arena, Map<string, (args: number, count: number) => void>>();

/**
 * The loop of a chain. Every chain has the signature (args, count): `args` is
 * the byte offset of a block holding, per input, its byte offset (i32) or its
 * scalar (f32), then the output's byte offset; `count` is the number of
 * 16-byte vectors. One signature for all chains keeps the calls from
 * JavaScript on one fast path.
 */
function emit(a: FusedAttrs): FunctionSpec {
  const k = a.inputs.length;
  const ARGS = 0, COUNT = 1, PTR = 2, OUT = PTR + k, V = OUT + 1;
  const local = (arg: number) => V + arg;
  const code: number[] = [];
  const put = (...parts: readonly (readonly number[])[]) => { for (const p of parts) code.push(...p); };
  a.inputs.forEach((kind, i) => {
    if (kind === 'v') put(op.localGet(ARGS), op.i32Load(4 * i), op.localSet(PTR + i));
    else put(op.localGet(ARGS), op.f32Load(4 * i), op.f32x4Splat, op.localSet(local(i)));
  });
  put(op.localGet(ARGS), op.i32Load(4 * k), op.localSet(OUT));
  put(op.loop);
  a.inputs.forEach((kind, i) => { if (kind === 'v') put(op.localGet(PTR + i), op.v128Load(0), op.localSet(local(i))); });
  a.nodes.forEach((n, j) => {
    const f = fusable.get(n.op)!;
    const body = f.arity === 1 ? (f.body as SimdUnaryBody)(local(n.args[0]!)) : (f.body as SimdBinaryBody)(local(n.args[0]!), local(n.args[1]!));
    if (j === a.nodes.length - 1) put(op.localGet(OUT), body, op.v128Store(0));
    else put(body, op.localSet(local(k + j)));
  });
  const bump = (p: number) => put(op.localGet(p), op.i32Const(16), op.i32Add, op.localSet(p));
  a.inputs.forEach((kind, i) => { if (kind === 'v') bump(PTR + i); });
  bump(OUT);
  put(op.localGet(COUNT), op.i32Const(1), op.i32Sub, op.localTee(COUNT), op.brIf(0), op.end);
  return { name: 'fused', params: [I32, I32], locals: [[k + 1, I32], [k + a.nodes.length, V128]], body: code };
}

// Per arena, the block the arguments of a call are written to (i32 and f32 views of the same bytes).
const argBlocks = new WeakMap<Arena, { i32: Int32Array; f32: Float32Array }>();
const MAX_ARGS = 64;

function argBlock(arena: Arena, near: TypedArray): { i32: Int32Array; f32: Float32Array } | undefined {
  let block = argBlocks.get(arena);
  if (block === undefined) {
    const i32 = outputArray('int32', MAX_ARGS, near) as Int32Array;
    if (arenaOfArray(i32) !== arena) return undefined;
    block = { i32, f32: new Float32Array(i32.buffer, i32.byteOffset, MAX_ARGS) };
    argBlocks.set(arena, block);
  }
  return block;
}

/** The chain's loop on the arena's memory, compiled once per chain and instantiated once per arena; undefined without SIMD. */
function kernel(a: FusedAttrs, arena: Arena): ((args: number, count: number) => void) | undefined {
  let perArena = instances.get(arena);
  if (perArena === undefined) instances.set(arena, (perArena = new Map()));
  let fn = perArena.get(a.key);
  if (fn !== undefined) return fn;
  let module = modules.get(a.key);
  if (module === undefined && modules.size >= MAX_MODULES) {
    modules.clear();
    instances = new WeakMap();
    return kernel(a, arena);
  }
  if (module === undefined) {
    const bytes = emitModule([emit(a)], 1, undefined, true);
    module = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    modules.set(a.key, module);
  }
  if (module === null) return undefined;
  fn = new WebAssembly.Instance(module, { env: { memory: arena.exports['memory'] as WebAssembly.Memory } }).exports['fused'] as (args: number, count: number) => void;
  perArena.set(a.key, fn);
  return fn;
}

/**
 * The chain element by element in JavaScript (tensors too small for the pool,
 * or storage outside it): each op's scalar function, rounded to float32 as its
 * own kernel's output is.
 */
function interpret(ins: readonly CpuInput[], a: FusedAttrs, n: number): Float32Array {
  const o = outputArray('float32', n) as Float32Array;
  const k = ins.length;
  const reg = new Float64Array(k + a.nodes.length);
  const fns = a.nodes.map((node) => fusable.get(node.op)!.fn);
  const scalarOf = a.inputs.map((kind, i) => (kind === 's' ? ins[i]!.values[0]! : 0));
  for (let e = 0; e < n; e++) {
    for (let i = 0; i < k; i++) reg[i] = a.inputs[i] === 'v' ? ins[i]!.values[e]! : scalarOf[i]!;
    for (let j = 0; j < fns.length; j++) {
      const args = a.nodes[j]!.args;
      reg[k + j] = Math.fround(fns[j]!(reg[args[0]!]!, reg[args[1] ?? 0]!));
    }
    o[e] = reg[k + fns.length - 1]!;
  }
  return o;
}

/** The fusable primitive of an op name (for running a chain op by op). */
export function fusablePrimitive(name: string): AnyPrimitive | undefined {
  return fusable.get(name)?.prim;
}

/**
 * The chain as one WGSL expression: a function per op (its own `wgslExpr` of
 * `a` and `b`), nested as the chain nests them (each result is read once, so
 * the expression grows linearly). Without any reordering of an op's
 * arithmetic, though a shader compiler may contract a product and a sum that
 * separate kernels would round apart.
 */
function fusedWgsl(inputs: readonly TensorInfo[], a: FusedAttrs, out: TensorInfo): WgslProgram {
  const k = inputs.length;
  const names = inputs.map((_, i) => `x${i}`);
  const functions = a.nodes.map((node, j) => {
    const f = fusable.get(node.op)!;
    return `fn rheo_n${j}(a: T${f.arity === 2 ? ', b: T' : ''}) -> T { return ${f.prim.wgslExpr}; }`;
  }).join('\n');
  const call = (j: number): string => `rheo_n${j}(${a.nodes[j]!.args.map((x) => (x < k ? names[x]! : call(x - k))).join(', ')})`;
  return elementwiseProgram(`fused[${a.key}]`, call(a.nodes.length - 1), inputs, out, { names, functions });
}

/** The primitive a fused chain runs as; its inputs are the chain's inputs in order. No gradient. */
export const fusedElementwisePrimitive: Primitive<FusedAttrs> = {
  name: 'fusedElementwise',
  // The output has the shape of the 'v' inputs ([] when every input is one element).
  infer: (inputs, a) => {
    const v = inputs.find((_, i) => a.inputs[i] === 'v');
    return { shape: v?.shape ?? [], dtype: 'float32' };
  },
  wgsl: fusedWgsl,
  cpu(ins, a, out) {
    let n = 1;
    for (const d of out.shape) n *= d;
    let near: TypedArray | undefined;
    for (let i = 0; i < ins.length && near === undefined; i++) if (a.inputs[i] === 'v') near = ins[i]!.values;
    const o = outputArray('float32', n, near);
    const arena = n > 0 ? arenaOfArray(o) : undefined;
    const fn = arena === undefined ? undefined : kernel(a, arena);
    const block = fn === undefined ? undefined : argBlock(arena!, o);
    if (fn === undefined || block === undefined) {
      recycle(o);
      return interpret(ins, a, n);
    }
    // Operands outside the output's arena (kernels that return plain arrays) are copied into it first.
    let copies: TypedArray[] | null = null;
    for (let i = 0; i < ins.length; i++) {
      const x = ins[i]!.values;
      if (a.inputs[i] === 's') {
        block.f32[i] = x[0]!;
        continue;
      }
      if (arenaOfArray(x) === arena) {
        block.i32[i] = x.byteOffset;
        continue;
      }
      const copy = outputArray('float32', n, o);
      if (arenaOfArray(copy) !== arena) {
        recycle(copy);
        for (const c of copies ?? []) recycle(c);
        recycle(o);
        return interpret(ins, a, n);
      }
      copy.set(x);
      (copies ??= []).push(copy);
      block.i32[i] = copy.byteOffset;
    }
    block.i32[ins.length] = o.byteOffset;
    fn(block.i32.byteOffset, Math.ceil(n / 4));
    if (copies !== null) for (const c of copies) recycle(c);
    return o;
  },
};
