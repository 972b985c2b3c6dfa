import type { Key } from '@rheo/tensor';

/** Host-side rows, row-major n × cols (float64 for the reference computations). */
export interface Rows {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * A simulator with a reference posterior: θ ~ prior, x ~ p(x | θ), and exact
 * (or numerically exact) draws from p(θ | x) for any observation x.
 */
export interface Simulator {
  readonly name: string;
  /** Dimension of θ. */
  readonly thetaDim: number;
  /** Dimension of x. */
  readonly xDim: number;
  /** n draws of θ from the prior. */
  prior(k: Key, n: number): Rows;
  /** One x per row of θ, drawn from p(x | θ). */
  simulate(k: Key, theta: Rows): Rows;
  /** n draws from the reference posterior p(θ | x) for one observation x. */
  posterior(k: Key, x: Float64Array, n: number): Rows;
  /** How the reference posterior is computed, for the report. */
  readonly reference: string;
}
