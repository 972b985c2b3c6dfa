import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useConsumerProject } from './use-consumer-project.js';
import { publishablePackages } from './workspace-packages.js';

const fixtures = resolve(import.meta.dirname, '..', 'fixtures');
const needed = publishablePackages().filter((p) => p.name === '@rheo/tensor');
const ready = needed.length === 1 && needed[0]!.built;

interface WebGpuReport {
  format: string;
  resolved: string;
  registered: string[];
  priority: number;
  active: string;
  notices: string[];
}

// The consumer installs only the tarball: `webgpu` is an optional peer
// dependency, so it is absent, and `auto` must fall back to the CPU saying why.
describe.skipIf(!ready)('@rheo/tensor/webgpu from the packed tarball, without the optional webgpu package', () => {
  const project = useConsumerProject(needed);

  for (const file of ['use-webgpu.mjs', 'use-webgpu.cjs']) {
    it(`${file}: registers webgpu in the same engine and falls back to the CPU with a one-line notice`, () => {
      copyFileSync(join(fixtures, file), join(project().dir, file));
      const r = JSON.parse(project().node(file)) as WebGpuReport;
      expect(r.resolved).toMatch(/node_modules[\\/]@rheo[\\/]tensor[\\/]dist[\\/]webgpu[\\/]index\.c?js$/);
      expect(r.registered).toEqual(expect.arrayContaining(['cpu', 'webgpu']));
      expect(r.priority).toBeGreaterThan(0);
      expect(r.active).toBe('cpu');
      expect(r.notices).toHaveLength(1);
      expect(r.notices[0]).toMatch(/webgpu/i);
      expect(r.notices[0]).not.toContain('\n');
    });
  }
});
