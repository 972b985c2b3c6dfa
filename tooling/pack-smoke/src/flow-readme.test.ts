import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useConsumerProject } from './use-consumer-project.js';
import { fencedBlocks } from './fenced-blocks.js';
import { publishablePackages, repoRoot } from './workspace-packages.js';

// @rheo/train depends on @rheo/data (epochs over a Matrix or Dataset).
const NAMES = ['@rheo/tensor', '@rheo/nn', '@rheo/objectives', '@rheo/flows', '@rheo/data', '@rheo/train'];
const needed = publishablePackages().filter((p) => NAMES.includes(p.name));
const ready = needed.length === NAMES.length && needed.every((p) => p.built);

describe.skipIf(!ready)('README flow example, run against the packed packages', () => {
  const project = useConsumerProject(needed, 180_000);

  it('fits the correlated Gaussian: NLL near its entropy, sample covariance near AAᵀ', () => {
    const blocks = fencedBlocks(readFileSync(join(repoRoot, 'README.md'), 'utf8'));
    const example = blocks.filter((b) => b.label?.startsWith('example: flow usage'));
    expect(example).toHaveLength(1);
    writeFileSync(join(project().dir, 'flow-example.mjs'), example[0]!.code);
    const lines = project().node('flow-example.mjs').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    // Entropy of N(0, Σ), Σ = AAᵀ, det Σ = (1·0.5)²: ½·log((2πe)²·det Σ). An untrained flow (the base alone) scores
    // ½·tr Σ + log 2π = 2.868; the test rows add a standard error of about 1/√4096·√(d/2) = 0.016.
    const entropy = Math.log(2 * Math.PI * Math.E) + 0.5 * Math.log(0.25);
    const nll = Number(lines[0]);
    expect(nll).toBeGreaterThan(entropy - 0.05);
    expect(nll).toBeLessThan(entropy + 0.08);
    // Σ = [[1, 0.9], [0.9, 0.81 + 0.25]]; 4096 samples estimate each entry to about ±0.03.
    const [c00, c01, c11] = JSON.parse(lines[1]!) as number[];
    expect(Math.abs(c00! - 1)).toBeLessThan(0.1);
    expect(Math.abs(c01! - 0.9)).toBeLessThan(0.1);
    expect(Math.abs(c11! - 1.06)).toBeLessThan(0.1);
  }, 120_000);
});
