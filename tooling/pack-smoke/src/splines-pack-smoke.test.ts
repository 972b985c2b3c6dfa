import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useConsumerProject } from './use-consumer-project.js';
import { publishablePackages } from './workspace-packages.js';

const fixtures = resolve(import.meta.dirname, '..', 'fixtures');
const NAMES = ['@rheo/tensor', '@rheo/nn', '@rheo/objectives', '@rheo/flows', '@rheo/data', '@rheo/train', '@rheo/models', '@rheo/splines'];
const needed = publishablePackages().filter((p) => NAMES.includes(p.name));
const ready = needed.length === NAMES.length && needed.every((p) => p.built);

describe.skipIf(!ready)('@rheo/splines from its tarball with the other packages, outside the repository', () => {
  const project = useConsumerProject(needed, 180_000);

  it('trains an NSF, passes the testing kit on the three spline layers at the tail bound, and loads its file once imported', () => {
    for (const f of ['use-splines-train.mjs', 'use-splines-load.mjs']) copyFileSync(join(fixtures, f), join(project().dir, f));
    const train = JSON.parse(project().node('use-splines-train.mjs')) as { before: number; after: number; logProb: number[]; kit: Record<string, string[]>; resolved: string };
    expect(train.resolved.replaceAll('\\', '/')).toMatch(/node_modules\/@rheo\/splines\/dist\/index\.js$/);
    // N(0, I) data: 20 steps from the ActNorm-initialised flow stay near its entropy log(2πe) ≈ 2.84 nats.
    expect(train.after).toBeLessThan(train.before + 0.05);
    expect(Math.abs(train.after - Math.log(2 * Math.PI * Math.E))).toBeLessThan(0.15);
    expect(train.kit).toEqual({ splineCoupling: [], splineAutoregressive: [], splineSemiAutoregressive: [] });
    const load = JSON.parse(project().node('use-splines-load.mjs')) as { error: string; preset: string; logProb: number[] };
    expect(load.error).toMatch(/unknown preset "nsf".*import '@rheo\/splines'/);
    expect(load.preset).toBe('nsf');
    load.logProb.forEach((v, i) => expect(Math.abs(v - train.logProb[i]!)).toBeLessThan(1e-6));
  }, 180_000);
});
