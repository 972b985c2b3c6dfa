import { deflateSync } from 'node:zlib';

// CRC-32 of the PNG spec (ISO/IEC 15948, annex D): polynomial 0xEDB88320, reflected.
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(Buffer.from(type, 'latin1'), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** An 8-bit greyscale PNG (colour type 0, filter 0 on every row) of width×height pixels. */
export function encodePng(pixels: Uint8Array, width: number, height: number): Uint8Array {
  const raw = new Uint8Array(height * (width + 1));
  for (let r = 0; r < height; r++) raw.set(pixels.subarray(r * width, (r + 1) * width), r * (width + 1) + 1);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 0, 0, 0, 0], 8);
  const parts = [Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/**
 * Images (rows of side×side values in [0, 1]) tiled cols per row with a
 * 1-pixel dark border, each pixel scaled up `zoom` times.
 */
export function imageGrid(images: Float32Array, side: number, count: number, cols: number, zoom = 2): Uint8Array {
  const rows = Math.ceil(count / cols);
  const tile = side * zoom + 1;
  const width = cols * tile + 1;
  const height = rows * tile + 1;
  const px = new Uint8Array(width * height).fill(40);
  for (let k = 0; k < count; k++) {
    const ox = (k % cols) * tile + 1;
    const oy = Math.floor(k / cols) * tile + 1;
    for (let y = 0; y < side * zoom; y++) {
      for (let x = 0; x < side * zoom; x++) {
        const v = images[k * side * side + Math.floor(y / zoom) * side + Math.floor(x / zoom)]!;
        px[(oy + y) * width + ox + x] = Math.round(255 * Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)));
      }
    }
  }
  return encodePng(px, width, height);
}
