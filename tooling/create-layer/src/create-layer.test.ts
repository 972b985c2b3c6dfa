import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createLayer, CreateLayerError, peerRange } from './create-layer.js';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(here, '..', '..');
// A temporary workspace inside this package, so the generated package resolves
// @rheo/flows, @rheo/tensor, vitest and the shared configs from its node_modules.
const root = mkdtempSync(join(here, '.tmp-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
for (const p of ['tensor', 'flows']) {
  mkdirSync(join(root, 'packages', p), { recursive: true });
  writeFileSync(join(root, 'packages', p, 'package.json'), readFileSync(join(repo, 'packages', p, 'package.json')));
}
const bin = (name: string) => join(here, 'node_modules', '.bin', name);

describe('createLayer', () => {
  const files = createLayer({ root, name: 'shift-scale' });

  it('writes a package in layers/NAME and its changeset', () => {
    expect(files).toEqual([
      'layers/shift-scale/package.json', 'layers/shift-scale/tsconfig.json', 'layers/shift-scale/tsup.config.ts',
      'layers/shift-scale/vitest.config.ts', 'layers/shift-scale/README.md', 'layers/shift-scale/src/index.ts',
      'layers/shift-scale/src/shift-scale-transformer.ts', 'layers/shift-scale/src/shift-scale-transformer.test.ts',
      '.changeset/shift-scale-initial.md',
    ]);
    const pkg = JSON.parse(readFileSync(join(root, 'layers/shift-scale/package.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    const flows = (JSON.parse(readFileSync(join(repo, 'packages/flows/package.json'), 'utf8')) as { version: string }).version;
    expect(pkg['peerDependencies']).toEqual({ '@rheo/flows': `workspace:${peerRange(flows)}`, '@rheo/tensor': expect.stringMatching(/^workspace:>=/) });
    expect(pkg['publishConfig']!['access']).toBe('public');
    expect(readFileSync(join(root, '.changeset/shift-scale-initial.md'), 'utf8')).toMatch(/^---\n'@rheo\/shift-scale': minor\n---/);
  });

  it("typechecks, and its generated test passes: the kit's checks in three layers and the closed form", () => {
    const dir = join(root, 'layers', 'shift-scale');
    execFileSync(bin('tsc'), ['-p', join(dir, 'tsconfig.json')], { stdio: 'pipe' });
    const out = execFileSync(bin('vitest'), ['run', '--root', dir], { stdio: 'pipe', encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(out).toMatch(/Tests\s+.*5 passed/);
    expect(out).not.toMatch(/failed|skipped/);
  }, 120_000);

  it('refuses bad names and existing folders, naming what it received and what it expected', () => {
    expect(() => createLayer({ root, name: 'Shift_Scale' })).toThrow(CreateLayerError);
    expect(() => createLayer({ root, name: 'Shift_Scale' })).toThrow(/createLayer\(name\): received "Shift_Scale"; expected a kebab-case name/);
    expect(() => createLayer({ root, name: 'shift-scale' })).toThrow(/layers\/shift-scale already exists/);
    expect(() => createLayer({ root: join(root, 'layers'), name: 'other' })).toThrow(/has no packages\/tensor\/package.json; expected the workspace root/);
  });

  it('gives peers every later 0.x minor before 1.0, and every minor of the major after it', () => {
    expect(peerRange('0.1.0')).toBe('>=0.1.0 <1.0.0');
    expect(peerRange('0.3.2')).toBe('>=0.3.0 <1.0.0');
    expect(peerRange('2.4.1')).toBe('>=2.4.0 <3.0.0');
  });
});
