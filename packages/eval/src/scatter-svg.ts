import { ArgumentError, ShapeError } from '@rheo/tensor';
import { plotFrame, svgDocument } from './plot-frame.js';
import { hostSamples, type HostSamples, type Samples } from './samples.js';
import { coord, escapeXml } from './svg-text.js';

/**
 * Options of `scatterSvg`: model samples drawn over data samples (two columns each), axis ranges,
 * the most points drawn, colours, title, labels and size.
 */
export interface ScatterSvgOptions {
  /** Model samples, n×2. */
  readonly samples: Samples;
  /** Data points, m×2, drawn underneath in the second colour. */
  readonly data: Samples;
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Axis ranges; default the bounds of both sets. Points outside are left out. */
  readonly xRange?: readonly [number, number];
  readonly yRange?: readonly [number, number];
  /** Points drawn per set at most (evenly strided rows); default 2000. */
  readonly maxPoints?: number;
  /** [samples, data] colours; default orange over blue. */
  readonly colors?: readonly [string, string];
  readonly width?: number;
  readonly height?: number;
}

/** Row indices 0, s, 2s, … giving at most `cap` rows of n. */
export function stridedRows(n: number, cap: number): number[] {
  const step = Math.max(1, Math.ceil(n / cap));
  const out: number[] = [];
  for (let i = 0; i < n; i += step) out.push(i);
  return out;
}

function bounds(sets: HostSamples[], c: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of sets) for (let i = 0; i < s.rows; i++) {
    const v = s.data[2 * i + c]!;
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** Scatter plot of 2-D model samples over data samples on shared axes, with a legend. */
export function scatterSvg(o: ScatterSvgOptions): string {
  const s = hostSamples(o.samples, 'scatterSvg(options.samples)');
  const d = hostSamples(o.data, 'scatterSvg(options.data)');
  if (s.cols !== 2 || d.cols !== 2) throw new ShapeError(`scatterSvg(options): expected 2 columns in samples and data, received ${s.cols} and ${d.cols}`);
  const cap = o.maxPoints ?? 2000;
  if (!Number.isInteger(cap) || cap < 1) throw new ArgumentError(`scatterSvg(options.maxPoints): expected a positive integer, received ${cap}`);
  const width = o.width ?? 480;
  const height = o.height ?? 480;
  const [cs, cd] = o.colors ?? ['#e6550d', '#3182bd'];
  const x = o.xRange ?? bounds([s, d], 0);
  const y = o.yRange ?? bounds([s, d], 1);
  const f = plotFrame({ width, height, title: o.title, xLabel: o.xLabel, yLabel: o.yLabel, x, y });
  const dots = (m: HostSamples) => {
    const parts: string[] = [];
    for (const i of stridedRows(m.rows, cap)) {
      const a = m.data[2 * i]!;
      const b = m.data[2 * i + 1]!;
      if (!(a >= x[0] && a <= x[1] && b >= y[0] && b <= y[1])) continue;
      parts.push(`M${coord(f.sx(a))} ${coord(f.sy(b))}h0`);
    }
    return parts.join('');
  };
  // Each point is a zero-length segment drawn with a round cap: a 3-px dot in ~14 bytes, a third of a <circle>.
  const dotPath = (m: HostSamples, color: string) =>
    `<path d="${dots(m)}" stroke="${escapeXml(color)}" stroke-opacity="0.5" stroke-width="3" stroke-linecap="round"/>`;
  const legend =
    `<circle cx="${f.right - 90}" cy="${f.top + 12}" r="4" fill="${escapeXml(cd)}"/><text x="${f.right - 82}" y="${f.top + 16}">data</text>` +
    `<circle cx="${f.right - 90}" cy="${f.top + 28}" r="4" fill="${escapeXml(cs)}"/><text x="${f.right - 82}" y="${f.top + 32}">samples</text>`;
  const body =
    dotPath(d, cd) +
    dotPath(s, cs) +
    f.chrome +
    legend;
  return svgDocument(width, height, body);
}
