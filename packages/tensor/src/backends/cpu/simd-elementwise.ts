import type { TypedArray } from '../../dtype.js';
import { type Arena, arenaOfArray, blockBytes } from './buffer-pool.js';
import type { BinaryLoopFn, RowsLoopFn, UnaryLoopFn } from './wasm-elementwise.js';

/**
 * Runs the WebAssembly SIMD elementwise loops on pooled float32 storage, in
 * place. Each returns false, touching nothing, where the fast path does not
 * apply (an operand outside the pool or in another arena, an op without a
 * vector body, a layout other than the ones below); the caller then runs the
 * plain loop, which computes the same values.
 */

/** out = f(x) elementwise, x and out float32 in one arena. */
export function simdUnaryInPlace(name: string, x: TypedArray, out: TypedArray): boolean {
  if (!(x instanceof Float32Array)) return false;
  const arena = arenaOfArray(out);
  if (arena === undefined || arenaOfArray(x) !== arena) return false;
  let fn = arena.unaryFns.get(name) as UnaryLoopFn | undefined;
  if (fn === undefined && !arena.unaryFns.has(name)) arena.unaryFns.set(name, (fn = arena.exports[`u_${name}`] as UnaryLoopFn | undefined));
  if (fn === undefined) return false;
  fn(x.byteOffset, out.byteOffset, Math.ceil(out.length / 4));
  return true;
}

/**
 * out = f(a, b) for the layouts of `broadcastLayout` (collapsed shape and
 * element strides) that are one contiguous run, a scalar against a run, or
 * rows against a row vector or a column: [n] with strides (1, 1), (1, 0),
 * (0, 1); [rows, n] with (n, 1) against (0, 1) or (1, 0), either way round,
 * all rows in one call.
 */
export function simdBinary(
  name: string, a: TypedArray, b: TypedArray, out: TypedArray,
  shape: readonly number[], sa: readonly number[], sb: readonly number[],
): boolean {
  if (!(a instanceof Float32Array) || !(b instanceof Float32Array)) return false;
  const arena = arenaOfArray(out);
  if (arena === undefined) return false;
  const ex = binaryTable(arena, name);
  // No closures here: this runs once per op, and small ops are dominated by such overheads.
  if (shape.length === 1) {
    const v = Math.ceil(shape[0]! / 4);
    if (sa[0] === 1 && sb[0] === 1) {
      if (arenaOfArray(a) !== arena || arenaOfArray(b) !== arena) return false;
      return call(ex.vv, a.byteOffset, b.byteOffset, out.byteOffset, v);
    }
    if (sa[0] === 1 && sb[0] === 0) return arenaOfArray(a) === arena && call(ex.vs, a.byteOffset, out.byteOffset, v, b[0]!);
    if (sa[0] === 0 && sb[0] === 1) return arenaOfArray(b) === arena && call(ex.sv, b.byteOffset, out.byteOffset, v, a[0]!);
    return false;
  }
  if (shape.length !== 2) return false;
  const rows = shape[0]!, n = shape[1]!;
  const fullA = sa[0] === n && sa[1] === 1, fullB = sb[0] === n && sb[1] === 1;
  const rowA = sa[0] === 0 && sa[1] === 1, rowB = sb[0] === 0 && sb[1] === 1;
  const colA = sa[0] === 1 && sa[1] === 0, colB = sb[0] === 1 && sb[1] === 0;
  const suffix = fullA ? (rowB ? 'fr' : colB ? 'fc' : '') : fullB ? (rowA ? 'rf' : colA ? 'cf' : '') : '';
  if (suffix === '' || arenaOfArray(a) !== arena || arenaOfArray(b) !== arena) return false;
  const fn = ex[suffix];
  if (fn === undefined) return false;
  // The last row's partial vector runs past the matrix: only into its blocks' slack.
  const v = Math.ceil(n / 4), end = ((rows - 1) * n + 4 * v) * 4;
  if (end > blockBytes(out) || end > blockBytes(fullA ? a : b)) return false;
  fn(a.byteOffset, b.byteOffset, out.byteOffset, rows, v, n * 4);
  return true;
}

/** out = f(a, b) for a, b and out of one length, all float32 in one arena: `simdBinary`'s [n], (1, 1) case without its arrays. */
export function simdBinarySame(name: string, a: TypedArray, b: TypedArray, out: TypedArray): boolean {
  if (!(a instanceof Float32Array) || !(b instanceof Float32Array)) return false;
  const arena = arenaOfArray(out);
  if (arena === undefined || arenaOfArray(a) !== arena || arenaOfArray(b) !== arena) return false;
  return call(binaryTable(arena, name).vv, a.byteOffset, b.byteOffset, out.byteOffset, (out.length + 3) >> 2);
}

/** An op's binary loops in one arena, by layout. */
interface BinaryTable {
  readonly vv?: BinaryLoopFn;
  readonly vs?: BinaryLoopFn;
  readonly sv?: BinaryLoopFn;
  readonly fr?: RowsLoopFn;
  readonly rf?: RowsLoopFn;
  readonly fc?: RowsLoopFn;
  readonly cf?: RowsLoopFn;
}

function binaryTable(arena: Arena, name: string): BinaryTable {
  let t = arena.binaryFns.get(name) as BinaryTable | undefined;
  if (t === undefined) {
    const ex = arena.exports;
    const get = <F>(layout: string) => ex[`b_${name}_${layout}`] as F | undefined;
    t = {
      vv: get('vv'), vs: get('vs'), sv: get('sv'),
      fr: get('fr'), rf: get('rf'), fc: get('fc'), cf: get('cf'),
    };
    arena.binaryFns.set(name, t);
  }
  return t;
}

/**
 * The module function `name` of the arena holding `out`, where every array in
 * `ins` is float32 in that same arena; undefined otherwise (or where the
 * function was not registered). Arguments are byte offsets and counts.
 */
export function arenaKernel(name: string, out: TypedArray, ins: readonly TypedArray[]): ((...args: number[]) => void) | undefined {
  const arena = arenaOfArray(out);
  if (arena === undefined) return undefined;
  for (const x of ins) if (!(x instanceof Float32Array) || arenaOfArray(x) !== arena) return undefined;
  return arena.exports[name] as ((...args: number[]) => void) | undefined;
}

function call(fn: unknown, p0: number, p1: number, p2: number, n: number): boolean {
  if (fn === undefined) return false;
  (fn as BinaryLoopFn)(p0, p1, p2, n);
  return true;
}
