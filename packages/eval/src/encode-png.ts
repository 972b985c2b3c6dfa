import { crc32 } from './crc32.js';
import { checkGrayImage, type GrayImage } from './gray-image.js';
import { storedZlib } from './stored-zlib.js';

/**
 * Options of `encodePng`: the zlib compressor (RFC 1950) of the scanlines; without one the PNG
 * holds stored, uncompressed blocks.
 */
export interface EncodePngOptions {
  /**
   * Compresses the filtered scanlines into a zlib stream (RFC 1950). Default:
   * stored blocks, no compression. `@rheo/eval/node` passes `node:zlib`'s
   * deflateSync.
   */
  readonly zlib?: (bytes: Uint8Array) => Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(ascii(type), 4);
  out.set(data, 8);
  // The CRC covers the chunk type and data, not the length.
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * An 8-bit grayscale PNG (W3C PNG spec, 2nd ed. 2003): signature, IHDR
 * (colour type 0, bit depth 8, no interlace), one IDAT holding the zlib
 * stream of the scanlines each prefixed with filter type 0 (None), IEND.
 */
export function encodePng(image: GrayImage, options: EncodePngOptions = {}): Uint8Array {
  const { width, height, data } = checkGrayImage(image, 'encodePng(image)');
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  // compression 0 (deflate), filter method 0, interlace 0: already zero
  const raw = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const idat = (options.zlib ?? storedZlib)(raw);
  const parts = [Uint8Array.from(SIGNATURE), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}
