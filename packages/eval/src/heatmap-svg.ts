import type { Grid2d } from './density-grid.js';
import { plotFrame, svgDocument } from './plot-frame.js';
import { coord, escapeXml } from './svg-text.js';

/**
 * Options of `heatmapSvg`: title, axis labels, size, and whether the values are log-densities
 * (shown as exp(v − max v)).
 */
export interface HeatmapSvgOptions {
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Values are log-densities (from `densityGrid`): shown as exp(v − max v). Default false (densities, shown as v / max v). */
  readonly log?: boolean;
  readonly width?: number;
  readonly height?: number;
}

/** Stops of a dark-to-light sequential colour ramp (sampled from viridis, van der Walt & Smith 2015). */
const RAMP = [
  [68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37],
] as const;

/** Colour of t ∈ [0, 1] by linear interpolation between the ramp's stops, as #rrggbb. */
export function rampColor(t: number): string {
  const u = Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t)) * (RAMP.length - 1);
  const k = Math.min(RAMP.length - 2, Math.floor(u));
  const f = u - k;
  const c = RAMP[k]!.map((a, i) => Math.round(a + f * (RAMP[k + 1]![i]! - a)));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Heatmap of a grid, one rect per cell, normalised to its maximum so that
 * densities of different scales compare by shape, in 32 colour levels. Runs
 * of equal colour in a row merge into one rect to keep the file small.
 */
export function heatmapSvg(grid: Grid2d, o: HeatmapSvgOptions = {}): string {
  const width = o.width ?? 480;
  const height = o.height ?? 480;
  const f = plotFrame({ width, height, title: o.title, xLabel: o.xLabel, yLabel: o.yLabel, x: grid.xRange, y: grid.yRange });
  let max = -Infinity;
  for (const v of grid.values) if (v > max) max = v;
  // 32 colour levels: finer steps are invisible on the ramp, and coarser ones merge into longer runs.
  const t = (v: number) => Math.round((o.log ? Math.exp(v - max) : max > 0 ? v / max : 0) * 31) / 31;
  const [x0, x1] = grid.xRange;
  const [y0, y1] = grid.yRange;
  const cx = (i: number) => f.sx(x0 + (i * (x1 - x0)) / grid.nx);
  const cy = (j: number) => f.sy(y0 + (j * (y1 - y0)) / grid.ny);
  const rects: string[] = [];
  for (let j = 0; j < grid.ny; j++) {
    for (let i = 0; i < grid.nx; ) {
      const color = rampColor(t(grid.values[j * grid.nx + i]!));
      let e = i + 1;
      while (e < grid.nx && rampColor(t(grid.values[j * grid.nx + e]!)) === color) e++;
      const xa = cx(i);
      const ya = cy(j + 1);
      rects.push(`<rect x="${coord(xa)}" y="${coord(ya)}" width="${coord(cx(e) - xa + 0.3)}" height="${coord(cy(j) - ya + 0.3)}" fill="${color}"/>`);
      i = e;
    }
  }
  const label = o.log ? 'exp(log p − max)' : 'p / max';
  return svgDocument(width, height, `<g shape-rendering="crispEdges">${rects.join('')}</g>${f.chrome}<text x="${f.right}" y="${height - 8}" text-anchor="end" fill="#666">${escapeXml(label)}</text>`);
}
