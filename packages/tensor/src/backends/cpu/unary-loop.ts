import { type FunctionSpec, I32, op, V128 } from './wasm-emitter.js';
import { type Code, ConstPool, simdOp } from './simd-code.js';

/**
 * The loops around the vector bodies of the unary kernels (wasm-unary.ts,
 * wasm-log.ts): fn(src, dst, n) over n >= 1 16-byte vectors, with a function
 * layout that every body shares: params src, dst, n (i32); the input vector
 * in local X and six scratch vectors Y, K, R, A, T, U; a guard vector G; three
 * i32 copies of the params; then the constants (simd-code.ts's ConstPool).
 */
export const X = 3, Y = 4, K = 5, R = 6, A = 7, T = 8, U = 9;
const G = 10, SAVED = 11;
const FIRST_CONST = SAVED + 3;

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

/** The function `name`: the pool's constants set once, then `code`. */
function withConsts(name: string, c: ConstPool, code: Code): FunctionSpec {
  return { name, params: [I32, I32, I32], locals: [[8, V128], [3, I32], [c.count, V128]], body: [...c.prologue(), ...code] };
}

/** fn(src, dst, n) applying `body` (code of local X, scratch locals free) to each vector. */
export function plainLoop(name: string, c: ConstPool, body: Code): FunctionSpec {
  return withConsts(name, c, loop(c, body));
}

/**
 * The narrow loop over everything, then, where the guard failed for some
 * vector, the wide loop over everything again: one pass for the data flows
 * see, and the bits of the wide loop alone wherever the narrow body is exact
 * to it on the inputs its guard admits.
 */
export function guardedLoop(name: string, c: ConstPool, narrow: Code, wide: Code, guard: NarrowGuard): FunctionSpec {
  return withConsts(name, c, [
    ...[0, 1, 2].flatMap((p) => [...op.localGet(p), ...op.localSet(SAVED + p)]),
    ...loop(c, narrow, guard),
    ...op.localGet(G), ...c.i32(guard.limit), ...simdOp.i32x4GtU, ...simdOp.v128AnyTrue, ...simdOp.if,
    ...[0, 1, 2].flatMap((p) => [...op.localGet(SAVED + p), ...op.localSet(p)]),
    ...loop(c, wide),
    ...op.end,
  ]);
}
