import { op, uleb } from './wasm-emitter.js';

/**
 * ln 2 = LN2_HI + LN2_LO, the high part with 9 significant bits so that
 * k·LN2_HI is exact for |k| < 2^15 (Cody & Waite, 1980).
 */
export const LN2_HI = 0.693359375;
export const LN2_LO = -2.1219444005469057e-4;

/** Bytes of WebAssembly code. */
export type Code = number[];

/** SIMD opcodes beyond the emitter's table (fixed-width SIMD proposal numbering). */
export const simdOp = {
  f32x4Pmin: [0xfd, ...uleb(0xea)],
  f32x4Pmax: [0xfd, ...uleb(0xeb)],
  f32x4Eq: [0xfd, ...uleb(0x41)],
  f32x4Gt: [0xfd, ...uleb(0x44)],
  f32x4ConvertI32x4S: [0xfd, ...uleb(0xfa)],
  i32x4MaxU: [0xfd, ...uleb(0xb9)],
  i32x4GtU: [0xfd, ...uleb(0x3c)],
  v128AnyTrue: [0xfd, ...uleb(0x53)],
  if: [0x04, 0x40],
} as const;

/**
 * Vector constants of one function, each set once in a local before the loop
 * (`prologue`) and read from it in the loop: the loop bodies then hold no
 * instruction with a 16-byte immediate, so interleave.ts can copy and
 * interleave them by decoding only local accesses and SIMD arithmetic.
 */
export class ConstPool {
  private readonly slots = new Map<string, { index: number; code: Code }>();

  /** `first`: index of the first local the pool may use (after params and scratch locals). */
  constructor(private readonly first: number) {}

  /** local.get of a vector of four equal float32 lanes v. */
  f32(v: number): Code {
    return this.get(`f${Object.is(v, -0) ? '-0' : v}`, op.f32x4Const(v));
  }

  /** local.get of a vector of four equal int32 lanes v. */
  i32(v: number): Code {
    return this.get(`i${v | 0}`, op.i32x4Const(v));
  }

  /** How many v128 locals the pool uses. */
  get count(): number {
    return this.slots.size;
  }

  /** Sets every constant's local: run it once before the loop. */
  prologue(): Code {
    return [...this.slots.values()].flatMap((s) => [...s.code, ...op.localSet(s.index)]);
  }

  private get(key: string, code: Code): Code {
    let s = this.slots.get(key);
    if (s === undefined) this.slots.set(key, (s = { index: this.first + this.slots.size, code }));
    return op.localGet(s.index);
  }
}

/** Horner: c0 + r·(c1 + r·(c2 + …)), r in local `r`, constants from `k`. */
export function horner(k: ConstPool, coefs: readonly number[], r: number): Code {
  const code: Code = [...k.f32(coefs[coefs.length - 1]!)];
  for (let i = coefs.length - 2; i >= 0; i--) {
    code.push(...op.localGet(r), ...op.f32x4Mul, ...k.f32(coefs[i]!), ...op.f32x4Add);
  }
  return code;
}
