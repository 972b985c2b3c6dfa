import { emitModule, I32, lazyKernels, op, uleb, V128, type FunctionSpec } from './wasm-emitter.js';
import type { Code } from './simd-code.js';
import { simdOp } from './simd-code.js';
import { THREEFRY_PARITY, THREEFRY_ROTATIONS } from '../../random/threefry.js';

/**
 * Threefry-2x32-20 (random/threefry.ts) in WebAssembly SIMD: eight counters
 * per iteration, two vectors of four run side by side so that one chain's
 * latency hides the other's. Integer adds, rotates and xors only, so the words
 * are those of the JavaScript function, bit for bit.
 *
 * Functions (k0, k1, j0, iterations, dst): counters j0 … j0 + 8·iterations − 1
 * (second counter word 0), output in stream order (word 0 of counter j, then
 * word 1) from byte dst. `words` stores the 32-bit words; `uniform` stores
 * (word >>> 8)·2^-24 as float32, the uniform floats in [0, 1).
 */

const shuffle = (lanes: readonly number[]): Code => [0xfd, ...uleb(0x0d), ...lanes];
/** i32 lanes 0, 1 of a and b interleaved: a0 b0 a1 b1. */
const LOW = shuffle([0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23]);
/** i32 lanes 2, 3 of a and b interleaved: a2 b2 a3 b3. */
const HIGH = shuffle([8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31]);
const i32x4Splat = [0xfd, ...uleb(0x11)];
const i32x4ShrU = [0xfd, ...uleb(0xad)];
const v128Xor = [0xfd, ...uleb(0x51)];
const i32Xor = [0x73];
/** A constant vector of four i32 lanes. */
const lanes = (v: readonly number[]): Code => [0xfd, ...uleb(12), ...new Uint8Array(new Int32Array(v).buffer)];

// Parameters.
const K0 = 0, K1 = 1, J0 = 2, ITERS = 3, DST = 4;
// v128 locals: the key schedule, the injections kb + s of rounds 4, 8, …, 20, counters, two states.
const KS = 5; // KS, KS + 1, KS + 2
const INJ = 8; // INJ + s − 1 for s = 1..5
const CTR = 13, EIGHT = 14, A0 = 15, A1 = 16, B0 = 17, B1 = 18;
const VECTOR_LOCALS = B1 - KS + 1;

function rounds(): Code {
  const code: Code = [];
  for (let i = 0; i < 20; i++) {
    const r = THREEFRY_ROTATIONS[i & 7]!;
    for (const [x0, x1] of [[A0, A1], [B0, B1]] as const) {
      code.push(
        ...op.localGet(x0), ...op.localGet(x1), ...op.i32x4Add, ...op.localSet(x0),
        ...op.localGet(x1), ...op.i32Const(r), ...op.i32x4Shl, ...op.localGet(x1), ...op.i32Const(32 - r), ...i32x4ShrU, ...op.v128Or,
        ...op.localGet(x0), ...v128Xor, ...op.localSet(x1),
      );
    }
    if ((i & 3) === 3) {
      const s = (i + 1) >> 2;
      for (const [x0, x1] of [[A0, A1], [B0, B1]] as const) {
        code.push(
          ...op.localGet(x0), ...op.localGet(KS + (s % 3)), ...op.i32x4Add, ...op.localSet(x0),
          ...op.localGet(x1), ...op.localGet(INJ + s - 1), ...op.i32x4Add, ...op.localSet(x1),
        );
      }
    }
  }
  return code;
}

function threefryFunction(name: string, uniform: boolean): FunctionSpec {
  const toFloat: Code = uniform
    ? [...op.i32Const(8), ...i32x4ShrU, ...simdOp.f32x4ConvertI32x4S, ...op.f32x4Const(2 ** -24), ...op.f32x4Mul]
    : [];
  const store = (x0: number, x1: number, offset: number): Code => [
    ...op.localGet(DST), ...op.localGet(x0), ...op.localGet(x1), ...LOW, ...toFloat, ...op.v128Store(offset),
    ...op.localGet(DST), ...op.localGet(x0), ...op.localGet(x1), ...HIGH, ...toFloat, ...op.v128Store(offset + 16),
  ];
  const splat = (code: Code): Code => [...code, ...i32x4Splat];
  const ks2: Code = [...op.i32Const(THREEFRY_PARITY), ...op.localGet(K0), ...i32Xor, ...op.localGet(K1), ...i32Xor];
  const keyWord = (j: number): Code => (j === 0 ? op.localGet(K0) : j === 1 ? op.localGet(K1) : ks2);
  const body: Code = [
    ...splat(op.localGet(K0)), ...op.localSet(KS),
    ...splat(op.localGet(K1)), ...op.localSet(KS + 1),
    ...splat(ks2), ...op.localSet(KS + 2),
    ...[1, 2, 3, 4, 5].flatMap((s) => [...splat([...keyWord((s + 1) % 3), ...op.i32Const(s), ...op.i32Add]), ...op.localSet(INJ + s - 1)]),
    // Counters j0 + 0..3 (state A) and j0 + 4..7 (state B).
    ...splat(op.localGet(J0)), ...lanes([0, 1, 2, 3]), ...op.i32x4Add, ...op.localSet(CTR),
    ...op.i32x4Const(8), ...op.localSet(EIGHT),
    ...op.block, ...op.loop,
    ...op.localGet(ITERS), ...op.i32Eqz, ...op.brIf(1),
    ...op.localGet(CTR), ...op.localGet(KS), ...op.i32x4Add, ...op.localSet(A0),
    ...op.localGet(KS + 1), ...op.localSet(A1),
    ...op.localGet(CTR), ...op.i32x4Const(4), ...op.i32x4Add, ...op.localGet(KS), ...op.i32x4Add, ...op.localSet(B0),
    ...op.localGet(KS + 1), ...op.localSet(B1),
    ...rounds(),
    ...store(A0, A1, 0), ...store(B0, B1, 32),
    ...op.localGet(CTR), ...op.localGet(EIGHT), ...op.i32x4Add, ...op.localSet(CTR),
    ...op.localGet(DST), ...op.i32Const(64), ...op.i32Add, ...op.localSet(DST),
    ...op.localGet(ITERS), ...op.i32Const(1), ...op.i32Sub, ...op.localSet(ITERS),
    ...op.br(0),
    ...op.end, ...op.end,
  ];
  return { name, params: [I32, I32, I32, I32, I32], locals: [[VECTOR_LOCALS, V128]], body };
}

const moduleBytes = emitModule([threefryFunction('words', false), threefryFunction('uniform', true)], 1);

interface ThreefryKernels {
  readonly memory: WebAssembly.Memory;
  readonly words: (k0: number, k1: number, j0: number, iterations: number, dst: number) => void;
  readonly uniform: (k0: number, k1: number, j0: number, iterations: number, dst: number) => void;
}

const threefryKernels = lazyKernels<ThreefryKernels>(moduleBytes);

// Words per call: the module's one 64 KiB page.
const CHUNK = 16384;

/**
 * The first n words of the key's stream (threefryStream's order) into out, as
 * raw words (`out` a Uint32Array) or as uniform floats (a Float32Array).
 * Returns false, touching nothing, without WebAssembly SIMD.
 */
export function simdThreefry(k0: number, k1: number, out: Uint32Array | Float32Array, n: number): boolean {
  const k = threefryKernels();
  if (k === null) return false;
  const view = out instanceof Float32Array ? new Float32Array(k.memory.buffer, 0, CHUNK) : new Uint32Array(k.memory.buffer, 0, CHUNK);
  const fn = out instanceof Float32Array ? k.uniform : k.words;
  for (let i = 0; i < n; i += CHUNK) {
    const m = Math.min(CHUNK, n - i);
    // Word i is word (i mod 2) of counter i / 2; each iteration makes 16 words.
    fn(k0 | 0, k1 | 0, i / 2, Math.ceil(m / 16), 0);
    out.set(view.subarray(0, m) as never, i);
  }
  return true;
}
