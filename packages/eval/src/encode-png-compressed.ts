import { deflateSync } from 'node:zlib';
import { encodePng } from './encode-png.js';
import type { GrayImage } from './gray-image.js';

/**
 * A PNG whose IDAT is compressed by `node:zlib` at the highest level: a
 * 28×28 MNIST grid is mostly flat background, which deflate shrinks several
 * times over the stored form of the pure entry point.
 */
export function encodePngCompressed(image: GrayImage): Uint8Array {
  return encodePng(image, { zlib: (bytes) => new Uint8Array(deflateSync(bytes, { level: 9 })) });
}
