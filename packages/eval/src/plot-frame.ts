import { niceTicks } from './nice-ticks.js';
import { coord, escapeXml, tickLabel } from './svg-text.js';

export interface FrameOptions {
  readonly width: number;
  readonly height: number;
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Data bounds; widened to round ticks. */
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  /** log10 y axis: bounds and ticks are powers of ten, values are mapped through log10. */
  readonly logY?: boolean;
  /** Categorical x axis: tick labels at the given pixel-free positions 0..n−1 centred in n slots. */
  readonly xCategories?: readonly string[];
}

export interface Frame {
  /** Pixel x of a data x. */
  sx(v: number): number;
  /** Pixel y of a data y (log10 applied when logY). */
  sy(v: number): number;
  /** Axes, ticks, labels and title as SVG elements. */
  readonly chrome: string;
  /** Plot area in pixels. */
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

const MARGIN = { left: 56, right: 16, top: 32, bottom: 44 };

/** Scales and axes of a 2-D plot with margins for labels. */
export function plotFrame(o: FrameOptions): Frame {
  const left = MARGIN.left;
  const right = o.width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = o.height - MARGIN.bottom;
  const cat = o.xCategories;
  const xt = cat ? { ticks: [], lo: -0.5, hi: cat.length - 0.5 } : niceTicks(o.x[0], o.x[1]);
  let yt: { ticks: number[]; lo: number; hi: number };
  if (o.logY) {
    const a = Math.floor(Math.log10(o.y[0]));
    const b = Math.max(a + 1, Math.ceil(Math.log10(o.y[1])));
    yt = { ticks: Array.from({ length: b - a + 1 }, (_, i) => a + i), lo: a, hi: b };
  } else yt = niceTicks(o.y[0], o.y[1]);
  const sx = (v: number) => left + ((v - xt.lo) / (xt.hi - xt.lo)) * (right - left);
  const ty = (v: number) => bottom - ((v - yt.lo) / (yt.hi - yt.lo)) * (bottom - top);
  const sy = o.logY ? (v: number) => ty(Math.log10(v)) : ty;
  const parts: string[] = [
    `<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#444"/>`,
  ];
  const xLabels = cat ? cat.map((c, i) => [i, escapeXml(c)] as const) : xt.ticks.map((t) => [t, tickLabel(t)] as const);
  for (const [t, label] of xLabels) {
    parts.push(`<text x="${coord(sx(t))}" y="${bottom + 14}" text-anchor="middle">${label}</text>`);
  }
  for (const t of yt.ticks) {
    const label = o.logY ? tickLabel(10 ** t) : tickLabel(t);
    parts.push(`<line x1="${left - 4}" x2="${left}" y1="${coord(ty(t))}" y2="${coord(ty(t))}" stroke="#444"/>`);
    parts.push(`<text x="${left - 6}" y="${coord(ty(t) + 4)}" text-anchor="end">${label}</text>`);
  }
  if (o.title) parts.push(`<text x="${coord((left + right) / 2)}" y="20" text-anchor="middle" font-size="14">${escapeXml(o.title)}</text>`);
  if (o.xLabel) parts.push(`<text x="${coord((left + right) / 2)}" y="${o.height - 8}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  if (o.yLabel) {
    const cy = coord((top + bottom) / 2);
    parts.push(`<text x="14" y="${cy}" text-anchor="middle" transform="rotate(-90 14 ${cy})">${escapeXml(o.yLabel)}</text>`);
  }
  return { sx, sy, chrome: parts.join(''), left, right, top, bottom };
}

/** Wraps elements in a standalone SVG document with a white background and a small sans-serif font. */
export function svgDocument(width: number, height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">` +
    `<rect width="${width}" height="${height}" fill="#fff"/>${body}</svg>\n`
  );
}
