import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng, imageGrid } from './png.js';

describe('png', () => {
  it('crc32 matches the standard check value', () => {
    // The CRC-32 check value of "123456789" is 0xCBF43926 (ISO 3309 / PNG spec).
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
  it('encodes a decodable greyscale image', () => {
    const png = encodePng(Uint8Array.of(0, 255, 10, 20, 30, 40), 3, 2);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    expect(view.getUint32(16)).toBe(3);
    expect(view.getUint32(20)).toBe(2);
    const idatLen = view.getUint32(33);
    expect(Buffer.from(png.subarray(37, 41)).toString('latin1')).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLen));
    expect([...raw]).toEqual([0, 0, 255, 10, 0, 20, 30, 40]);
  });
  it('tiles images with borders', () => {
    const png = imageGrid(new Float32Array(2 * 4).fill(1), 2, 2, 2, 1);
    const view = new DataView(png.buffer, png.byteOffset);
    expect(view.getUint32(16)).toBe(2 * 3 + 1);
    expect(view.getUint32(20)).toBe(3 + 1);
  });
});
