/** Table of the reflected CRC-32 polynomial 0xEDB88320 (ISO 3309, as used by PNG and zlib). */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32 (PNG spec, W3C 2003, Annex D): register starts at 0xFFFFFFFF, is
 * updated a byte at a time through the table, and is complemented at the end.
 * `crc` continues a running value, so chunk type and data can be fed in turn.
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = (crc ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
