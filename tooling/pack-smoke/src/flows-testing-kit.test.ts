import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useConsumerProject } from './use-consumer-project.js';
import { publishablePackages } from './workspace-packages.js';

const fixtures = resolve(import.meta.dirname, '..', 'fixtures');
const NAMES = ['@rheo/tensor', '@rheo/nn', '@rheo/flows'];
const needed = publishablePackages().filter((p) => NAMES.includes(p.name));
const ready = needed.length === NAMES.length && needed.every((p) => p.built);

describe.skipIf(!ready)('@rheo/flows/testing from the packed packages, outside the repository', () => {
  const project = useConsumerProject(needed, 180_000);

  it('runs the layer property checks on the affine transformer in three layers, and fails a broken log-det', () => {
    copyFileSync(join(fixtures, 'use-flows-testing.mjs'), join(project().dir, 'use-flows-testing.mjs'));
    const r = JSON.parse(project().node('use-flows-testing.mjs')) as { resolved: string; passed: string[]; failed: string[] };
    expect(r.resolved.replaceAll('\\', '/')).toMatch(/node_modules\/@rheo\/flows\/dist\/testing\/index\.js$/);
    expect(r.passed).toEqual(['affine coupling', 'affine MAF', 'affine semi-autoregressive flow']);
    expect(r.failed).toEqual(['forward log-det = brute-force Jacobian']);
  }, 120_000);

  it('loads from CommonJS too', () => {
    copyFileSync(join(fixtures, 'use-flows-testing.cjs'), join(project().dir, 'use-flows-testing.cjs'));
    const r = JSON.parse(project().node('use-flows-testing.cjs')) as { resolved: string; exports: string[] };
    expect(r.resolved.replaceAll('\\', '/')).toMatch(/node_modules\/@rheo\/flows\/dist\/testing\/index\.cjs$/);
    expect(r.exports).toEqual(expect.arrayContaining(['checkLayer', 'describeLayerProperties', 'transformerCases', 'PropertyCheckError']));
  });
});
