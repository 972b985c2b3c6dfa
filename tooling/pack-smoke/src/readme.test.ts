import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useConsumerProject } from './use-consumer-project.js';
import { fencedBlocks } from './fenced-blocks.js';
import { publishablePackages, repoRoot } from './workspace-packages.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const blocks = fencedBlocks(readme);
const tensorPkg = publishablePackages().find((p) => p.name === '@rheo/tensor' && p.built);

const TEST_COMMAND = 'npx -y pnpm@12.21.0 install && npx -y pnpm@12.21.0 test';
const BENCH_COMMAND = 'npx -y pnpm@12.21.0 install && npx -y pnpm@12.21.0 bench';

describe('README', () => {
  it('gives exactly two commands for a fresh machine, and CI runs the test one verbatim', () => {
    const commands = blocks
      .filter((b) => b.lang === 'sh')
      .flatMap((b) => b.code.split('\n'))
      .filter((l) => l.startsWith('npx '));
    expect(commands).toEqual([BENCH_COMMAND, TEST_COMMAND]);
    const ci = readFileSync(join(repoRoot, '.ci', 'run'), 'utf8').trimEnd().split('\n');
    expect(ci[ci.length - 1]).toBe(TEST_COMMAND);
    expect(ci).toContain('set -euo pipefail');
  });

  it('keeps the root test script as turbo run typecheck test', () => {
    const root = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(root.scripts.test).toMatch(/\bturbo run typecheck test\b/);
    expect(root.scripts.bench).toBeTypeOf('string');
  });

  describe.skipIf(!tensorPkg)('usage example, run against the packed @rheo/tensor', () => {
    const project = useConsumerProject([tensorPkg!]);

    it('prints the values worked out by hand', () => {
      const example = blocks.filter((b) => b.label?.startsWith('example: usage'));
      expect(example).toHaveLength(1);
      writeFileSync(join(project().dir, 'readme-example.mjs'), example[0]!.code);
      const lines = project().node('readme-example.mjs').trimEnd().split('\n');
      expect(lines).toHaveLength(6);
      // x·x for x = [[1,2],[3,4]].
      expect(JSON.parse(lines[0]!)).toEqual([[7, 10], [15, 22]]);
      // ∇ Σ(w - t)² = 2(w - t) at w = 0, t = [3, -1].
      expect(JSON.parse(lines[1]!)).toEqual([-6, 2]);
      // Step w ← w - ¼·2(w - t) halves the error: w_k = t(1 - 2⁻ᵏ), loss_k = |t|²·4⁻ᵏ = 10·4⁻ᵏ,
      // all dyadic rationals that float32 holds exactly.
      const t = [3, -1];
      expect(JSON.parse(lines[2]!)).toEqual(t.map((v) => v * (1 - 2 ** -10)));
      expect(JSON.parse(lines[3]!)).toEqual(Array.from({ length: 10 }, (_, k) => 10 * 4 ** -k));
      // Only w outlives the loop: every loss was disposed, every step's intermediates freed.
      expect(lines[4]).toBe('1');
      // The same key gives the same draws; split keys give different ones.
      expect(lines[5]).toBe('true false');
    });
  });
});
