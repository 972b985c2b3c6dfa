import { ArgumentError, key } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { TOY_2D, type Toy2dName } from './toy-2d.js';

const N = 4000;
const names = Object.keys(TOY_2D) as Toy2dName[];

function points(name: Toy2dName, seed: number, n = N): Array<[number, number]> {
  const t = TOY_2D[name](key(seed), n);
  const v = t.dataSync();
  t.dispose();
  return Array.from({ length: n }, (_, i) => [v[2 * i]!, v[2 * i + 1]!] as [number, number]);
}

const fraction = (ps: Array<[number, number]>, ok: (p: [number, number]) => boolean): number => ps.filter(ok).length / ps.length;

/** The same test on points spread uniformly over [−4, 4]², to show that the property is not trivially true. */
function uniformBox(n: number): Array<[number, number]> {
  let s = 12345;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296) * 8 - 4;
  return Array.from({ length: n }, () => [next(), next()] as [number, number]);
}

const properties: Record<Toy2dName, { holds: (p: [number, number]) => boolean; min: number }> = {
  // Within 3.5σ (σ = 0.5/√2) of the nearest of the centres 4/√2·(cos kπ/4, sin kπ/4).
  '8gaussians': {
    holds: ([x, y]) => {
      let best = Infinity;
      for (let c = 0; c < 8; c++) {
        const a = (c * Math.PI) / 4;
        best = Math.min(best, Math.hypot(x - 2 * Math.SQRT2 * Math.cos(a), y - 2 * Math.SQRT2 * Math.sin(a)));
      }
      return best < 3.5 * (0.5 / Math.SQRT2);
    },
    min: 0.99,
  },
  // Cells of side 2: floor(x/2) + floor(y/2) even, inside [−4, 4)².
  checkerboard: {
    holds: ([x, y]) => Math.abs(x) <= 4 && Math.abs(y) <= 4 && ((Math.floor(x / 2) + Math.floor(y / 2)) % 2 + 2) % 2 === 0,
    min: 1,
  },
  // Distance 2 ± 3σ (σ = 0.2) from one of the arc centres (−1, −0.2) or (1, 0.8).
  moons: {
    holds: ([x, y]) => Math.min(Math.abs(Math.hypot(x + 1, y + 0.2) - 2), Math.abs(Math.hypot(x - 1, y - 0.8) - 2)) < 0.6,
    min: 0.99,
  },
  // Arm 1 is (−s cos s, s sin s)/3 = (s/3)·(cos(π − s), sin(π − s)), arm 2 its negation: a point at polar
  // angle φ has s ≡ π − φ or −φ (mod 2π), and 3|p| lies within 1.2 of such an s (offsets ≤ 0.5·√2, noise 0.3).
  '2spirals': {
    holds: ([x, y]) => {
      const s = 3 * Math.hypot(x, y);
      const phi = Math.atan2(y, x);
      let best = Infinity;
      for (let m = -1; m <= 3; m++) {
        for (const c of [Math.PI - phi + 2 * Math.PI * m, -phi + 2 * Math.PI * m]) {
          if (c >= -1 && c <= 3 * Math.PI + 1) best = Math.min(best, Math.abs(s - c));
        }
      }
      return best < 1.2;
    },
    min: 0.95,
  },
  // Polar angle ≈ −(2πc/5 + 0.25·exp(|p|/2)) for some arm c, within 0.35 rad.
  pinwheel: {
    holds: ([x, y]) => {
      const r = Math.hypot(x, y) / 2;
      const phi = Math.atan2(y, x);
      let best = Infinity;
      for (let c = 0; c < 5; c++) {
        const d = phi + (2 * Math.PI * c) / 5 + 0.25 * Math.exp(r);
        best = Math.min(best, Math.abs(Math.atan2(Math.sin(d), Math.cos(d))));
      }
      return best < 0.35;
    },
    min: 0.9,
  },
  // Radius within 4σ (σ = 0.08) of 3, 2.25, 1.5 or 0.75.
  rings: { holds: ([x, y]) => Math.min(...[3, 2.25, 1.5, 0.75].map((r) => Math.abs(Math.hypot(x, y) - r))) < 0.32, min: 0.99 },
  // Radius within 3σ (σ = 0.24) of 3 or 1.5.
  circles: { holds: ([x, y]) => Math.min(Math.abs(Math.hypot(x, y) - 3), Math.abs(Math.hypot(x, y) - 1.5)) < 0.72, min: 0.97 },
  // 5p = (t cos t, t sin t) + N(0, I) with t ≡ atan2(y, x) (mod 2π) in [1.5π, 4.5π]: |5p| within 3 of such a t.
  swissroll: {
    holds: ([x, y]) => {
      const r = 5 * Math.hypot(x, y);
      const phi = Math.atan2(y, x);
      let best = Infinity;
      for (let m = -1; m <= 3; m++) {
        const t = phi + 2 * Math.PI * m;
        if (t >= 1.5 * Math.PI - 1 && t <= 4.5 * Math.PI + 1) best = Math.min(best, Math.abs(r - t));
      }
      return best < 3;
    },
    min: 0.95,
  },
};

describe.each(names)('%s', (name) => {
  it('returns float32 [n, 2], reproducible by key and different across keys', () => {
    const t = TOY_2D[name](key(1), 7);
    expect(t.shape).toEqual([7, 2]);
    expect(t.dtype).toBe('float32');
    t.dispose();
    const a = points(name, 3, 64);
    expect(points(name, 3, 64)).toEqual(a);
    expect(points(name, 4, 64)).not.toEqual(a);
    for (const p of a) expect(Number.isFinite(p[0]) && Number.isFinite(p[1])).toBe(true);
  });

  it('puts its points on the documented shape, which uniform noise over the box does not fill', () => {
    const { holds, min } = properties[name];
    expect(fraction(points(name, 11), holds)).toBeGreaterThanOrEqual(min);
    expect(fraction(uniformBox(N), holds)).toBeLessThan(min - 0.05);
  });

  it('rejects a bad n or a non-key', () => {
    expect(() => TOY_2D[name](key(1), 0)).toThrow(ArgumentError);
    expect(() => TOY_2D[name](key(1), 2.5)).toThrow(/n\): expected a positive integer, received 2.5/);
    expect(() => TOY_2D[name]({ k0: 1, k1: 2 } as never, 3)).toThrow(/expected a PRNG Key/);
  });
});

describe('mixture weights', () => {
  it('8gaussians fills each of the 8 components with about n/8 points', () => {
    const counts = new Array<number>(8).fill(0);
    for (const [x, y] of points('8gaussians', 5)) counts[((Math.round(Math.atan2(y, x) / (Math.PI / 4)) % 8) + 8) % 8]! += 1;
    // Binomial(4000, 1/8): sd ≈ 21, so ± 90 is over 4 sd.
    for (const c of counts) expect(Math.abs(c - N / 8)).toBeLessThan(90);
  });

  it('checkerboard fills its 8 black cells evenly', () => {
    const counts = new Map<string, number>();
    for (const [x, y] of points('checkerboard', 6)) {
      const cell = `${Math.floor(x / 2)},${Math.floor(y / 2)}`;
      counts.set(cell, (counts.get(cell) ?? 0) + 1);
    }
    expect(counts.size).toBe(8);
    for (const c of counts.values()) expect(Math.abs(c - N / 8)).toBeLessThan(90);
  });

  it('moons splits its points about evenly between the two arcs', () => {
    // The pair of arcs is symmetric under the point reflection through (0, 0.3), so points assigned to the
    // nearer arc split ½/½ in expectation; Binomial(4000, ½) has sd 0.008.
    const upper = fraction(points('moons', 7), ([x, y]) => Math.abs(Math.hypot(x + 1, y + 0.2) - 2) < Math.abs(Math.hypot(x - 1, y - 0.8) - 2));
    expect(Math.abs(upper - 0.5)).toBeLessThan(0.04);
  });
});
