import { emitModule, F32, type FunctionSpec, I32, op, V128 } from './wasm-emitter.js';
import { UNARY_INPUT, unaryFunction, unaryKernelFunction, type UnaryKernelName } from './wasm-unary.js';

/**
 * WebAssembly SIMD loops of the elementwise primitives, run in place on the
 * memory the CPU buffer pool carves tensors from (no copies in or out).
 * Each primitive file says what its op is on one f32x4 vector; this file
 * wraps those bodies in loops and builds one module from all of them, the
 * first time a pool arena is created.
 *
 * Every loop runs over whole 16-byte vectors: pooled blocks are 16-byte
 * aligned and their sizes multiples of 16 bytes, so a last partial vector
 * reads and writes only its own block's slack. Float32 add, subtract,
 * multiply, divide and square root are correctly rounded in both WebAssembly
 * and JavaScript (JavaScript rounds the float64 result to float32, which for
 * these operations gives the same bits: double rounding is innocuous when the
 * wide format has at least 2p + 2 bits, Figueroa 1995), so these loops give
 * the plain loops' results bit for bit.
 */

type Code = readonly number[];

/** Code of f(local x): one f32x4 result on the stack. */
export type SimdUnaryBody = (x: number) => Code;
/** Code of f(local a, local b): one f32x4 result on the stack. */
export type SimdBinaryBody = (a: number, b: number) => Code;

const unaries = new Map<string, Code | UnaryKernelName>();
const binaries = new Map<string, SimdBinaryBody>();
const others = new Map<string, FunctionSpec>();
let built: WebAssembly.Module | null | undefined;

/** Adds a unary op's vector body (or the name of a kernel in wasm-unary.ts); false once the module is built. */
export function registerSimdUnary(name: string, body: SimdUnaryBody | UnaryKernelName): boolean {
  if (built !== undefined) return false;
  unaries.set(name, typeof body === 'string' ? body : body(UNARY_INPUT));
  return true;
}

/** Adds a binary op's vector body; false once the module is built. */
export function registerSimdBinary(name: string, body: SimdBinaryBody): boolean {
  if (built !== undefined) return false;
  binaries.set(name, body);
  return true;
}

/** Adds a whole function (an op whose loop is not unary or binary, e.g. where); false once the module is built. */
export function registerSimdFunction(spec: FunctionSpec): boolean {
  if (built !== undefined) return false;
  others.set(spec.name, spec);
  return true;
}

// Binary loops: params (p0, p1, p2, n) then va, vb. vv: a, b, out; vs: a, out, (s: f32); sv: b, out, (s: f32).
const VA = 4, VB = 5;

function binaryLoop(kind: 'vv' | 'vs' | 'sv', body: SimdBinaryBody): Code {
  const code: number[] = [];
  const emit = (...parts: Code[]) => { for (const p of parts) code.push(...p); };
  const ins = kind === 'vv' ? [0, 1] : [0];
  const out = kind === 'vv' ? 2 : 1;
  // vs/sv keep the count in param 2 and the scalar in param 3.
  const count = kind === 'vv' ? 3 : 2;
  if (kind === 'vs') emit(op.localGet(3), op.f32x4Splat, op.localSet(VB));
  if (kind === 'sv') emit(op.localGet(3), op.f32x4Splat, op.localSet(VA));
  /** One vector at byte offset `at` from the pointers. */
  const one = (at: number) => {
    if (kind === 'vv') emit(op.localGet(0), op.v128Load(at), op.localSet(VA), op.localGet(1), op.v128Load(at), op.localSet(VB));
    else emit(op.localGet(0), op.v128Load(at), op.localSet(kind === 'vs' ? VA : VB));
    emit(op.localGet(out), body(VA, VB), op.v128Store(at));
  };
  const advance = (vectors: number) => {
    for (const p of [...ins, out]) emit(op.localGet(p), op.i32Const(16 * vectors), op.i32Add, op.localSet(p));
    emit(op.localGet(count), op.i32Const(vectors), op.i32Sub, op.localSet(count));
  };
  // Four vectors per iteration while four remain (a quarter of the pointer and
  // count updates and branches: add [256, 64] 2.45 → 1.9 µs), then one at a time.
  emit(op.block, op.loop, op.localGet(count), op.i32Const(4), op.i32LtU, op.brIf(1));
  for (let k = 0; k < 4; k++) one(16 * k);
  advance(4);
  emit(op.br(0), op.end, op.end);
  emit(op.block, op.loop, op.localGet(count), op.i32Eqz, op.brIf(1));
  one(0);
  advance(1);
  emit(op.br(0), op.end, op.end);
  return code;
}

/** How a binary operand of a [rows, n] loop advances: a whole matrix, one row repeated, or one scalar per row (a column). */
type RowOperand = 'full' | 'row' | 'col';

/**
 * fn(a, b, out, rows, v, rowBytes): out[r] = f(a[r], b[r]) for each of `rows`
 * rows of v 16-byte vectors, rows rowBytes apart, in one call (a loop of
 * per-row calls from JavaScript costs more than a narrow row's work). Rows go
 * in order, so a row's last partial vector, spilling into the next row of
 * out, is overwritten by that row, as with one call per row.
 */
function rowsLoop(ma: RowOperand, mb: RowOperand, body: SimdBinaryBody): Code {
  const [a, b, out, rows, v, rowBytes] = [0, 1, 2, 3, 4, 5];
  const [ia, ib, io, count] = [6, 7, 8, 9];
  const va = 10, vb = 11;
  const code: number[] = [];
  const emit = (...parts: Code[]) => { for (const p of parts) code.push(...p); };
  const bump = (local: number, by: Code) => emit(op.localGet(local), by, op.i32Add, op.localSet(local));
  emit(op.loop);
  emit(op.localGet(a), op.localSet(ia), op.localGet(b), op.localSet(ib), op.localGet(out), op.localSet(io), op.localGet(v), op.localSet(count));
  // A column operand is one scalar per row, splatted once.
  if (ma === 'col') emit(op.localGet(a), op.f32Load(0), op.f32x4Splat, op.localSet(va));
  if (mb === 'col') emit(op.localGet(b), op.f32Load(0), op.f32x4Splat, op.localSet(vb));
  emit(op.loop);
  if (ma !== 'col') emit(op.localGet(ia), op.v128Load(0), op.localSet(va));
  if (mb !== 'col') emit(op.localGet(ib), op.v128Load(0), op.localSet(vb));
  emit(op.localGet(io), body(va, vb), op.v128Store(0));
  if (ma !== 'col') bump(ia, op.i32Const(16));
  if (mb !== 'col') bump(ib, op.i32Const(16));
  bump(io, op.i32Const(16));
  emit(op.localGet(count), op.i32Const(1), op.i32Sub, op.localTee(count), op.brIf(0), op.end);
  for (const [p, m] of [[a, ma], [b, mb]] as const) {
    if (m === 'full') bump(p, op.localGet(rowBytes));
    if (m === 'col') bump(p, op.i32Const(4));
  }
  bump(out, op.localGet(rowBytes));
  emit(op.localGet(rows), op.i32Const(1), op.i32Sub, op.localTee(rows), op.brIf(0), op.end);
  return code;
}

/** Row layouts with a loop of their own: suffix, operand a, operand b. */
export const ROW_LAYOUTS = [['fr', 'full', 'row'], ['rf', 'row', 'full'], ['fc', 'full', 'col'], ['cf', 'col', 'full']] as const;

function binaryFunctions(name: string, body: SimdBinaryBody): FunctionSpec[] {
  const locals = [[2, V128]] as const;
  return [
    { name: `${name}_vv`, params: [I32, I32, I32, I32], locals, body: binaryLoop('vv', body) },
    { name: `${name}_vs`, params: [I32, I32, I32, F32], locals, body: binaryLoop('vs', body) },
    { name: `${name}_sv`, params: [I32, I32, I32, F32], locals, body: binaryLoop('sv', body) },
    ...ROW_LAYOUTS.map(([suffix, ma, mb]): FunctionSpec => ({
      name: `${name}_${suffix}`, params: [I32, I32, I32, I32, I32, I32], locals: [[4, I32], [2, V128]], body: rowsLoop(ma, mb, body),
    })),
  ];
}

/** The module (every registered loop, on an imported memory env.memory), or null without WebAssembly SIMD. */
export function elementwiseModule(): WebAssembly.Module | null {
  if (built !== undefined) return built;
  built = null;
  try {
    const fns = [
      ...[...unaries].map(([name, body]) => (typeof body === 'string' ? unaryKernelFunction(body, `u_${name}`) : unaryFunction(`u_${name}`, body))),
      ...[...binaries].flatMap(([name, body]) => binaryFunctions(`b_${name}`, body)),
      ...others.values(),
    ];
    const bytes = emitModule(fns, 1, undefined, true);
    if (typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) built = new WebAssembly.Module(bytes);
  } catch {
    built = null;
  }
  return built;
}

export type UnaryLoopFn = (src: number, dst: number, vectors: number) => void;
export type BinaryLoopFn = (p0: number, p1: number, p2: number, n: number) => void;
/** fn(a, b, out, rows, vectors per row, row bytes) of `rowsLoop`. */
export type RowsLoopFn = (a: number, b: number, out: number, rows: number, v: number, rowBytes: number) => void;
