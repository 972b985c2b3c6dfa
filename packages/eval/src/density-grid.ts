import { ArgumentError, ShapeError } from '@rheo/tensor';
import type { MatrixLike } from './samples.js';

/** Values on a regular nx×ny grid over [x0, x1]×[y0, y1]; row j (from the bottom) holds cells y0 + (j + ½)·Δy. */
export interface Grid2d {
  readonly values: Float64Array;
  readonly nx: number;
  readonly ny: number;
  readonly xRange: readonly [number, number];
  readonly yRange: readonly [number, number];
}

/**
 * A 2-D grid of cell centres: the x and y ranges and the number of cells per axis (`resolution`,
 * default 64).
 */
export interface GridSpec {
  readonly xRange: readonly [number, number];
  readonly yRange: readonly [number, number];
  /** Cells per axis; default 64. */
  readonly resolution?: number;
}

export function checkGridSpec(g: GridSpec, what: string): number {
  const n = g.resolution ?? 64;
  if (!Number.isInteger(n) || n < 1 || n > 1024) throw new ArgumentError(`${what}(options.resolution): expected an integer in [1, 1024], received ${n}`);
  for (const [name, r] of [['xRange', g.xRange], ['yRange', g.yRange]] as const) {
    if (!(r[1] > r[0])) throw new ArgumentError(`${what}(options.${name}): expected [lo, hi] with lo < hi, received [${r[0]}, ${r[1]}]`);
  }
  return n;
}

/**
 * A log-density evaluated at the grid's cell centres, in one batch of
 * n²×2 points so a flow runs one forward pass (awaited: it may read back
 * from a GPU).
 */
export async function densityGrid(
  logDensity: (points: MatrixLike) => ArrayLike<number> | Promise<ArrayLike<number>>,
  spec: GridSpec,
): Promise<Grid2d> {
  const n = checkGridSpec(spec, 'densityGrid');
  const [x0, x1] = spec.xRange;
  const [y0, y1] = spec.yRange;
  const pts = new Float32Array(2 * n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
    pts[2 * (j * n + i)] = x0 + ((i + 0.5) * (x1 - x0)) / n;
    pts[2 * (j * n + i) + 1] = y0 + ((j + 0.5) * (y1 - y0)) / n;
  }
  const lp = await logDensity({ data: pts, rows: n * n, cols: 2 });
  if (lp.length !== n * n) throw new ShapeError(`densityGrid(logDensity): expected ${n * n} values (one per grid point), received ${lp.length}`);
  return { values: Float64Array.from(lp), nx: n, ny: n, xRange: spec.xRange, yRange: spec.yRange };
}
