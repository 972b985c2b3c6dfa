import { resolve } from 'node:path';
import { ArgumentError } from '@rheo/tensor';

export const SUITES = ['toy', 'tabular', 'speed', 'kernels', 'peer', 'onnx', 'hybrid', 'posterior'] as const;
export type SuiteName = (typeof SUITES)[number];
/**
 * What `pnpm bench` runs with no --suite: the suites that train flows, plus the TensorFlow.js peer.
 * The paper-experiment suites (hybrid, posterior) run only when named, or with `--suite all`.
 */
export const DEFAULT_SUITES: readonly SuiteName[] = ['toy', 'tabular', 'speed', 'kernels', 'peer'];

export type Size = 'quick' | 'default' | 'full';

export interface BenchOptions {
  readonly suites: readonly SuiteName[];
  /** A data set name or `npy:DIR`; undefined: each suite's own list. */
  readonly dataset?: string;
  readonly backend: 'cpu' | 'webgpu' | 'auto';
  readonly seed: number;
  /** Training steps per model; undefined: the size's default. */
  readonly steps?: number;
  /** Per-model training budget in minutes (the run stops after the step that exceeds it); undefined: none. */
  readonly budgetMinutes?: number;
  /** Only these models (`realnvp`, or `realnvp/mle` for one objective) in the training suites; undefined: every model. */
  readonly models?: readonly string[];
  readonly size: Size;
  readonly dataDir: string;
  readonly out: string;
  readonly help: boolean;
}

const APP_ROOT = resolve(import.meta.dirname, '..');
const VALUED = new Set(['--suite', '--dataset', '--backend', '--seed', '--steps', '--budget-minutes', '--model', '--data-dir', '--out']);
const FLAGS = new Set(['--quick', '--full', '--help', '-h']);

export const USAGE = `usage: rheo-bench [--suite toy|tabular|speed|kernels|peer|onnx|hybrid|posterior|all] [--dataset NAME|npy:DIR]
                  [--backend cpu|webgpu|auto] [--seed N] [--steps N | --quick | --full]
                  [--budget-minutes M] [--model NAME[/OBJECTIVE][,...]]
                  [--data-dir DIR] [--out DIR]`;

function integer(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new ArgumentError(`${name}: received ${JSON.stringify(value)}; expected an integer >= ${min}`);
  }
  return n;
}

/**
 * Parses the command line (without node and the script). `env` supplies
 * RHEO_DATA_DIR; relative directories are resolved against `cwd`.
 */
export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): BenchOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    // pnpm forwards the `--` of `pnpm bench -- --quick`; there are no positional arguments for it to separate.
    if (arg === '--') continue;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (FLAGS.has(name)) {
      flags.add(name);
    } else if (VALUED.has(name)) {
      const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new ArgumentError(`${name}: received nothing; expected a value after it`);
      values.set(name, value);
    } else {
      throw new ArgumentError(`unknown option ${JSON.stringify(arg)}; expected one of ${[...VALUED, ...FLAGS].join(' ')}`);
    }
  }
  const suiteArg = values.get('--suite');
  let suites: readonly SuiteName[] = DEFAULT_SUITES;
  if (suiteArg !== undefined) {
    const names = suiteArg.split(',');
    if (names.includes('all')) suites = SUITES;
    else {
      for (const s of names) {
        if (!(SUITES as readonly string[]).includes(s)) {
          throw new ArgumentError(`--suite: received ${JSON.stringify(s)}; expected one of ${SUITES.join(', ')}, all`);
        }
      }
      suites = names as SuiteName[];
    }
  }
  const backend = values.get('--backend') ?? 'cpu';
  if (backend !== 'cpu' && backend !== 'webgpu' && backend !== 'auto') {
    throw new ArgumentError(`--backend: received ${JSON.stringify(backend)}; expected cpu, webgpu or auto`);
  }
  if (flags.has('--quick') && flags.has('--full')) throw new ArgumentError('--quick and --full: received both; expected at most one');
  const size: Size = flags.has('--quick') ? 'quick' : flags.has('--full') ? 'full' : 'default';
  const stepsArg = values.get('--steps');
  const budgetArg = values.get('--budget-minutes');
  const budget = budgetArg === undefined ? undefined : Number(budgetArg);
  if (budget !== undefined && !(Number.isFinite(budget) && budget > 0)) {
    throw new ArgumentError(`--budget-minutes: received ${JSON.stringify(budgetArg)}; expected a positive number of minutes per model`);
  }
  const dataset = values.get('--dataset');
  const modelArg = values.get('--model');
  const models = modelArg?.split(',');
  if (models !== undefined && !models.every((m) => /^[a-z0-9-]+(\/(mle|energy))?$/.test(m))) {
    throw new ArgumentError(`--model: received ${JSON.stringify(modelArg)}; expected model names such as realnvp or realnvp/mle, separated by commas`);
  }
  const envDir = env.RHEO_DATA_DIR !== undefined && env.RHEO_DATA_DIR !== '' ? env.RHEO_DATA_DIR : undefined;
  const dataDir = values.get('--data-dir') ?? envDir;
  return {
    suites,
    ...(dataset !== undefined ? { dataset } : {}),
    backend,
    seed: integer('--seed', values.get('--seed') ?? '0', 0),
    ...(stepsArg !== undefined ? { steps: integer('--steps', stepsArg, 1) } : {}),
    ...(budget !== undefined ? { budgetMinutes: budget } : {}),
    ...(models !== undefined ? { models } : {}),
    size,
    // The repository root is two levels above the app; the shared data sit beside it.
    dataDir: dataDir !== undefined ? resolve(cwd, dataDir) : resolve(APP_ROOT, '../../../shared/data'),
    out: resolve(cwd, values.get('--out') ?? resolve(APP_ROOT, 'out/bench')),
    help: flags.has('--help') || flags.has('-h'),
  };
}
