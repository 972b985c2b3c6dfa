import { ArgumentError } from '@rheo/tensor';
import { plotFrame, svgDocument } from './plot-frame.js';
import { stridedRows } from './scatter-svg.js';
import { coord, escapeXml } from './svg-text.js';

/** One named curve of `lossCurveSvg`: loss values and, optionally, the step of each. */
export interface LossSeries {
  readonly name: string;
  /** Loss per step; `steps` gives their x positions, else 0, 1, 2, … */
  readonly values: ArrayLike<number>;
  readonly steps?: ArrayLike<number>;
}

/**
 * Options of `lossCurveSvg`: size, title, axis labels, log scale and the most points drawn per
 * series.
 */
export interface LossCurveSvgOptions {
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** log10 y axis; non-positive values are then left out. */
  readonly logY?: boolean;
  /** Points per series at most (evenly strided, last point kept); default 500. */
  readonly maxPoints?: number;
  readonly width?: number;
  readonly height?: number;
}

/** Qualitative palette (Tableau 10) for up to ten series, then repeated. */
export const SERIES_COLORS: readonly string[] = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** Loss curves of several named series as polylines on shared axes, with a legend. Non-finite points are skipped. */
export function lossCurveSvg(series: readonly LossSeries[], o: LossCurveSvgOptions = {}): string {
  if (series.length === 0) throw new ArgumentError('lossCurveSvg(series): expected at least one series, received none');
  const cap = o.maxPoints ?? 500;
  if (!Number.isInteger(cap) || cap < 2) throw new ArgumentError(`lossCurveSvg(options.maxPoints): expected an integer ≥ 2, received ${cap}`);
  const pts = series.map((s, k) => {
    if (s.steps && s.steps.length !== s.values.length) {
      throw new ArgumentError(`lossCurveSvg(series[${k}].steps): expected ${s.values.length} steps (one per value), received ${s.steps.length}`);
    }
    const idx = stridedRows(s.values.length, cap - 1);
    if (s.values.length > 0 && idx[idx.length - 1] !== s.values.length - 1) idx.push(s.values.length - 1);
    const out: [number, number][] = [];
    for (const i of idx) {
      const x = s.steps ? s.steps[i]! : i;
      const y = s.values[i]!;
      if (Number.isFinite(x) && Number.isFinite(y) && (!o.logY || y > 0)) out.push([x, y]);
    }
    return out;
  });
  const all = pts.flat();
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const x: [number, number] = all.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  const y: [number, number] = all.length ? [Math.min(...ys), Math.max(...ys)] : o.logY ? [1, 10] : [0, 1];
  const width = o.width ?? 560;
  const height = o.height ?? 360;
  const f = plotFrame({ width, height, title: o.title, xLabel: o.xLabel ?? 'step', yLabel: o.yLabel ?? 'loss', x, y, logY: o.logY });
  const lines = pts.map((p, k) => {
    const color = SERIES_COLORS[k % SERIES_COLORS.length]!;
    const d = p.map(([a, b]) => `${coord(f.sx(a))},${coord(f.sy(b))}`).join(' ');
    return `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${d}"/>`;
  });
  const legend = series.map((s, k) => {
    const yy = f.top + 12 + 14 * k;
    const color = SERIES_COLORS[k % SERIES_COLORS.length]!;
    return `<line x1="${f.right - 120}" x2="${f.right - 104}" y1="${yy}" y2="${yy}" stroke="${color}" stroke-width="2"/><text x="${f.right - 100}" y="${yy + 4}">${escapeXml(s.name)}</text>`;
  });
  return svgDocument(width, height, lines.join('') + f.chrome + legend.join(''));
}
