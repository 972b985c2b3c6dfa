import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import '@rheo/tensor/webgpu';
import { webgpuAdapterForTests } from '@rheo/tensor/webgpu';
import { describe, expect, it } from 'vitest';
import type { Row } from './results.js';

const APP = resolve(import.meta.dirname, '..');
const DATA = process.env.RHEO_DATA_DIR ?? resolve(APP, '../../../shared/data');
// Skips (printing why) without an adapter, fails instead under RHEO_REQUIRE_WEBGPU=1.
const gpu = await webgpuAdapterForTests();

describe.skipIf(!gpu.available)(`rheo-bench --backend webgpu (${gpu.reason})`, () => {
  it('trains, samples and evaluates the toy models on the GPU, with the numbers the CPU gets', () => {
    const run = (backend: string) => {
      const out = mkdtempSync(join(tmpdir(), `rheo-bench-${backend}-`));
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--suite', 'toy', '--quick', '--steps', '3', '--backend', backend, '--out', out], {
        cwd: APP, encoding: 'utf8', env: { ...process.env, RHEO_DATA_DIR: DATA, INIT_CWD: APP }, timeout: 240_000,
      });
      expect(r.status, r.stderr.split('\n').filter((l) => l.startsWith('rheo-bench')).join('\n')).toBe(0);
      return JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Row[];
    };
    const onGpu = run('webgpu');
    expect(onGpu.length).toBeGreaterThan(10);
    for (const r of onGpu) {
      expect(r.backend).toBe('webgpu');
      expect(Number.isFinite(r.value), `${r.model} ${r.metric}`).toBe(true);
    }
    // Same seed, same PRNG bits, same minibatches: the quality figures agree with the CPU run to float32 noise.
    const onCpu = run('cpu');
    for (const metric of ['energy_distance', 'nll_nats']) {
      for (const r of onGpu.filter((x) => x.metric === metric)) {
        const c = onCpu.find((x) => x.metric === metric && x.model === r.model && x.objective === r.objective)!;
        expect(Math.abs(r.value - c.value), `${r.model}/${r.objective} ${metric}: ${r.value} vs ${c.value}`).toBeLessThan(1e-3 * Math.max(1, Math.abs(c.value)));
      }
    }
  }, 480_000);
});
