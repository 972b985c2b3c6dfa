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
 * Where simdBinary returns PARTIAL: the row it left to plain code, because a
 * vector loop would write past the output's block there — offsets of a, b and
 * out, length n, and a's and b's strides along the row, in elements.
 */
export const LAST_ROW = new Int32Array(6);
/** simdBinary's results: nothing done (the caller runs its plain loop), everything, or all but LAST_ROW. */
export const NONE = 0, DONE = 1, PARTIAL = 2;

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
): number {
  if (!(a instanceof Float32Array) || !(b instanceof Float32Array)) return NONE;
  const arena = arenaOfArray(out);
  if (arena === undefined) return NONE;
  const ex = binaryTable(arena, name);
  // No closures here: this runs once per op, and small ops are dominated by such overheads.
  if (shape.length === 1) {
    const v = Math.ceil(shape[0]! / 4);
    if (sa[0] === 1 && sb[0] === 1) {
      if (arenaOfArray(a) !== arena || arenaOfArray(b) !== arena) return NONE;
      return call(ex.vv, a.byteOffset, b.byteOffset, out.byteOffset, v) ? DONE : NONE;
    }
    if (sa[0] === 1 && sb[0] === 0) return arenaOfArray(a) === arena && call(ex.vs, a.byteOffset, out.byteOffset, v, b[0]!) ? DONE : NONE;
    if (sa[0] === 0 && sb[0] === 1) return arenaOfArray(b) === arena && call(ex.sv, b.byteOffset, out.byteOffset, v, a[0]!) ? DONE : NONE;
    return NONE;
  }
  // The last two axes are one call of a row kernel; axes before them (rank 3 and up) loop here.
  const r = shape.length;
  const rows = shape[r - 2]!, n = shape[r - 1]!;
  const a0 = sa[r - 2]!, a1 = sa[r - 1]!, b0 = sb[r - 2]!, b1 = sb[r - 1]!;
  const fullA = a0 === n && a1 === 1, fullB = b0 === n && b1 === 1;
  const rowA = a0 === 0 && a1 === 1, rowB = b0 === 0 && b1 === 1;
  const colA = a0 === 1 && a1 === 0, colB = b0 === 1 && b1 === 0;
  const suffix = fullA ? (rowB ? 'fr' : colB ? 'fc' : '') : fullB ? (rowA ? 'rf' : colA ? 'cf' : '') : '';
  if (suffix === '' || arenaOfArray(a) !== arena || arenaOfArray(b) !== arena) return NONE;
  const fn = ex[suffix];
  if (fn === undefined) return NONE;
  // A block's last row's partial vector runs past the block: only into the arrays' slack at the end.
  const v = Math.ceil(n / 4), block = rows * n;
  // Bytes a loop touches from a block's start: a whole matrix with the last partial vector, or one row's vectors.
  const fullReach = ((rows - 1) * n + 4 * v) * 4, rowReach = 16 * v;
  let lastA = 0, lastB = 0, outer = 1;
  for (let d = 0; d < r - 2; d++) {
    lastA += (shape[d]! - 1) * sa[d]!;
    lastB += (shape[d]! - 1) * sb[d]!;
    outer *= shape[d]!;
  }
  // A broadcast row is read whole (all its vectors) for every row: it needs its slack.
  if ((rowA && 4 * lastA + rowReach > blockBytes(a)) || (rowB && 4 * lastB + rowReach > blockBytes(b))) return NONE;
  // The output's (and a full operand's) last row may spill past its block: that row is left to the caller.
  const spills = 4 * (outer - 1) * block + fullReach > blockBytes(out)
    || (fullA && 4 * lastA + fullReach > blockBytes(a)) || (fullB && 4 * lastB + fullReach > blockBytes(b));
  if (spills) {
    LAST_ROW[0] = lastA + (rows - 1) * a0; LAST_ROW[1] = lastB + (rows - 1) * b0; LAST_ROW[2] = (outer * rows - 1) * n;
    LAST_ROW[3] = n; LAST_ROW[4] = a1; LAST_ROW[5] = b1;
  }
  if (r === 2) {
    if (rows > (spills ? 1 : 0)) fn(a.byteOffset, b.byteOffset, out.byteOffset, spills ? rows - 1 : rows, v, n * 4);
    return spills ? PARTIAL : DONE;
  }
  const idx = new Int32Array(r - 2);
  let pa = a.byteOffset, pb = b.byteOffset, po = out.byteOffset;
  for (let q = 0; q < outer; q++) {
    const rs = spills && q === outer - 1 ? rows - 1 : rows;
    if (rs > 0) fn(pa, pb, po, rs, v, n * 4);
    po += 4 * block;
    for (let d = r - 3; d >= 0; d--) {
      idx[d]!++;
      pa += 4 * sa[d]!;
      pb += 4 * sb[d]!;
      if (idx[d]! < shape[d]!) break;
      pa -= 4 * sa[d]! * shape[d]!;
      pb -= 4 * sb[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return spills ? PARTIAL : DONE;
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
