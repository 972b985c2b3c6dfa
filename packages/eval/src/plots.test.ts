import { describe, expect, it } from 'vitest';
import { barChartSvg } from './bar-chart-svg.js';
import { densityGrid } from './density-grid.js';
import { heatmapSvg, rampColor } from './heatmap-svg.js';
import { histogramGrid } from './histogram-grid.js';
import { lossCurveSvg } from './loss-curve-svg.js';
import { niceTicks } from './nice-ticks.js';
import { scatterSvg } from './scatter-svg.js';

/**
 * Well-formedness without a DOM: every tag is self-closed or closed in order,
 * attribute values are quoted, and text holds no raw '<' or '&' outside entities.
 */
function checkWellFormed(svg: string): void {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  const stack: string[] = [];
  const tag = /<(\/?)([a-z]+)((?:\s+[A-Za-z][A-Za-z0-9-]*="[^"<]*")*)\s*(\/?)>/gy;
  let p = 0;
  while (p < svg.length) {
    const lt = svg.indexOf('<', p);
    const text = svg.slice(p, lt < 0 ? svg.length : lt);
    expect(text.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toMatch(/[<&]/);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(svg);
    expect(m, `malformed tag at ${lt}: ${svg.slice(lt, lt + 60)}`).not.toBeNull();
    const [, close, name, , self] = m!;
    if (close) expect(stack.pop()).toBe(name);
    else if (!self) stack.push(name!);
    p = tag.lastIndex;
  }
  expect(stack).toEqual([]);
}

const count = (svg: string, el: string) => (svg.match(new RegExp(`<${el}[ >/]`, 'g')) ?? []).length;
/** The points of each scatter path, from its `Mx yh0` segments. */
const dots = (svg: string) =>
  Array.from(svg.matchAll(/<path d="([^"]*)"/g), (m) => Array.from(m[1]!.matchAll(/M([\d.-]+) ([\d.-]+)h0/g), (p) => [Number(p[1]), Number(p[2])]));
const attr = (el: string, name: string) => Number(new RegExp(`${name}="([^"]*)"`).exec(el)![1]);

describe('niceTicks', () => {
  it('steps of 1, 2 or 5 times a power of ten, widened to cover the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual({ ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], lo: 0, hi: 1 });
    // raw step 15.9/5 = 3.18 → 5; ⌊−3.7/5⌋ = −1, ⌈12.2/5⌉ = 3.
    expect(niceTicks(-3.7, 12.2, 5)).toEqual({ ticks: [-5, 0, 5, 10, 15], lo: -5, hi: 15 });
  });
});

describe('scatterSvg', () => {
  it('draws one circle per point in range, at hand-computed pixels, with escaped text', () => {
    const samples = { data: new Float32Array([5, 5, 0, 10, 20, 20]), rows: 3, cols: 2 };
    const data = { data: new Float32Array([1, 1, 2, 2]), rows: 2, cols: 2 };
    const svg = scatterSvg({ samples, data, xRange: [0, 10], yRange: [0, 10], title: 'a < b & c' });
    checkWellFormed(svg);
    // (20, 20) lies outside: 2 data points in the first path, 2 sample points in the second.
    const [dataPath, samplePath] = dots(svg);
    expect(dataPath).toHaveLength(2);
    expect(samplePath).toHaveLength(2);
    expect(svg).toContain('a &lt; b &amp; c');
    // Plot area x ∈ [56, 464], y ∈ [32, 436]: (5, 5) → (56 + 204, 436 − 202) = (260, 234),
    // (0, 10) → the top-left corner, (1, 1) → (56 + 40.8, 436 − 40.4).
    expect(samplePath).toEqual([[260, 234], [56, 32]]);
    expect(dataPath![0]).toEqual([96.8, 395.6]);
  });

  it('caps the points per set by striding', () => {
    const n = 1000;
    const pts = new Float32Array(2 * n).map((_, i) => (i * 0.37) % 3);
    const svg = scatterSvg({ samples: { data: pts, rows: n, cols: 2 }, data: { data: pts, rows: n, cols: 2 }, maxPoints: 100 });
    checkWellFormed(svg);
    expect(dots(svg).map((p) => p.length)).toEqual([100, 100]);
    expect(svg.length).toBeLessThan(5_000);
  });
});

describe('density grids and heatmaps', () => {
  it('evaluates the log-density at the cell centres in one batch', async () => {
    let calls = 0;
    const g = await densityGrid(
      (p) => {
        calls++;
        return Array.from({ length: p.rows }, (_, i) => p.data[2 * i]! + 10 * p.data[2 * i + 1]!);
      },
      { xRange: [0, 4], yRange: [-2, 2], resolution: 4 },
    );
    expect(calls).toBe(1);
    // Centres x = 0.5, 1.5, 2.5, 3.5 and y = −1.5, −0.5, 0.5, 1.5; cell (i=2, j=1) → 2.5 + 10·(−0.5).
    expect(g.values[1 * 4 + 2]).toBeCloseTo(-2.5, 6);
    expect(g.values[0]).toBeCloseTo(0.5 - 15, 6);
  });

  it('normalises a histogram to a density: Σ value·area = fraction inside', () => {
    const data = new Float32Array([0.1, 0.1, 0.2, 0.15, 0.9, 0.9, 5, 5]);
    const g = histogramGrid({ data, rows: 4, cols: 2 }, { xRange: [0, 1], yRange: [0, 1], resolution: 2 });
    // Cell area ¼; three of four points inside: 2 in cell (0,0), 1 in cell (1,1).
    expect(Array.from(g.values)).toEqual([2 / (4 * 0.25), 0, 0, 1 / (4 * 0.25)]);
  });

  it('draws merged runs of one colour, and the ramp ends at its stops', async () => {
    expect(rampColor(0)).toBe('#440154');
    expect(rampColor(1)).toBe('#fde725');
    // Halfway between the first two stops (68,1,84) and (59,82,139): (63.5, 41.5, 111.5) → (64, 42, 112).
    expect(rampColor(0.125)).toBe('#402a70');
    const flat = { values: new Float64Array(9).fill(-1), nx: 3, ny: 3, xRange: [0, 3] as const, yRange: [0, 3] as const };
    const svg = heatmapSvg(flat, { log: true, title: 'flat' });
    checkWellFormed(svg);
    // Background + frame + one merged rect per row, all at the ramp's top: exp(v − max) = 1.
    expect(count(svg, 'rect')).toBe(2 + 3);
    expect((svg.match(/fill="#fde725"/g) ?? []).length).toBe(3);
    const ramp = { values: Float64Array.from([0, 1, 2, 3]), nx: 4, ny: 1, xRange: [0, 4] as const, yRange: [0, 1] as const };
    const r = heatmapSvg(ramp);
    expect(count(r, 'rect')).toBe(2 + 4);
    expect(r).toContain('fill="#440154"');
    expect(r).toContain('fill="#fde725"');
  });
});

describe('lossCurveSvg', () => {
  it('draws one polyline per series, capped, on a log axis at hand-computed heights', () => {
    const a = Array.from({ length: 1000 }, (_, i) => 100 / (1 + i));
    const svg = lossCurveSvg([{ name: 'maf', values: a }, { name: 'real<nvp>', values: [1, 10, 100, 0] }], { logY: true, maxPoints: 50 });
    checkWellFormed(svg);
    expect(count(svg, 'polyline')).toBe(2);
    const lines = svg.match(/points="([^"]*)"/g)!;
    // Stride ⌈1000/49⌉ = 21 gives 48 points, plus the last: 49 ≤ 50.
    expect(lines[0]!.split(' ')).toHaveLength(49);
    // The zero is dropped on a log axis; y from 0.1 to 100 → decades −1..2 over [32, 316]:
    // log10 10 = 1 sits at 316 − (2/3)·284 = 126.7.
    const second = lines[1]!.slice(8, -1).split(' ').map((p) => p.split(',').map(Number));
    expect(second).toHaveLength(3);
    expect(second[1]![1]).toBeCloseTo(126.7, 1);
    expect(svg).toContain('real&lt;nvp&gt;');
  });
});

describe('barChartSvg', () => {
  it('draws one bar per model from zero, with whiskers and values', () => {
    const svg = barChartSvg([{ label: 'maf', value: 2 }, { label: 'nsf', value: 4, error: 0.5 }], { title: 'bits/dim' });
    checkWellFormed(svg);
    const bars = svg.match(/<rect x="[^"]*" y="[^"]*" width="[^"]*" height="[^"]*" fill="#[0-9a-f]{6}"\/>/g)!;
    expect(bars).toHaveLength(2);
    // y ∈ [0, 4.5] widens to ticks 0..5 over the plot's 320 − 44 − 32 = 244 px: heights 2/5 and 4/5 of it.
    expect(attr(bars[0]!, 'height')).toBeCloseTo(97.6, 1);
    expect(attr(bars[1]!, 'height')).toBeCloseTo(195.2, 1);
    expect(count(svg, 'line')).toBeGreaterThan(0);
    expect(svg).toContain('>maf</text>');
    expect(() => barChartSvg([{ label: 'x', value: Number.NaN }])).toThrow(/bars\[0\]\.value/);
  });
});
