import { type FunctionSpec, I32, op, V128 } from './wasm-emitter.js';
import { type Code, ConstPool, simdOp } from './simd-code.js';
import { interleave, renameLocals } from './interleave.js';

/**
 * The loops around the vector bodies of the unary kernels (wasm-unary.ts,
 * wasm-log.ts): fn(src, dst, n) over n >= 1 16-byte vectors, with a function
 * layout that every body shares: params src, dst, n (i32); the input vector
 * in local X and six scratch vectors Y, K, R, A, T, U, then the same seven
 * again for a second vector (interleave.ts); a guard vector G; three i32
 * copies of the params and a pair count; then the constants (simd-code.ts's ConstPool).
 */
export const X = 3, Y = 4, K = 5, R = 6, A = 7, T = 8, U = 9;
/** The second vector's locals are the first's plus SECOND. */
const SECOND = 7;
const G = 17, SAVED = 18, PAIRS = 21;
const FIRST_CONST = PAIRS + 1;

/**
 * When a kernel's narrow body is valid: it holds for a vector when `value`
 * (code of local X, an i32x4) is at most `limit` in every lane, as unsigned
 * integers (the loop folds the lanes' maximum into one vector, two
 * instructions per vector, and tests it once at the end).
 */
export interface NarrowGuard {
  readonly value: (c: ConstPool) => Code;
  readonly limit: number;
}

/** A fresh pool for one function's constants. */
export function constPool(): ConstPool {
  return new ConstPool(FIRST_CONST);
}

function loop(c: ConstPool, body: Code, guard?: NarrowGuard): Code {
  const [src, dst, n] = [0, 1, 2];
  return [
    ...op.loop,
    ...op.localGet(src), ...op.v128Load(0), ...op.localSet(X),
    ...(guard ? [...op.localGet(G), ...guard.value(c), ...simdOp.i32x4MaxU, ...op.localSet(G)] : []),
    ...op.localGet(dst), ...body, ...op.v128Store(0),
    ...op.localGet(src), ...op.i32Const(16), ...op.i32Add, ...op.localSet(src),
    ...op.localGet(dst), ...op.i32Const(16), ...op.i32Add, ...op.localSet(dst),
    ...op.localGet(n), ...op.i32Const(1), ...op.i32Sub, ...op.localTee(n), ...op.brIf(0),
    ...op.end,
  ];
}

/**
 * Like `loop`, two vectors per iteration with the body's statements
 * interleaved (the second copy on locals X + SECOND …), then the last vector
 * alone when n is odd.
 */
function pairLoop(c: ConstPool, body: Code, guard?: NarrowGuard): Code {
  const [src, dst, n] = [0, 1, 2];
  const second = (l: number) => (l >= X && l <= U ? l + SECOND : l);
  const track = (x: number) => (guard ? [...op.localGet(G), ...renameLocals(guard.value(c), (l) => (l === X ? x : l)), ...simdOp.i32x4MaxU, ...op.localSet(G)] : []);
  const a = [...body, ...op.localSet(X)];
  return [
    ...op.block,
    ...op.localGet(n), ...op.i32Const(1), ...op.i32ShrU, ...op.localTee(PAIRS), ...op.i32Eqz, ...op.brIf(0),
    ...op.loop,
    ...op.localGet(src), ...op.v128Load(0), ...op.localSet(X),
    ...op.localGet(src), ...op.v128Load(16), ...op.localSet(X + SECOND),
    ...track(X), ...track(X + SECOND),
    ...interleave(a, renameLocals(a, second)),
    ...op.localGet(dst), ...op.localGet(X), ...op.v128Store(0),
    ...op.localGet(dst), ...op.localGet(X + SECOND), ...op.v128Store(16),
    ...op.localGet(src), ...op.i32Const(32), ...op.i32Add, ...op.localSet(src),
    ...op.localGet(dst), ...op.i32Const(32), ...op.i32Add, ...op.localSet(dst),
    ...op.localGet(PAIRS), ...op.i32Const(1), ...op.i32Sub, ...op.localTee(PAIRS), ...op.brIf(0),
    ...op.end,
    ...op.end,
    ...op.localGet(n), ...op.i32Const(1), ...op.i32And, ...simdOp.if,
    ...op.localGet(src), ...op.v128Load(0), ...op.localSet(X),
    ...track(X),
    ...op.localGet(dst), ...body, ...op.v128Store(0),
    ...op.end,
  ];
}

/** The function `name`: the pool's constants set once, then `code`. */
function withConsts(name: string, c: ConstPool, code: Code): FunctionSpec {
  return { name, params: [I32, I32, I32], locals: [[2 * SECOND + 1, V128], [4, I32], [c.count, V128]], body: [...c.prologue(), ...code] };
}

/**
 * fn(src, dst, n) applying `body` (code of local X, scratch locals free) to
 * each vector; with `pairs`, two vectors at a time (`pairLoop`: only for
 * bodies of local.get/set, i32.const and SIMD arithmetic).
 */
export function plainLoop(name: string, c: ConstPool, body: Code, pairs = false): FunctionSpec {
  return withConsts(name, c, pairs ? pairLoop(c, body) : loop(c, body));
}

/**
 * The narrow loop (two vectors at a time) over everything, then, where the
 * guard failed for some vector, the wide loop over everything again: one
 * pass for the data flows see, and the bits of the wide loop alone wherever
 * the narrow body is exact to it on the inputs its guard admits.
 */
export function guardedLoop(name: string, c: ConstPool, narrow: Code, wide: Code, guard: NarrowGuard): FunctionSpec {
  return withConsts(name, c, [
    ...[0, 1, 2].flatMap((p) => [...op.localGet(p), ...op.localSet(SAVED + p)]),
    ...pairLoop(c, narrow, guard),
    ...op.localGet(G), ...c.i32(guard.limit), ...simdOp.i32x4GtU, ...simdOp.v128AnyTrue, ...simdOp.if,
    ...[0, 1, 2].flatMap((p) => [...op.localGet(SAVED + p), ...op.localSet(p)]),
    ...loop(c, wide),
    ...op.end,
  ]);
}
