import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseNpy, serializeNpy } from '@rheo/data';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Row } from './results.js';

const APP = resolve(import.meta.dirname, '..');
const DATA = process.env.RHEO_DATA_DIR ?? resolve(APP, '../../../shared/data');

function cli(args: readonly string[], timeout = 120_000) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: APP, encoding: 'utf8', env: { ...process.env, RHEO_DATA_DIR: DATA, INIT_CWD: APP }, timeout,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('rheo-bench, every suite at tiny size', () => {
  const out = mkdtempSync(join(tmpdir(), 'rheo-bench-'));
  let rows: Row[] = [];
  beforeAll(() => {
    const r = cli(['--suite', 'all', '--quick', '--steps', '3', '--out', out, '--seed', '7'], 290_000);
    expect(r.stderr.split('\n').filter((l) => /Error|at /.test(l))).toEqual([]);
    expect(r.code).toBe(0);
    rows = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Row[];
  }, 300_000);

  it('writes rows for every suite with finite values, units and the seed', () => {
    expect(new Set(rows.map((r) => r.suite))).toEqual(new Set(['toy', 'tabular', 'speed', 'kernels', 'peer', 'onnx', 'hybrid', 'posterior']));
    for (const r of rows) {
      expect(Number.isFinite(r.value), `${r.suite} ${r.model} ${r.metric}`).toBe(true);
      expect(r.unit.length).toBeGreaterThan(0);
      expect(r.seed).toBe(7);
      expect(r.backend).toBe('cpu');
    }
    const has = (suite: string, metric: string) => rows.some((r) => r.suite === suite && r.metric === metric);
    for (const m of ['energy_distance', 'nll_nats', 'samples_per_s', 'train_step_ms', 'inverse_max_err']) expect(has('toy', m)).toBe(true);
    for (const m of ['energy_distance', 'mmd', 'nll_nats', 'samples_per_s']) expect(has('tabular', m)).toBe(true);
    expect(has('peer', 'speed_ratio_vs_peer')).toBe(true);
    // The configured step count is recorded, as it keys the checkpoints.
    for (const r of rows.filter((x) => x.metric === 'steps')) expect(r.value).toBe(3);
    expect(has('toy', 'steps') && has('tabular', 'steps') && has('peer', 'steps')).toBe(true);
    // Two libraries, same initial weights, minibatches and Adam steps: the same test NLL up to float32 noise
    // (about 1e-6 relative; with different initial weights the two differ by about 1e-3 after 3 steps).
    const peerNll = (model: string) => rows.find((r) => r.suite === 'peer' && r.model === model && r.metric === 'nll_nats')!.value;
    expect(Math.abs(peerNll('realnvp (rheo)') - peerNll('realnvp (tfjs-cpu)'))).toBeLessThan(1e-4 * Math.abs(peerNll('realnvp (tfjs-cpu)')));
    expect(has('kernels', 'speed_ratio_vs_peer')).toBe(true);
    // The exported graphs ran (after agreeing with rheo) at 1 and 2 threads, density and sampling, with their sizes.
    for (const m of ['density_rows_per_s_rheo_cpu', 'density_rows_per_s_ort_1t', 'density_rows_per_s_ort_2t', 'sample_rows_per_s_ort_1t', 'density_file_kib', 'sample_file_kib']) expect(has('onnx', m), m).toBe(true);
    expect(rows.filter((r) => r.suite === 'onnx' && r.metric.endsWith('file_kib')).every((r) => r.value > 1)).toBe(true);
    expect(rows.find((r) => r.suite === 'speed' && r.model === 'maf' && r.metric === 'network_passes')?.value).toBe(64);
    // Digits are dequantised over 17 levels without a logit: bits/dim = (NLL + 64·ln 17) / (64·ln 2).
    const speed = (metric: string) => rows.find((r) => r.suite === 'speed' && r.model === 'maf' && r.metric === metric)!.value;
    expect(speed('bits_per_dim')).toBeCloseTo((speed('nll_nats') + 64 * Math.log(17)) / (64 * Math.LN2), 6);
    expect(rows.some((r) => r.metric === 'bits_per_dim' && r.suite !== 'speed' && r.suite !== 'hybrid')).toBe(false);
    // Hybrid: both flow families at λ ∈ {0, 1/D, 1} on both image sets, accuracies in [0, 1], bits/dim above 0.
    for (const dataset of ['digits', 'mnist-7x7']) {
      for (const model of ['residual', 'realnvp']) {
        for (const objective of ['λ=0', 'λ=1/D', 'λ=1']) {
          const v = (metric: string) => rows.find((r) => r.suite === 'hybrid' && r.dataset === dataset && r.model === model && r.objective === objective && r.metric === metric)?.value;
          expect(v('test_accuracy'), `${dataset} ${model} ${objective}`).toBeGreaterThanOrEqual(0);
          expect(v('test_accuracy')).toBeLessThanOrEqual(1);
          expect(v('bits_per_dim')).toBeGreaterThan(0);
        }
      }
    }
    // Posterior: the exact reference scored against itself sits below both models on both simulators.
    for (const dataset of ['linear-gaussian', 'two-moons']) {
      const ed = (model: string) => rows.find((r) => r.suite === 'posterior' && r.dataset === dataset && r.model === model && r.metric === 'energy_distance')!.value;
      expect(ed('reference')).toBeLessThan(Math.min(ed('maf'), ed('saef')));
    }
    // The logit model's rows carry the logit correction: its bits/dim is not the plain formula applied to its NLL.
    const logit = (metric: string) => rows.find((r) => r.suite === 'speed' && r.model === 'maf-logit' && r.metric === metric)!.value;
    expect(Math.abs(logit('bits_per_dim') - (logit('nll_nats') + 64 * Math.log(17)) / (64 * Math.LN2))).toBeGreaterThan(0.5);
    expect(logit('bits_per_dim')).toBeGreaterThan(0);
    expect(logit('bits_per_dim')).toBeLessThan(Math.log2(17) * 2);
    // Energy distances are non-negative up to sampling noise; a model's NLL on standardised POWER is far from 0 or 1e6.
    for (const r of rows.filter((x) => x.metric === 'energy_distance')) expect(r.value).toBeGreaterThan(-0.05);
  });

  it('has NSF rows beside RealNVP in the toy and tabular suites', () => {
    for (const suite of ['toy', 'tabular']) {
      for (const model of ['nsf', 'realnvp']) expect(rows.some((r) => r.suite === suite && r.model === model && r.metric === 'nll_nats'), `${suite} ${model}`).toBe(true);
    }
  });

  it('writes readable float32 n×d samples in the data units', () => {
    const toy = parseNpy(readFileSync(join(out, 'samples', 'toy-moons-realnvp-mle.npy')));
    expect(toy.shape).toEqual([300, 2]);
    const power = parseNpy(readFileSync(join(out, 'samples', 'tabular-power-maf-mle.npy')));
    expect(power.shape).toEqual([300, 6]);
    // Back in original units: POWER's voltage column (index 1) sits near 240 V, not near 0.
    let mean = 0;
    for (let i = 0; i < 300; i++) mean += Number(power.data[i * 6 + 1]) / 300;
    expect(mean).toBeGreaterThan(200);
    expect(mean).toBeLessThan(260);
  });

  it('writes the report with a table per suite, plots and checkpoints', () => {
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    for (const s of ['toy', 'tabular', 'speed', 'kernels', 'peer']) expect(report).toContain(`## ${s}`);
    expect(report).toMatch(/MINIBOONE: no training split available; the MAF validation split \(val\.npy\) is used for training and the MAF test split \(test\.npy\) for testing/);
    expect(existsSync(join(out, 'plots', 'toy-moons-realnvp-mle-samples.svg'))).toBe(true);
    const png = readFileSync(join(out, 'plots', 'speed-digits-data.png'));
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    expect(existsSync(join(out, 'checkpoints', 'toy-moons-realnvp-mle-seed7-quick-3steps.safetensors'))).toBe(true);
  });

  it('writes checkpoints that loadModel rebuilds with no code: the training file and its best-validation copy', async () => {
    const { loadModel } = await import('@rheo/models/node');
    for (const file of ['toy-moons-realnvp-mle-seed7-quick-3steps.safetensors', 'toy-moons-residual-mle-seed7-quick-3steps.best.safetensors']) {
      const m = await loadModel(join(out, 'checkpoints', file));
      expect(m.kind).toBe('flow');
      expect(m.features).toBe(2);
    }
    const rows = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Array<{ metric: string; model: string; dataset: string; value: number }>;
    // The bench reports where each run stopped and, validating, its best step.
    expect(rows.some((r) => r.metric === 'steps_run' && r.model === 'realnvp')).toBe(true);
    expect(rows.some((r) => r.metric === 'best_step')).toBe(true);
  });

  it('resumes from its checkpoints instead of training again', () => {
    const r = cli(['--suite', 'toy', '--quick', '--steps', '3', '--out', out, '--seed', '7']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('restored from step 3');
    // Step times were kept beside the checkpoints: restored models still report them.
    const again = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Row[];
    const timed = again.filter((x) => x.suite === 'toy' && x.metric === 'train_step_ms');
    expect(timed.length).toBe(again.filter((x) => x.suite === 'toy' && x.metric === 'energy_distance').length);
    for (const x of timed) expect(x.value).toBeGreaterThan(0);
    // The training NLL of maximum-likelihood models comes back from the same file, unchanged.
    const trainNll = (rs: Row[]) => rs.filter((x) => x.suite === 'toy' && x.metric === 'train_nll_nats').map((x) => `${x.model}/${x.objective} ${x.value}`);
    expect(trainNll(again).length).toBe(again.filter((x) => x.suite === 'toy' && x.objective === 'mle' && x.metric === 'nll_nats').length);
    expect(trainNll(again)).toEqual(trainNll(rows));
  }, 120_000);
});

describe('rheo-bench --dataset without --suite', () => {
  it('runs the default suites that take that data set, on that data set only', () => {
    const out = mkdtempSync(join(tmpdir(), 'rheo-bench-'));
    const r = cli(['--dataset', 'moons', '--quick', '--steps', '2', '--out', out]);
    expect(r.code).toBe(0);
    const rows = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Row[];
    expect(new Set(rows.map((x) => x.suite))).toEqual(new Set(['toy', 'peer']));
    expect(new Set(rows.map((x) => x.dataset))).toEqual(new Set(['moons']));
  }, 120_000);
});

describe('rheo-bench input errors', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['unknown suite', ['--suite', 'nope'], /--suite: received "nope"/],
    ['unknown option', ['--fast'], /unknown option "--fast"/],
    ['unknown dataset', ['--suite', 'tabular', '--dataset', 'cifar'], /--dataset: received "cifar"/],
    ['missing data dir', ['--suite', 'tabular', '--data-dir', '/nonexistent-rheo-data'], /--data-dir: .* is not a directory/],
    ['bad steps', ['--steps', '0'], /--steps: received "0"/],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: exit 2 with one line on stderr`, () => {
      const r = cli([...args, '--out', mkdtempSync(join(tmpdir(), 'rheo-bench-'))]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }

  it('unwritable out dir: exit 2 with one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rheo-bench-'));
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r = cli(['--suite', 'toy', '--out', join(file, 'sub')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--out: cannot write/);
  });

  it('an output folder under /proc: exit 2 with one line, no hang', () => {
    const t0 = Date.now();
    const r = cli(['--suite', 'toy', '--out', '/proc/rheo-bench-out/sub']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--out: cannot write to "\/proc\/rheo-bench-out\/sub"/);
    expect(Date.now() - t0).toBeLessThan(60_000);
  });

  it('an npy folder with an empty test split: exit 2 before any training', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rheo-bench-'));
    writeFileSync(join(dir, 'train.npy'), serializeNpy(new Float32Array(8), [4, 2]));
    writeFileSync(join(dir, 'test.npy'), serializeNpy(new Float32Array(0), [0, 2]));
    const r = cli(['--suite', 'tabular', '--dataset', `npy:${dir}`, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/test\.npy has shape \(0, 2\)/);
    expect(existsSync(join(dir, 'out', 'checkpoints')) && readdirSync(join(dir, 'out', 'checkpoints')).length).toBeFalsy();
  });

  it('exits 2 through `pnpm bench` too, not pnpm\'s own 1', () => {
    const r = spawnSync('pnpm', ['bench', '--', '--suite', 'nope'], { cwd: resolve(APP, '../..'), encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--suite: received "nope"/);
  });

  it('malformed data file: exit 2 with one line naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rheo-bench-'));
    writeFileSync(join(dir, 'train.npy'), 'not an npy file');
    writeFileSync(join(dir, 'test.npy'), 'not an npy file');
    chmodSync(dir, 0o755);
    const r = cli(['--suite', 'tabular', '--dataset', `npy:${dir}`, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('train.npy');
  });
});
