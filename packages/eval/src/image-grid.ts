import { ArgumentError, ShapeError } from '@rheo/tensor';
import type { GrayImage } from './gray-image.js';
import { hostSamples, type Samples } from './samples.js';

/**
 * Options of `imageGrid`: the width and height of one image, images per row, padding, the value
 * range mapped to black and white, and the gap colour.
 */
export interface ImageGridOptions {
  /** Width and height of one image, e.g. 8×8 digits or 28×28 MNIST; each sample row has width·height values. */
  readonly width: number;
  readonly height: number;
  /** Images per grid row; default ⌈√n⌉. */
  readonly columns?: number;
  /** Gap between images in pixels; default 1. */
  readonly padding?: number;
  /** Values mapped to black and white; default [0, 1] (dequantised data). Out-of-range values are clipped. */
  readonly range?: readonly [number, number];
  /** Gray level of the gaps, 0–255; default 255 (white). */
  readonly background?: number;
}

/**
 * Tiles samples (one flattened image per row, row-major pixels) into one
 * grayscale image: pixel = round(255·clip((v − lo)/(hi − lo), 0, 1)).
 */
export function imageGrid(samples: Samples, options: ImageGridOptions): GrayImage {
  const s = hostSamples(samples, 'imageGrid(samples)');
  const { width: w, height: h } = options;
  if (!Number.isInteger(w) || w < 1 || !Number.isInteger(h) || h < 1) {
    throw new ArgumentError(`imageGrid(options): expected positive integer width and height, received ${w}×${h}`);
  }
  if (s.cols !== w * h) throw new ShapeError(`imageGrid(samples): expected ${w}·${h} = ${w * h} values per row, received ${s.cols}`);
  const n = s.rows;
  if (n < 1) throw new ArgumentError('imageGrid(samples): expected at least one image, received 0 rows');
  const cols = options.columns ?? Math.ceil(Math.sqrt(n));
  const pad = options.padding ?? 1;
  const [lo, hi] = options.range ?? [0, 1];
  const bg = options.background ?? 255;
  if (!Number.isInteger(cols) || cols < 1) throw new ArgumentError(`imageGrid(options.columns): expected a positive integer, received ${cols}`);
  if (!Number.isInteger(pad) || pad < 0) throw new ArgumentError(`imageGrid(options.padding): expected a non-negative integer, received ${pad}`);
  if (!(hi > lo)) throw new ArgumentError(`imageGrid(options.range): expected lo < hi, received [${lo}, ${hi}]`);
  if (!(Number.isInteger(bg) && bg >= 0 && bg <= 255)) throw new ArgumentError(`imageGrid(options.background): expected an integer in [0, 255], received ${bg}`);
  const rows = Math.ceil(n / cols);
  const W = cols * w + (cols + 1) * pad;
  const H = rows * h + (rows + 1) * pad;
  const data = new Uint8Array(W * H).fill(bg);
  for (let k = 0; k < n; k++) {
    const x0 = pad + (k % cols) * (w + pad);
    const y0 = pad + Math.floor(k / cols) * (h + pad);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const t = (s.data[k * s.cols + y * w + x]! - lo) / (hi - lo);
        data[(y0 + y) * W + x0 + x] = Math.round(255 * Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t)));
      }
    }
  }
  return { width: W, height: H, data };
}
