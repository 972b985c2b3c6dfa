/** Largest prime below 2¹⁶ (RFC 1950). */
const BASE = 65521;
/** Bytes that can be summed before a reduction without overflowing 2⁵³ (far more than zlib's 5552 for 32 bits). */
const CHUNK = 1 << 20;

/**
 * Adler-32 (RFC 1950 §8.2): a = 1 + Σ bytes, b = Σ running a, both mod 65521;
 * the checksum is b·2¹⁶ + a. It closes a zlib stream.
 */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; ) {
    const end = Math.min(bytes.length, i + CHUNK);
    for (; i < end; i++) {
      a += bytes[i]!;
      b += a;
    }
    a %= BASE;
    b %= BASE;
  }
  return ((b << 16) | a) >>> 0;
}
