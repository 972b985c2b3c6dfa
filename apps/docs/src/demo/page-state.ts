import { TOY_2D, toyLogDensity, type Toy2dName } from '@rheo/data';
import { densityGrid, histogramGrid, lossCurveSvg } from '@rheo/eval';
import { key } from '@rheo/tensor';
import { DEMO_GRID } from './messages.js';

/** What the training demo exposes on `window.__rheoTrainDemo` (for the browser tests and the console). */
export interface DemoState {
  step: number;
  losses: number[];
  backend: string;
  gpu: boolean;
  snapshots: number;
  error: string | null;
  ready: boolean;
}

/** The toy densities of `@rheo/data`, by name. */
export const TOY_NAMES: readonly string[] = Object.keys(TOY_2D);

/**
 * The true density on the demo's grid: the closed form of `toyLogDensity`
 * where one exists (8gaussians, checkerboard, rings, circles), else a
 * histogram of 50,000 draws.
 */
export async function trueDensity(name: string): Promise<{ values: Float64Array; log: boolean }> {
  const logp = toyLogDensity(name as Toy2dName);
  if (logp !== undefined) return { values: (await densityGrid((pts) => logp(Float32Array.from(pts.data)), DEMO_GRID)).values, log: true };
  const draws = TOY_2D[name as Toy2dName](key(12345), 50_000);
  const grid = histogramGrid(draws, DEMO_GRID);
  draws.dispose();
  return { values: grid.values, log: false };
}

/** The loss curve so far, as an SVG string (`lossCurveSvg` of `@rheo/eval`). */
export function lossCurve(losses: readonly number[], objective: string): string {
  if (losses.length < 2) return '';
  return lossCurveSvg([{ name: 'training loss', values: losses }], { xLabel: 'step', yLabel: objective, width: 480, height: 320, maxPoints: 400 });
}
