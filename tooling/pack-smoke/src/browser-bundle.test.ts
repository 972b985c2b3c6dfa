import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { useConsumerProject } from './use-consumer-project.js';
import { publishablePackages } from './workspace-packages.js';

const NAMES = ['@rheo/tensor', '@rheo/nn', '@rheo/objectives', '@rheo/flows', '@rheo/train'];
const needed = publishablePackages().filter((p) => NAMES.includes(p.name));
const ready = needed.length === NAMES.length && needed.every((p) => p.built);

// A web app's entry: the engine with its WebGPU entry, flows, objectives and the training loop.
const ENTRY = `
import { key, normal, setBackend } from '@rheo/tensor';
import '@rheo/tensor/webgpu';
import { flow, logProb, maf, standardNormal } from '@rheo/flows';
import { nllLoss } from '@rheo/objectives';
import { fit } from '@rheo/train';
await setBackend('auto');
const f = flow(standardNormal(2), [maf(key(1), 2)]);
await fit({ params: f.params, loss: (p, x) => nllLoss(logProb(f, p, f.buffers, x)), batch: (_s, k) => normal(k, [64, 2]), steps: 5, key: key(0) });
`;

describe.skipIf(!ready)('browser bundle of the packed packages', () => {
  const project = useConsumerProject(needed);

  it('bundles for the browser with no Node built-in left to resolve', async () => {
    writeFileSync(join(project().dir, 'web-entry.mjs'), ENTRY);
    // platform 'browser' picks the "browser" export conditions and refuses node: built-ins it cannot resolve.
    const result = await build({
      entryPoints: ['web-entry.mjs'], absWorkingDir: project().dir, bundle: true, platform: 'browser', format: 'esm',
      target: 'es2022', write: false, splitting: true, outdir: 'out', logLevel: 'silent',
      // Node's optional `webgpu` package is only ever loaded by a computed import, which a bundler leaves alone.
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles.map((f) => f.text).join('\n');
    expect(code).not.toMatch(/from\s*["']node:|import\(\s*["']node:|require\(\s*["']node:fs/);
    // The checkpoint functions are the browser build's, which explain themselves.
    expect(code).toContain('checkpoint files need a file system');
  }, 60_000);
});
