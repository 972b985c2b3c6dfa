import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSafetensors } from '@rheo/nn';
import type { Row } from './results.js';

const APP = resolve(import.meta.dirname, '..');
const DATA = process.env.RHEO_DATA_DIR ?? resolve(APP, '../../../shared/data');
const ENV = { ...process.env, RHEO_DATA_DIR: DATA, INIT_CWD: APP };
// One model long enough to pass its first checkpoint (every 50 steps) well before it ends.
const ARGS = ['--suite', 'toy', '--dataset', 'moons', '--quick', '--steps', '70', '--seed', '3'];
const work = mkdtempSync(join(tmpdir(), 'rheo-bench-kill-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function finish(out: string): { rows: Row[]; log: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...ARGS, '--out', out], { cwd: APP, env: ENV, encoding: 'utf8', timeout: 180_000 });
  expect(r.status, r.stderr).toBe(0);
  return { rows: JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Row[], log: r.stderr };
}

/** Starts a run and SIGKILLs it as soon as its first checkpoint file is in place. */
async function killAfterFirstCheckpoint(out: string): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...ARGS, '--out', out], { cwd: APP, env: ENV, stdio: 'ignore' });
  const dir = join(out, 'checkpoints');
  const deadline = Date.now() + 120_000;
  let files: string[] = [];
  while (Date.now() < deadline && child.exitCode === null) {
    // The main checkpoint, not the best-validation copy that validation writes earlier.
    files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.safetensors') && !f.endsWith('.best.safetensors')) : [];
    if (files.length > 0) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return files;
}

/** Starts a run and SIGKILLs it after `ms` milliseconds, unless it has ended by then. */
async function killAfter(out: string, ms: number): Promise<boolean> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...ARGS, '--out', out], { cwd: APP, env: ENV, stdio: 'ignore' });
  const ended = new Promise((r) => child.once('exit', r));
  const timedOut = await Promise.race([ended.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), ms))]);
  if (timedOut) {
    child.kill('SIGKILL');
    await ended;
  }
  return timedOut;
}

/** Kill times in ms, seeded (RHEO_KILL_SEED, RHEO_KILLS as in @rheo/train's kill test): uniform on [0.3 s, 8.3 s] by a 32-bit LCG. */
function killTimes(): number[] {
  const n = Number(process.env.RHEO_KILLS ?? 3);
  let state = Number(process.env.RHEO_KILL_SEED ?? 11) >>> 0;
  return Array.from({ length: n }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return 300 + (state / 2 ** 32) * 8000;
  });
}

// The uninterrupted run both tests compare with, made once.
let straightRun: Row[] | undefined;
const straightRows = (): Row[] => (straightRun ??= finish(join(work, 'straight')).rows);

// Metrics that depend only on the parameters and the seed (not on timing).
const DETERMINISTIC = new Set(['energy_distance', 'mmd', 'nll_nats', 'inverse_max_err']);
const key = (r: Row) => `${r.dataset}/${r.model}/${r.objective}/${r.metric}`;

describe('a benchmark run killed mid-training', () => {
  it('resumes from its last checkpoint and ends with the numbers of an uninterrupted run', async () => {
    const killed = join(work, 'killed');
    const saved = await killAfterFirstCheckpoint(killed);
    expect(saved.length).toBeGreaterThan(0);
    expect(existsSync(join(killed, 'results.json'))).toBe(false);
    const second = finish(killed);
    // No temporary file of a killed save (checkpoints, step times, results) outlives the run that resumed it.
    for (const d of [killed, join(killed, 'checkpoints')]) expect(readdirSync(d).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // The first model picks up after its step-50 checkpoint instead of starting over.
    expect(second.log).toMatch(/resumed after step 50/);
    const resumed = second.rows.filter((r) => DETERMINISTIC.has(r.metric));
    const straight = straightRows().filter((r) => DETERMINISTIC.has(r.metric));
    expect(resumed.length).toBeGreaterThan(0);
    expect(new Map(resumed.map((r) => [key(r), r.value]))).toEqual(new Map(straight.map((r) => [key(r), r.value])));
  }, 300_000);

  it('survives kills at seeded random times: no corrupt or orphan file, and the numbers of an uninterrupted run', async () => {
    const out = join(work, 'random-kills');
    let landed = 0;
    for (const ms of killTimes()) {
      if (await killAfter(out, ms)) landed++;
      if (process.env.RHEO_KILL_LOG) console.log(ms.toFixed(0), existsSync(join(out, 'checkpoints')) ? readdirSync(join(out, 'checkpoints')).join(' ') : '-');
    }
    expect(landed).toBeGreaterThan(0);
    const checkpoints = join(out, 'checkpoints');
    // Every checkpoint left by a kill decodes, its data CRC-32 verified.
    for (const f of readdirSync(checkpoints).filter((n) => n.endsWith('.safetensors'))) {
      expect(() => parseSafetensors(readFileSync(join(checkpoints, f)), f)).not.toThrow();
    }
    const done = finish(out);
    for (const d of [out, checkpoints]) expect(readdirSync(d).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const resumed = done.rows.filter((r) => DETERMINISTIC.has(r.metric));
    expect(resumed.length).toBeGreaterThan(0);
    expect(new Map(resumed.map((r) => [key(r), r.value]))).toEqual(new Map(straightRows().filter((r) => DETERMINISTIC.has(r.metric)).map((r) => [key(r), r.value])));
  }, 300_000);
});
