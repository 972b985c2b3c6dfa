import { accessSync, constants, existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError, backendInfo, setBackend } from '@rheo/tensor';
import { exitCodeOf } from './exit-code.js';
import { makeDirs } from '@rheo/eval/node';
import { parseArgs, USAGE, type BenchOptions, type SuiteName } from './args.js';
import { RunContext } from './context.js';
import { datasetKind } from './datasets.js';
import { reportMarkdown } from './report.js';
import { suiteTable } from './results.js';
import { kernelsSuite } from './suites/kernels.js';
import { onnxSuite } from './suites/onnx.js';
import { hybridSuite } from './suites/hybrid.js';
import { peerSuite } from './suites/peer.js';
import { posteriorSuite } from './suites/posterior.js';
import { speedSuite } from './suites/speed.js';
import { tabularSuite } from './suites/tabular.js';
import { toySuite } from './suites/toy.js';

const RUNNERS: Record<SuiteName, (ctx: RunContext) => Promise<void>> = {
  toy: toySuite, tabular: tabularSuite, speed: speedSuite, kernels: kernelsSuite, peer: peerSuite, onnx: onnxSuite, hybrid: hybridSuite,
  posterior: posteriorSuite,
};

function checkOut(out: string): void {
  makeDirs(out, '--out');
  try {
    accessSync(out, constants.W_OK);
  } catch (err) {
    throw new ArgumentError(`--out: cannot write to ${JSON.stringify(out)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); expected a writable directory`);
  }
}

/** Suites other than toy and kernels read the shared data: fail before any training when it is missing. */
function checkData(o: BenchOptions): void {
  const needs = o.suites.some((s) => s === 'tabular' || s === 'speed' || s === 'hybrid' || (s === 'peer' && (o.dataset === undefined || datasetKind(o.dataset) !== 'toy')));
  if (needs && !(existsSync(o.dataDir) && statSync(o.dataDir).isDirectory())) {
    throw new ArgumentError(`--data-dir: ${JSON.stringify(o.dataDir)} is not a directory; expected the shared data folder (or set RHEO_DATA_DIR)`);
  }
  if (o.dataset !== undefined && datasetKind(o.dataset) === 'unknown') {
    throw new ArgumentError(`--dataset: received ${JSON.stringify(o.dataset)}; expected a toy set (moons, 8gaussians, ...), power, miniboone, digits, mnist or npy:DIR`);
  }
}

const TAKES: Record<SuiteName, readonly string[]> = {
  toy: ['toy'], tabular: ['tabular'], speed: ['image'], kernels: [], peer: ['toy', 'tabular'], onnx: [], hybrid: [], posterior: [],
};

/** With --dataset and no --suite, the default suites that can use that data set. */
function withDatasetSuites(o: BenchOptions, suiteGiven: boolean): BenchOptions {
  if (suiteGiven || o.dataset === undefined) return o;
  const kind = datasetKind(o.dataset);
  if (kind === 'unknown') return o;
  return { ...o, suites: o.suites.filter((s) => TAKES[s].includes(kind)) };
}

/**
 * The WebGPU backend registers itself when its entry point is imported. The
 * specifier is a variable so that the app builds where that entry point is not
 * installed; setBackend then reports the missing backend.
 */
async function registerWebGpu(): Promise<void> {
  const entry = '@rheo/tensor/webgpu';
  try {
    await import(entry);
  } catch {
    // setBackend names the missing backend and how to get it.
  }
}

/** Writes through a temporary file and a rename, so a kill leaves the previous file or the new one, never half of one. */
function writeAtomic(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

async function main(argv: readonly string[]): Promise<number> {
  // pnpm runs scripts in the app's folder; relative paths should mean the caller's folder.
  const parsed = parseArgs(argv, process.env, process.env.INIT_CWD ?? process.cwd());
  const o = withDatasetSuites(parsed, argv.some((a) => a === '--suite' || a.startsWith('--suite=')));
  if (o.help) {
    console.log(USAGE);
    return 0;
  }
  checkOut(o.out);
  checkData(o);
  if (o.backend !== 'cpu') await registerWebGpu();
  await setBackend(o.backend, { quiet: true });
  const ctx = new RunContext(o, backendInfo().name);
  console.log(`rheo bench: suites ${o.suites.join(', ')} on ${backendInfo().description}, seed ${o.seed}, output ${o.out}`);
  const t0 = performance.now();
  for (const s of o.suites) {
    await RUNNERS[s](ctx);
    console.log(`\n## ${s}\n\n${suiteTable(ctx.rows.filter((r) => r.suite === s))}\n`);
    // Rows so far are kept, so a later failure or kill loses only the suite it hit.
    writeAtomic(join(o.out, 'results.json'), JSON.stringify(ctx.rows, null, 2) + '\n');
  }
  writeAtomic(join(o.out, 'report.md'), reportMarkdown(ctx, (performance.now() - t0) / 1000));
  console.log(`wrote ${join(o.out, 'results.json')} and ${join(o.out, 'report.md')}`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`rheo-bench: ${message.split('\n')[0]}\n`);
  if (process.env.RHEO_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
  process.exitCode = exitCodeOf(err);
}
