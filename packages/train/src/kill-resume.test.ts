import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeSafetensors } from '@rheo/nn';
import { afterAll, describe, expect, it } from 'vitest';

const CHILD = resolve(import.meta.dirname, 'testing', 'kill-fit-child.ts');
const STEPS = 40;
const KILLS = Number(process.env.RHEO_KILLS ?? 5);
const work = mkdtempSync(join(tmpdir(), 'rheo-fit-kill-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const args = (path: string) => ['--import', 'tsx', CHILD, path, String(STEPS)];

/** A seeded stream of kill delays (a 32-bit LCG, Numerical Recipes' constants), so a failure replays. */
function delays(seed: number, n: number, lo: number, hi: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (s / 2 ** 32) * (hi - lo);
  });
}

async function runAndKill(path: string, ms: number): Promise<void> {
  const child = spawn(process.execPath, args(path), { cwd: import.meta.dirname, stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  await new Promise((r) => child.once('exit', r));
  clearTimeout(timer);
}

function finish(path: string): void {
  const r = spawnSync(process.execPath, args(path), { cwd: import.meta.dirname, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
}

/** Tensor name → bytes, read through the checksum-verifying decoder (a corrupt file throws). */
function tensors(path: string): Map<string, string> {
  const { entries } = decodeSafetensors(readFileSync(path), path);
  return new Map([...entries].map(([k, e]) => [k, Buffer.from(e.bytes).toString('base64')]));
}

describe('fit killed with SIGKILL at random times', () => {
  it(`resumes ${KILLS} times to the parameters of an uninterrupted run, with no corrupt or orphan file`, async () => {
    const killed = join(work, 'killed', 'ckpt.safetensors');
    spawnSync('mkdir', ['-p', join(work, 'killed'), join(work, 'straight')]);
    // Kills from just after start-up (about 1 s for tsx) to near the end of the run.
    for (const ms of delays(Number(process.env.RHEO_KILL_SEED ?? 15), KILLS, 900, 4000)) {
      await runAndKill(killed, ms);
      // Whatever the kill interrupted, the file in place is a whole checkpoint.
      if (existsSync(killed)) tensors(killed);
      if (process.env.RHEO_KILL_LOG) console.log(ms.toFixed(0), readdirSync(join(work, "killed")).join(" "), existsSync(killed) ? decodeSafetensors(readFileSync(killed)).metadata.step : "-");
    }
    finish(killed);
    expect(readdirSync(join(work, 'killed')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const straight = join(work, 'straight', 'ckpt.safetensors');
    finish(straight);
    expect(tensors(killed)).toEqual(tensors(straight));
  }, 180_000);
});
