import { rationalQuadraticTransformer, type RationalQuadraticTransformer } from './rational-quadratic-transformer.js';
import type { RationalQuadraticSplineOptions } from './spline-options.js';

const SPLINE_KEYS = ['bins', 'bound', 'minBinWidth', 'minBinHeight', 'minDerivative'] as const;

/**
 * Splits a spline layer's options into the spline's (bins, bound, minimums)
 * and the rest, which go to the layer of `@rheo/flows`, and makes the
 * transformer from the former.
 */
export function splitSplineOptions<O extends RationalQuadraticSplineOptions>(
  options: O,
): { transformer: RationalQuadraticTransformer; rest: Omit<O, (typeof SPLINE_KEYS)[number]> } {
  const spline: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if ((SPLINE_KEYS as readonly string[]).includes(k)) spline[k] = v;
    else rest[k] = v;
  }
  return { transformer: rationalQuadraticTransformer(spline), rest: rest as Omit<O, (typeof SPLINE_KEYS)[number]> };
}
