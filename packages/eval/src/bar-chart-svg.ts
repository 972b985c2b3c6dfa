import { ArgumentError } from '@rheo/tensor';
import { plotFrame, svgDocument } from './plot-frame.js';
import { SERIES_COLORS } from './loss-curve-svg.js';
import { coord, escapeXml, tickLabel } from './svg-text.js';

/** One bar of `barChartSvg`: a label, a finite value and an optional ± error drawn as a whisker. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Optional ± error (e.g. a standard error), drawn as a whisker. */
  readonly error?: number;
}

/** Options of `barChartSvg`: title, y-axis label and size. */
export interface BarChartSvgOptions {
  readonly title?: string;
  readonly yLabel?: string;
  readonly width?: number;
  readonly height?: number;
}

/** One bar per model for a metric, from zero, each labelled with its value. */
export function barChartSvg(bars: readonly Bar[], o: BarChartSvgOptions = {}): string {
  if (bars.length === 0) throw new ArgumentError('barChartSvg(bars): expected at least one bar, received none');
  bars.forEach((b, i) => {
    if (!Number.isFinite(b.value)) throw new ArgumentError(`barChartSvg(bars[${i}].value): expected a finite number, received ${b.value}`);
  });
  const lo = Math.min(0, ...bars.map((b) => b.value - (b.error ?? 0)));
  const hi = Math.max(0, ...bars.map((b) => b.value + (b.error ?? 0)));
  const width = o.width ?? Math.max(320, 80 + 70 * bars.length);
  const height = o.height ?? 320;
  const f = plotFrame({ width, height, title: o.title, yLabel: o.yLabel, x: [0, 1], y: [lo, hi === lo ? 1 : hi], xCategories: bars.map((b) => b.label) });
  const slot = (f.right - f.left) / bars.length;
  const parts = bars.map((b, i) => {
    const cx = f.sx(i);
    const y0 = f.sy(0);
    const y1 = f.sy(b.value);
    const color = SERIES_COLORS[i % SERIES_COLORS.length]!;
    let s = `<rect x="${coord(cx - slot * 0.35)}" y="${coord(Math.min(y0, y1))}" width="${coord(slot * 0.7)}" height="${coord(Math.abs(y1 - y0))}" fill="${color}"/>`;
    if (b.error !== undefined && b.error > 0) {
      s += `<line x1="${coord(cx)}" x2="${coord(cx)}" y1="${coord(f.sy(b.value - b.error))}" y2="${coord(f.sy(b.value + b.error))}" stroke="#222"/>`;
    }
    s += `<text x="${coord(cx)}" y="${coord(Math.min(y0, y1) - 4)}" text-anchor="middle">${escapeXml(tickLabel(b.value))}</text>`;
    return s;
  });
  return svgDocument(width, height, parts.join('') + f.chrome);
}
