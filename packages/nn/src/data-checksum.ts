/** The `__metadata__` key under which rheo stores the checksum of a safetensors file's data section. */
export const DATA_CHECKSUM_KEY = 'rheo.data_crc32';

// Reflected CRC-32 table, polynomial 0xEDB88320 (ISO 3309; the zlib and PNG checksum).
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32 of `bytes` as 8 lowercase hex digits: register starts at all ones,
 * one table step per byte, complemented at the end (ISO 3309). It detects
 * every single-bit flip and every burst of up to 32 bits in a tensor's bytes.
 */
export function dataChecksum(chunks: readonly Uint8Array[]): string {
  let c = 0xffffffff;
  for (const bytes of chunks) for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ((c ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
}
