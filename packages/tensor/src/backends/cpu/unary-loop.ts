import { type FunctionSpec, I32, op, V128 } from './wasm-emitter.js';
import { type Code, ConstPool, simdOp } from './simd-code.js';
import { interleave, renameLocals } from './interleave.js';
import { RheoError } from '../../errors.js';

/**
 * The loops around the vector bodies of the unary kernels (wasm-unary.ts,
 * wasm-log.ts): fn(src, dst, n) over n >= 1 16-byte vectors, with a function
 * layout that every body shares: params src, dst, n (i32); the input vector
 * in local X and six scratch vectors Y, K, R, A, T, U, then the same seven
 * again for up to three more vectors (interleave.ts); a guard vector G; three
 * i32 copies of the params and a count; then the constants (simd-code.ts's ConstPool).
 */
export const X = 3, Y = 4, K = 5, R = 6, A = 7, T = 8, U = 9;
/** Vectors a group loop takes per iteration at most; copy i of the body uses locals X + i·SCRATCH … U + i·SCRATCH. */
const MAX_COPIES = 4, SCRATCH = 7;
const G = X + MAX_COPIES * SCRATCH, SAVED = G + 1, COUNT = SAVED + 3;
const FIRST_CONST = COUNT + 1;

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
 * Like `loop`, `copies` vectors per iteration (at most MAX_COPIES) with the
 * body's statements interleaved, copy i on locals X + i·SCRATCH …, while
 * that many remain; then the rest one at a time.
 */
function groupLoop(c: ConstPool, body: Code, copies: number, guard?: NarrowGuard): Code {
  if (!(Number.isInteger(copies) && copies >= 1 && copies <= MAX_COPIES)) {
    throw new RheoError(`groupLoop(copies): copies is ${copies}; expected an integer from 1 to ${MAX_COPIES}`);
  }
  const [src, dst, n] = [0, 1, 2];
  const shift = (i: number) => (l: number) => (l >= X && l <= U ? l + i * SCRATCH : l);
  const track = (x: number) => (guard ? [...op.localGet(G), ...renameLocals(guard.value(c), (l) => (l === X ? x : l)), ...simdOp.i32x4MaxU, ...op.localSet(G)] : []);
  const a = [...body, ...op.localSet(X)];
  const ids = Array.from({ length: copies }, (_, i) => i);
  const bump = (vectors: number) => [
    ...op.localGet(src), ...op.i32Const(16 * vectors), ...op.i32Add, ...op.localSet(src),
    ...op.localGet(dst), ...op.i32Const(16 * vectors), ...op.i32Add, ...op.localSet(dst),
    ...op.localGet(n), ...op.i32Const(vectors), ...op.i32Sub, ...op.localSet(n),
  ];
  return [
    ...op.block, ...op.loop,
    ...op.localGet(n), ...op.i32Const(copies), ...op.i32LtU, ...op.brIf(1),
    ...ids.flatMap((i) => [...op.localGet(src), ...op.v128Load(16 * i), ...op.localSet(X + i * SCRATCH)]),
    ...ids.flatMap((i) => track(X + i * SCRATCH)),
    ...interleave(...ids.map((i) => renameLocals(a, shift(i)))),
    ...ids.flatMap((i) => [...op.localGet(dst), ...op.localGet(X + i * SCRATCH), ...op.v128Store(16 * i)]),
    ...bump(copies),
    ...op.br(0), ...op.end, ...op.end,
    ...op.block, ...op.loop,
    ...op.localGet(n), ...op.i32Eqz, ...op.brIf(1),
    ...op.localGet(src), ...op.v128Load(0), ...op.localSet(X),
    ...track(X),
    ...op.localGet(dst), ...body, ...op.v128Store(0),
    ...bump(1),
    ...op.br(0), ...op.end, ...op.end,
  ];
}

/** The function `name`: the pool's constants set once, then `code`. */
function withConsts(name: string, c: ConstPool, code: Code): FunctionSpec {
  return { name, params: [I32, I32, I32], locals: [[MAX_COPIES * SCRATCH + 1, V128], [4, I32], [c.count, V128]], body: [...c.prologue(), ...code] };
}

/**
 * fn(src, dst, n) applying `body` (code of local X, scratch locals free) to
 * each vector; with `copies` > 1, that many vectors at a time (`groupLoop`:
 * only for bodies of local.get/set, i32.const and SIMD arithmetic).
 */
export function plainLoop(name: string, c: ConstPool, body: Code, copies = 1): FunctionSpec {
  return withConsts(name, c, copies === 1 ? loop(c, body) : groupLoop(c, body, copies));
}

/**
 * The narrow loop (`copies` vectors at a time) over everything, then, where the
 * guard failed for some vector, the wide loop over everything again: one
 * pass for the data flows see, and the bits of the wide loop alone wherever
 * the narrow body is exact to it on the inputs its guard admits.
 */
export function guardedLoop(name: string, c: ConstPool, narrow: Code, wide: Code, guard: NarrowGuard, copies: number): FunctionSpec {
  return withConsts(name, c, [
    ...[0, 1, 2].flatMap((p) => [...op.localGet(p), ...op.localSet(SAVED + p)]),
    ...groupLoop(c, narrow, copies, guard),
    ...op.localGet(G), ...c.i32(guard.limit), ...simdOp.i32x4GtU, ...simdOp.v128AnyTrue, ...simdOp.if,
    ...[0, 1, 2].flatMap((p) => [...op.localGet(SAVED + p), ...op.localSet(p)]),
    ...loop(c, wide),
    ...op.end,
  ]);
}
