/**
 * Threefry-2x32 with 20 rounds (Salmon et al. 2011, "Parallel random numbers:
 * as easy as 1, 2, 3"): a keyed bijection of 64-bit counters built from
 * 32-bit add, rotate and xor only, so WGSL computes the same bits as JS.
 */
/** Threefry-2x32's rotation amounts, round i using entry i mod 8. */
export const THREEFRY_ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24] as const;
/** The key schedule's third word is k0 ^ k1 ^ this constant. */
export const THREEFRY_PARITY = 0x1bd11bda;
const ROTATIONS = THREEFRY_ROTATIONS;
const PARITY = THREEFRY_PARITY;

/** Encrypts counter (c0, c1) under key (k0, k1); writes the two words to out[at], out[at + 1]. */
export function threefry2x32(k0: number, k1: number, c0: number, c1: number, out: Uint32Array | Int32Array, at: number): void {
  const ks0 = k0 >>> 0;
  const ks1 = k1 >>> 0;
  const ks2 = (PARITY ^ ks0 ^ ks1) >>> 0;
  let x0 = (c0 + ks0) >>> 0;
  let x1 = (c1 + ks1) >>> 0;
  for (let i = 0; i < 20; i++) {
    const r = ROTATIONS[i & 7]!;
    x0 = (x0 + x1) >>> 0;
    x1 = ((x1 << r) | (x1 >>> (32 - r))) >>> 0;
    x1 = (x1 ^ x0) >>> 0;
    if ((i & 3) === 3) {
      const s = (i + 1) >> 2;
      const ka = s % 3 === 0 ? ks0 : s % 3 === 1 ? ks1 : ks2;
      const kb = (s + 1) % 3 === 0 ? ks0 : (s + 1) % 3 === 1 ? ks1 : ks2;
      x0 = (x0 + ka) >>> 0;
      x1 = (x1 + kb + s) >>> 0;
    }
  }
  out[at] = x0;
  out[at + 1] = x1;
}

/**
 * The random stream of a key: word i is word (i mod 2) of
 * threefry2x32(key, (floor(i / 2), 0)).
 */
export function threefryStream(k0: number, k1: number, n: number, out: Uint32Array = new Uint32Array(n)): Uint32Array {
  const pair = new Uint32Array(2);
  for (let j = 0; 2 * j < n; j++) {
    threefry2x32(k0, k1, j, 0, pair, 0);
    out[2 * j] = pair[0]!;
    if (2 * j + 1 < n) out[2 * j + 1] = pair[1]!;
  }
  return out;
}
