import { crc32 as zlibCrc32, deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { adler32 } from './adler32.js';
import { crc32 } from './crc32.js';
import { encodePng } from './encode-png.js';
import { storedZlib } from './stored-zlib.js';

/** A minimal independent PNG reader: chunks with CRCs checked by node:zlib, IDAT inflated, filter bytes checked. */
function readGrayPng(png: Uint8Array): { width: number; height: number; pixels: number[]; chunks: string[] } {
  expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const buf = Buffer.from(png);
  const chunks: string[] = [];
  const idat: Buffer[] = [];
  let width = 0;
  let height = 0;
  for (let p = 8; p < buf.length; ) {
    const len = buf.readUInt32BE(p);
    const type = buf.toString('latin1', p + 4, p + 8);
    const body = buf.subarray(p + 8, p + 8 + len);
    expect(buf.readUInt32BE(p + 8 + len)).toBe(zlibCrc32(buf.subarray(p + 4, p + 8 + len)));
    chunks.push(type);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect(Array.from(body.subarray(8))).toEqual([8, 0, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(body);
    p += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe(height * (width + 1));
  const pixels: number[] = [];
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width + 1)]).toBe(0);
    pixels.push(...raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)));
  }
  return { width, height, pixels, chunks };
}

describe('PNG encoding', () => {
  it('CRC-32 matches known values and node:zlib', () => {
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37 + 11) & 0xff);
    expect(crc32(bytes)).toBe(zlibCrc32(bytes));
    expect(crc32(bytes.subarray(400), crc32(bytes.subarray(0, 400)))).toBe(zlibCrc32(bytes));
  });

  it('Adler-32 matches the RFC 1950 definition on "Wikipedia" (0x11E60398)', () => {
    expect(adler32(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398);
    expect(adler32(new Uint8Array(0))).toBe(1);
  });

  it('stored zlib streams inflate back, across the 65 535-byte block boundary', () => {
    for (const n of [0, 1, 65535, 65536, 140000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff);
      expect(Buffer.from(inflateSync(storedZlib(bytes))).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('decodes to the same pixels, stored or deflated by node:zlib', () => {
    const width = 5;
    const height = 3;
    const data = Uint8Array.from({ length: 15 }, (_, i) => (i * 17) % 256);
    for (const zlib of [undefined, (b: Uint8Array) => new Uint8Array(deflateSync(b))]) {
      const r = readGrayPng(encodePng({ width, height, data }, zlib ? { zlib } : {}));
      expect(r.chunks).toEqual(['IHDR', 'IDAT', 'IEND']);
      expect([r.width, r.height]).toEqual([5, 3]);
      expect(r.pixels).toEqual(Array.from(data));
    }
  });

  it('rejects data that does not match the dimensions', () => {
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8Array(3) })).toThrow(/4 bytes, received 3/);
  });
});
