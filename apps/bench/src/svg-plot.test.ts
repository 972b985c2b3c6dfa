import { describe, expect, it } from 'vitest';
import { svgPanels } from './svg-plot.js';

describe('svgPanels', () => {
  it('draws the points inside the view at their scaled positions and drops the rest', () => {
    // View [−1, 1]², panel 260 px from x = 20, y = 20: (0, 0) ↦ (150, 150); (1, −1) ↦ (280, 280).
    const svg = svgPanels([{ title: 'a<b', values: Float32Array.of(0, 0, 1, -1, 5, 0), kind: 'scatter' }], -1, 1);
    const circles = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(circles).toEqual([[150, 150], [280, 280]]);
    expect(svg).toContain('a&lt;b');
  });
  it('shades heatmap cells by value relative to the maximum, row 0 at the bottom', () => {
    const svg = svgPanels([{ title: 'h', values: Float32Array.of(0, 1, 0.5, 0), kind: 'heatmap', grid: 2 }], -1, 1);
    const cells = [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="130.00" height="130.00" fill="rgb\((\d+),/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
    expect(cells).toEqual([[20, 150, 255], [150, 150, 0], [20, 20, 128], [150, 20, 255]]);
  });
});
