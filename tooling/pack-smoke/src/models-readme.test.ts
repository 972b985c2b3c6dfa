import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useConsumerProject } from './use-consumer-project.js';
import { fencedBlocks } from './fenced-blocks.js';
import { publishablePackages, repoRoot } from './workspace-packages.js';

const NAMES = ['@rheo/tensor', '@rheo/nn', '@rheo/objectives', '@rheo/flows', '@rheo/data', '@rheo/train', '@rheo/models'];
const needed = publishablePackages().filter((p) => NAMES.includes(p.name));
const ready = needed.length === NAMES.length && needed.every((p) => p.built);

describe.skipIf(!ready)('@rheo/models README: a preset trained with validation, saved, and loaded in a fresh process', () => {
  const project = useConsumerProject(needed, 180_000);

  it('stops at or keeps its best validation step, and the loaded model scores near the entropy', () => {
    const blocks = fencedBlocks(readFileSync(join(repoRoot, 'packages/models/README.md'), 'utf8'));
    const train = blocks.filter((b) => b.label?.startsWith('example: models train and save'));
    const load = blocks.filter((b) => b.label?.startsWith('example: models load'));
    expect(train).toHaveLength(1);
    expect(load).toHaveLength(1);
    writeFileSync(join(project().dir, 'train.mjs'), train[0]!.code);
    writeFileSync(join(project().dir, 'load.mjs'), load[0]!.code);
    const [reason, bestStep, stoppedAt] = project().node('train.mjs').trim().split(' ');
    expect(['steps', 'early-stopping']).toContain(reason);
    // 10 epochs of 8192 rows in batches of 256: 320 steps, evaluated every 32.
    expect(Number(bestStep) % 32 === 0 || Number(bestStep) === 320).toBe(true);
    expect(Number(stoppedAt)).toBeLessThanOrEqual(320);
    expect(Number(bestStep)).toBeLessThanOrEqual(Number(stoppedAt));
    const lines = project().node('load.mjs').trim().split('\n');
    const [preset, nll] = lines[0]!.split(' ');
    expect(preset).toBe('maf');
    // Entropy of N(5, 0.1²·AAᵀ): log(2πe) + log(0.01·0.5). The untrained flow, ActNorm-initialised only, scores about
    // 0.42 nats worse (the correlation 0.87 is unexplained); 4096 test rows add a standard error of about 0.016.
    const entropy = Math.log(2 * Math.PI * Math.E) + Math.log(0.01 * 0.5);
    expect(Number(nll)).toBeGreaterThan(entropy - 0.06);
    expect(Number(nll)).toBeLessThan(entropy + 0.08);
    expect(lines[1]).toBe('[3,2]');
  }, 240_000);
});
