import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fencedBlocks } from './fenced-blocks.js';
import { useConsumerProject } from './use-consumer-project.js';
import { publishablePackages, repoRoot } from './workspace-packages.js';

const NAMES = ['@rheo/tensor', '@rheo/nn', '@rheo/objectives', '@rheo/flows', '@rheo/data', '@rheo/train', '@rheo/models', '@rheo/onnx'];
const needed = publishablePackages().filter((p) => NAMES.includes(p.name));
const ready = needed.length === NAMES.length && needed.every((p) => p.built);
// The runtime the user brings: the workspace's copy, linked rather than downloaded again.
const onnxruntime = realpathSync(resolve(import.meta.dirname, '..', 'node_modules', 'onnxruntime-node'));

describe.skipIf(!ready)('@rheo/onnx README: a preset trained, exported, written and run by onnxruntime-node', () => {
  const project = useConsumerProject(needed, 180_000, { link: { 'onnxruntime-node': onnxruntime } });

  it("prints rheo's log-densities and onnxruntime's, which agree", () => {
    const blocks = fencedBlocks(readFileSync(join(repoRoot, 'packages/onnx/README.md'), 'utf8'));
    const example = blocks.filter((b) => b.label?.startsWith('example: onnx export'));
    expect(example).toHaveLength(1);
    writeFileSync(join(project().dir, 'onnx-example.mjs'), example[0]!.code);
    const lines = project().node('onnx-example.mjs').trim().split('\n');
    expect(lines).toHaveLength(2);
    const [rheo, ort] = lines.map((l) => l.split(' ').map(Number));
    expect(rheo).toHaveLength(4);
    expect(rheo!.every(Number.isFinite)).toBe(true);
    // Printed to 4 decimals: equal up to the rounding of values that agree to about 1e-6.
    rheo!.forEach((v, i) => expect(Math.abs(v - ort![i]!)).toBeLessThanOrEqual(1.5e-4));
    // A trained density of N(3, 0.25·I) in 2-D: log p lies well below log of its peak, 1.53.
    expect(Math.max(...rheo!)).toBeLessThan(2);
  }, 180_000);
});
