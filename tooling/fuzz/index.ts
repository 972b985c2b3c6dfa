import fc from 'fast-check';

/** fast-check itself, for packages that build their own arbitraries. */
export { fc };

/**
 * One edit of a valid file. Offsets are taken modulo the file's length, so
 * every mutation applies to every file. The kinds cover what corrupts files
 * in practice: flipped bits, overwritten bytes and 32-bit words (lengths and
 * dimensions in headers), truncation, insertion, deletion and duplication.
 */
export type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set'; readonly at: number; readonly value: number }
  | { readonly kind: 'word'; readonly at: number; readonly value: number; readonly littleEndian: boolean }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly length: number };

const at = fc.nat({ max: 1 << 30 });
const byte = fc.integer({ min: 0, max: 255 });
// Words worth trying in a header: extremes, powers of two, and small counts.
const word = fc.oneof(fc.constantFrom(0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 1 << 16, 1 << 24), fc.nat({ max: 0xffffffff }), fc.nat({ max: 64 }));

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at, value: byte }),
  fc.record({ kind: fc.constant('word' as const), at, value: word, littleEndian: fc.boolean() }),
  fc.record({ kind: fc.constant('truncate' as const), at }),
  fc.record({ kind: fc.constant('insert' as const), at, bytes: fc.array(byte, { minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at, length: fc.integer({ min: 1, max: 64 }) }),
);

/** `bytes` with the mutations applied in order (a new array; the input is not changed). */
export function applyMutations(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b: Uint8Array = Uint8Array.from(bytes);
  for (const m of mutations) {
    const n = b.length;
    const p = n === 0 ? 0 : m.at % n;
    switch (m.kind) {
      case 'flip': if (n > 0) b[p]! ^= 1 << m.bit; break;
      case 'set': if (n > 0) b[p] = m.value; break;
      case 'word': {
        if (n < 4) break;
        const q = m.at % (n - 3);
        new DataView(b.buffer).setUint32(q, m.value >>> 0, m.littleEndian);
        break;
      }
      case 'truncate': b = b.slice(0, p); break;
      case 'insert': b = concat(b.subarray(0, p), Uint8Array.from(m.bytes), b.subarray(p)); break;
      case 'delete': b = concat(b.subarray(0, p), b.subarray(Math.min(n, p + m.length))); break;
      case 'duplicate': b = concat(b.subarray(0, p), b.subarray(p, p + m.length), b.subarray(p)); break;
    }
  }
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A valid file from `seeds` with one to four mutations. */
export function mutatedFile(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([i, ms]) => applyMutations(seeds[i]!, ms));
}

/**
 * Runs and seed: a bounded, seeded run by default (CI), a longer one with
 * RHEO_FUZZ_RUNS (e.g. 200000) and another stream with RHEO_FUZZ_SEED.
 */
export const FUZZ = {
  runs: Number(process.env.RHEO_FUZZ_RUNS ?? 2000),
  seed: Number(process.env.RHEO_FUZZ_SEED ?? 15),
} as const;

export interface FuzzCounts {
  readonly runs: number;
  /** Inputs parsed (and checked as a correct parse). */
  readonly parsed: number;
  /** Inputs refused with an expected error. */
  readonly refused: number;
}

/**
 * The property of every parser: for each generated input, `parse` either
 * returns a value that `check` accepts (a correct parse, no larger than the
 * input allows) or throws an error `expected` accepts (a RheoError with a
 * one-line message); any other exception, or a single input taking longer
 * than `maxMs`, fails the run with fast-check's shrunk counterexample.
 */
export function fuzzParser<I, T>(
  input: fc.Arbitrary<I>, parse: (input: I) => T, check: (input: I, out: T) => void, expected: (err: unknown) => boolean, maxMs = 2000,
): FuzzCounts {
  let parsed = 0;
  let refused = 0;
  fc.assert(
    fc.property(input, (x) => {
      const t0 = performance.now();
      let out: T;
      try {
        out = parse(x);
      } catch (err) {
        if (!expected(err)) throw err;
        if (/\n/.test((err as Error).message)) throw new Error(`the error message spans lines: ${(err as Error).message}`);
        refused++;
        return;
      } finally {
        const ms = performance.now() - t0;
        if (ms > maxMs) throw new Error(`one input took ${ms.toFixed(0)} ms (limit ${maxMs} ms)`);
      }
      check(x, out);
      parsed++;
    }),
    { numRuns: FUZZ.runs, seed: FUZZ.seed },
  );
  return { runs: FUZZ.runs, parsed, refused };
}
