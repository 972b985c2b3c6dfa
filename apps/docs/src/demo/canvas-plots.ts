import { rampColor } from '@rheo/eval';

/** The square shown, in data units, as [x0, x1] and [y0, y1]. */
export interface View {
  readonly xRange: readonly [number, number];
  readonly yRange: readonly [number, number];
}

const RAMP_LEVELS = 256;
const ramp: [number, number, number][] = Array.from({ length: RAMP_LEVELS }, (_, i) => {
  const hex = rampColor(i / (RAMP_LEVELS - 1));
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
});

/**
 * A grid of cell values as a heat map filling the canvas: log-densities are
 * shown as exp(v − max v), densities as v / max v, so shapes compare across
 * scales. Cell (i, j) is column i from the left, row j from the bottom.
 */
export function drawHeatmap(ctx: CanvasRenderingContext2D, values: ArrayLike<number>, n: number, log: boolean): void {
  let top = -Infinity;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!) && values[i]! > top) top = values[i]!;
  const image = ctx.createImageData(n, n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const v = values[j * n + i]!;
      const t = !Number.isFinite(v) ? 0 : log ? Math.exp(v - top) : top > 0 ? v / top : 0;
      const [r, g, b] = ramp[Math.min(RAMP_LEVELS - 1, Math.max(0, Math.round(t * (RAMP_LEVELS - 1))))]!;
      const p = 4 * ((n - 1 - j) * n + i);
      image.data[p] = r; image.data[p + 1] = g; image.data[p + 2] = b; image.data[p + 3] = 255;
    }
  }
  // Draw at grid size, then scale up without smoothing: one square per cell.
  const cells = document.createElement('canvas');
  cells.width = n; cells.height = n;
  cells.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(cells, 0, 0, ctx.canvas.width, ctx.canvas.height);
}

/** Points (interleaved x, y) as dots of one colour over what is already drawn. */
export function drawPoints(ctx: CanvasRenderingContext2D, xy: ArrayLike<number>, view: View, color: string, radius = 1.6): void {
  const { width, height } = ctx.canvas;
  const [x0, x1] = view.xRange;
  const [y0, y1] = view.yRange;
  ctx.fillStyle = color;
  for (let r = 0; 2 * r + 1 < xy.length; r++) {
    const px = ((xy[2 * r]! - x0) / (x1 - x0)) * width;
    const py = (1 - (xy[2 * r + 1]! - y0) / (y1 - y0)) * height;
    if (px < 0 || px > width || py < 0 || py > height) continue;
    ctx.fillRect(px - radius, py - radius, 2 * radius, 2 * radius);
  }
}

/** Clears the canvas to a background colour. */
export function clearCanvas(ctx: CanvasRenderingContext2D, color: string): void {
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
}
