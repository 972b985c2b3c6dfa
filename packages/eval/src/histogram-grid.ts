import { ShapeError } from '@rheo/tensor';
import { checkGridSpec, type Grid2d, type GridSpec } from './density-grid.js';
import { hostSamples, type Samples } from './samples.js';

/**
 * 2-D histogram of samples as an empirical density: count / (n·cell area),
 * so it is on the scale of a density (Σ value·area = fraction inside the grid).
 * Points outside the ranges are dropped (but still counted in n).
 */
export function histogramGrid(samples: Samples, spec: GridSpec): Grid2d {
  const s = hostSamples(samples, 'histogramGrid(samples)');
  if (s.cols !== 2) throw new ShapeError(`histogramGrid(samples): expected 2 columns, received ${s.cols}`);
  const n = checkGridSpec(spec, 'histogramGrid');
  const [x0, x1] = spec.xRange;
  const [y0, y1] = spec.yRange;
  const values = new Float64Array(n * n);
  const w = 1 / (s.rows * ((x1 - x0) / n) * ((y1 - y0) / n));
  for (let r = 0; r < s.rows; r++) {
    const i = Math.floor(((s.data[2 * r]! - x0) / (x1 - x0)) * n);
    const j = Math.floor(((s.data[2 * r + 1]! - y0) / (y1 - y0)) * n);
    if (i >= 0 && i < n && j >= 0 && j < n) values[j * n + i] += w;
  }
  return { values, nx: n, ny: n, xRange: spec.xRange, yRange: spec.yRange };
}
