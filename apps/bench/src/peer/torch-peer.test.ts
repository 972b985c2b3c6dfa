import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { values } from '../kernels/timing.js';
import { JIT, opRows, stepRows } from '../kernels/torch-rows.js';
import { runTorchPeer, torchPython } from './torch-peer.js';

const saved = process.env['RHEO_BENCH_PYTHON'];
afterEach(() => {
  if (saved === undefined) delete process.env['RHEO_BENCH_PYTHON'];
  else process.env['RHEO_BENCH_PYTHON'] = saved;
});

const hasTorch = spawnSync(torchPython(), ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

describe('PyTorch peer', () => {
  it('says in one line why it is skipped when Python has no torch', () => {
    process.env['RHEO_BENCH_PYTHON'] = '/nonexistent/python3';
    const r = runTorchPeer({ part: 'ops', warmup: 1, repeats: 1 });
    expect('missing' in r && r.missing).toMatch(/^PyTorch peer skipped: .*python3 did not start/);
    expect('missing' in r && r.missing.includes('\n')).toBe(false);
  });

  it.skipIf(!hasTorch)('draws the same inputs as the TypeScript side (one generator, two languages)', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const py = spawnSync(torchPython(), ['-c', 'import sys, json; sys.path.insert(0, sys.argv[1]); import torch_peer; print(json.dumps(torch_peer.values(7, 3, 0.125).tolist()))', dir], { encoding: 'utf8' });
    expect(py.status).toBe(0);
    expect(Float32Array.from(JSON.parse(py.stdout) as number[])).toEqual(values(7, 3, 0.125));
  });

  it.skipIf(!hasTorch)('times every op row rheo times, under the same names', () => {
    const r = runTorchPeer({ part: 'ops', warmup: 1, repeats: 1 });
    if ('missing' in r) throw new Error(r.missing);
    expect(r.threads).toBe(1);
    for (const row of opRows()) {
      expect(r.rows[row.name], row.name).toBeGreaterThan(0);
      expect(r.cpu_rows?.[row.name], row.name).toBeGreaterThan(0);
    }
  }, 60_000);

  it.skipIf(!hasTorch)('runs every training-step row rheo times (RealNVP, MAF, residual flow, coupling of its size, SAEF), under the same names', () => {
    const d = 6, n = 32;
    const { rows, request } = stepRows(values(n * d, 9), d);
    const models = ['RealNVP', 'MAF', 'residual-flow', 'RealNVP', 'SAEF'];
    // Each step as written, then replayed by jit: the jit rows are compared with the same PyTorch rows.
    expect(rows.map((r) => r.name.split(' ')[0])).toEqual([...models, ...models]);
    expect(rows.slice(5).map((r) => r.peer)).toEqual(rows.slice(0, 5).map((r) => r.name));
    expect(rows.slice(5).map((r) => r.name)).toEqual(rows.slice(0, 5).map((r) => `${r.name}${JIT}`));
    const r = runTorchPeer(request(1, 1));
    if ('missing' in r) throw new Error(r.missing);
    for (const row of rows) expect(r.rows[row.peer ?? row.name], row.name).toBeGreaterThan(0);
  }, 120_000);
});
