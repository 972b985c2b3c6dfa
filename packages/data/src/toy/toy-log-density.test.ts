import { ArgumentError, key } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { TOY_2D } from './toy-2d.js';
import { toyLogDensity, type ToyDensityName } from './toy-log-density.js';

type Box = readonly [x0: number, x1: number, y0: number, y1: number];

/** ∫∫ p over a box by the midpoint rule on a cells × cells grid. */
function boxIntegral(logp: (pts: Float64Array) => Float64Array, [x0, x1, y0, y1]: Box, cells: number): number {
  const hx = (x1 - x0) / cells;
  const hy = (y1 - y0) / cells;
  const pts = new Float64Array(2 * cells * cells);
  for (let i = 0; i < cells; i++) {
    for (let j = 0; j < cells; j++) {
      pts[2 * (i * cells + j)] = x0 + (i + 0.5) * hx;
      pts[2 * (i * cells + j) + 1] = y0 + (j + 0.5) * hy;
    }
  }
  let s = 0;
  for (const v of logp(pts)) s += Math.exp(v);
  return s * hx * hy;
}

// Boxes that hold all but a negligible mass (more than 6σ beyond the outermost component) and grid
// cells much smaller than each σ, where the midpoint rule on a smooth density is accurate far below 1e-6.
const cases: Array<{ name: ToyDensityName; box: Box; cells: number; tol: number }> = [
  { name: '8gaussians', box: [-5, 5, -5, 5], cells: 500, tol: 1e-6 },
  { name: 'checkerboard', box: [-5, 5, -5, 5], cells: 500, tol: 1e-12 },
  { name: 'rings', box: [-4, 4, -4, 4], cells: 800, tol: 1e-6 },
  { name: 'circles', box: [-5, 5, -5, 5], cells: 500, tol: 1e-6 },
];

describe.each(cases)('toyLogDensity($name)', ({ name, box, cells, tol }) => {
  const logp = toyLogDensity(name);

  it('integrates to 1 over the plane', () => {
    expect(Math.abs(boxIntegral(logp, box, cells) - 1)).toBeLessThan(tol);
  });

  it('accepts float32 and float64 points alike and rejects an odd length or a plain array', () => {
    const p64 = new Float64Array([0.5, -1.25, 2, 3]);
    expect(Array.from(logp(Float32Array.from(p64)))).toEqual(Array.from(logp(p64)));
    expect(logp(new Float64Array(0)).length).toBe(0);
    expect(() => logp(new Float64Array(3))).toThrow(/expected an even length .* received length 3/);
    expect(() => logp([1, 2] as never)).toThrow(ArgumentError);
  });
});

describe('toyLogDensity agrees with the sampler', () => {
  // Fractions of 200k draws in boxes against the box integral of the density. A count is
  // Binomial(n, P): 4.5 standard deviations plus 1e-5 for the quadrature.
  const n = 200_000;
  const boxes: Record<ToyDensityName, Box[]> = {
    '8gaussians': [[2, 3.5, -0.5, 0.5], [1.5, 2.5, 1.5, 2.5], [1.8, 2.6, 1.4, 2.2], [-1, 1, -1, 1], [-3.2, -2.6, -0.3, 0.1]],
    checkerboard: [[-4, -2, -4, -2], [-3, -1, -3, -1], [0.3, 3.7, -2.5, 1.1], [-4.5, -3, 3, 4.5]],
    rings: [[2.5, 3.5, -0.5, 0.5], [0, 1, 0, 1], [-1.6, -1.45, -0.3, 0.3], [1.5, 2.2, 1.5, 2.2], [-0.2, 0.2, -0.2, 0.2]],
    circles: [[2.5, 3.5, -0.5, 0.5], [0, 1, 0, 1], [-1.6, -1.3, -0.3, 0.3], [1.2, 2.4, 1.2, 2.4], [-0.5, 0.5, -0.5, 0.5]],
  };
  it.each(Object.keys(boxes) as ToyDensityName[])('%s: box fractions of 200k draws match box integrals', (name) => {
    const t = TOY_2D[name](key(2024), n);
    const v = t.dataSync();
    t.dispose();
    for (const box of boxes[name]) {
      const [x0, x1, y0, y1] = box;
      let count = 0;
      for (let i = 0; i < n; i++) {
        const x = v[2 * i]!;
        const y = v[2 * i + 1]!;
        if (x >= x0 && x < x1 && y >= y0 && y < y1) count++;
      }
      const p = boxIntegral(toyLogDensity(name), box, 400);
      expect(Math.abs(count / n - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / n) + 1e-5);
    }
  });
});

describe('rings and circles: the Bessel form against a brute-force angular average', () => {
  // p(x) = Σ_r w_r (1/M) Σ_a N(x; r(cos a, sin a), σ²I) over M equally spaced angles, from the Gaussian
  // density alone. The angular sum of a periodic analytic integrand converges like exp(−M²σ²/(2|x|r)),
  // far below 1e-12 here.
  function bruteForce(radii: readonly number[], sigma: number, x: number, y: number, m = 20_000): number {
    let p = 0;
    for (const r of radii) {
      for (let j = 0; j < m; j++) {
        const a = (2 * Math.PI * j) / m;
        const dx = x - r * Math.cos(a);
        const dy = y - r * Math.sin(a);
        p += Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)) / (2 * Math.PI * sigma * sigma);
      }
    }
    return p / (m * radii.length);
  }
  const points = [[0, 0], [0.05, 0], [0.1, 0.02], [0.5, 0.3], [0.8, -0.1], [1.5, 0], [2, 1.1], [0, 3.05], [-2.2, -0.4], [3.3, 2]] as const;
  it.each([
    ['rings', [3, 2.25, 1.5, 0.75], 0.08],
    ['circles', [3, 1.5], 0.24],
  ] as const)('%s', (name, radii, sigma) => {
    const logp = toyLogDensity(name)(Float64Array.from(points.flat()));
    points.forEach(([x, y], i) => {
      const p = bruteForce(radii, sigma, x, y);
      expect(p).toBeGreaterThan(0);
      expect(Math.abs(Math.exp(logp[i]!) / p - 1)).toBeLessThan(1e-6);
    });
  });
});

describe('toyLogDensity(checkerboard)', () => {
  const logp = toyLogDensity('checkerboard');
  it('is log(1/32) on the black cells, edges included, and −∞ on the white cells and outside', () => {
    const black = [[-3, -3], [-1, -1], [1, 1], [3, 3], [-3, 1], [1, -3], [-1, 3], [3, -1], [-4, -4], [4, 4], [-2, -1.5], [0, 0], [2, 3.5], [-4, 0.5]];
    const white = [[-1, -3], [1, -1], [-3, -1], [3, 1], [-1, 1], [1, 3], [3, -3], [-3, 3], [4.01, 0], [0, -4.01], [9, 9], [-2.5, 2.5]];
    for (const v of logp(Float64Array.from(black.flat()))) expect(v).toBe(-Math.log(32));
    for (const v of logp(Float64Array.from(white.flat()))) expect(v).toBe(-Infinity);
  });
});

describe('toyLogDensity, other names', () => {
  it('is undefined for the sets without a closed-form density', () => {
    for (const name of ['moons', '2spirals', 'pinwheel', 'swissroll'] as const) expect(toyLogDensity(name)).toBeUndefined();
  });
  it('rejects an unknown name', () => {
    expect(() => toyLogDensity('spiral' as never)).toThrow(ArgumentError);
    expect(() => toyLogDensity('spiral' as never)).toThrow(/toyLogDensity\(name\): expected one of "8gaussians", .* received "spiral"/);
    expect(() => toyLogDensity('toString' as never)).toThrow(ArgumentError);
  });
});
