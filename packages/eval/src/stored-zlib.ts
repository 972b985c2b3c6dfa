import { adler32 } from './adler32.js';

/** Largest payload of a stored deflate block (its LEN field is 16 bits). */
const MAX_BLOCK = 65535;

/**
 * A zlib stream (RFC 1950) holding `bytes` in uncompressed "stored" deflate
 * blocks (RFC 1951 §3.2.4): header 0x78 0x01, then per block a byte with
 * BFINAL and BTYPE = 00, LEN and its one's complement NLEN (little-endian),
 * the raw bytes; then the Adler-32 of the data, big-endian. Any inflater reads
 * it, with no compression code needed in the browser entry point.
 */
export function storedZlib(bytes: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(bytes.length / MAX_BLOCK));
  const out = new Uint8Array(2 + blocks * 5 + bytes.length + 4);
  out[0] = 0x78;
  out[1] = 0x01; // (0x78·256 + 0x01) % 31 = 0, as the header check requires
  let p = 2;
  for (let b = 0; b < blocks; b++) {
    const start = b * MAX_BLOCK;
    const len = Math.min(MAX_BLOCK, bytes.length - start);
    out[p++] = b === blocks - 1 ? 1 : 0;
    out[p++] = len & 0xff;
    out[p++] = len >>> 8;
    out[p++] = ~len & 0xff;
    out[p++] = (~len >>> 8) & 0xff;
    out.set(bytes.subarray(start, start + len), p);
    p += len;
  }
  const a = adler32(bytes);
  out[p++] = a >>> 24;
  out[p++] = (a >>> 16) & 0xff;
  out[p++] = (a >>> 8) & 0xff;
  out[p] = a & 0xff;
  return out;
}
