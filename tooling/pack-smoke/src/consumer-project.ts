import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { PublishablePackage } from './workspace-packages.js';

/**
 * The pnpm binary running this test (pnpm sets npm_execpath for its scripts,
 * also when started through npx), else the one on PATH.
 */
function pnpmCommand(): [string, string[]] {
  const exec = process.env.npm_execpath;
  if (exec && basename(exec).includes('pnpm')) {
    return /\.[cm]?js$/.test(exec) ? [process.execPath, [exec]] : [exec, []];
  }
  return ['pnpm', []];
}

/**
 * The environment of a user's shell: without the npm_* variables a pnpm
 * script exports, which npm would otherwise read as its own configuration.
 */
export function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // NODE_PATH: pnpm points it at the workspace's store, which would let the
    // consumer resolve packages it never installed.
    if (!/^npm_/i.test(k) && !k.startsWith('PNPM_') && k !== 'NODE_PATH') env[k] = v;
  }
  return env;
}

export interface ConsumerProject {
  /** The temporary project directory, outside the workspace. */
  readonly dir: string;
  /** Tarball file name per package name. */
  readonly tarballs: Readonly<Record<string, string>>;
  /** Runs `node file` in the project and returns its stdout. */
  node(file: string): string;
  remove(): void;
}

/** Options of `createConsumerProject`. */
export interface ConsumerOptions {
  /**
   * Third-party packages the consumer's code imports but the @rheo packages
   * do not depend on (a runtime such as onnxruntime-node, 290 MB with its
   * binaries), linked from the workspace's installed copy by name → folder
   * instead of downloaded again.
   */
  readonly link?: Readonly<Record<string, string>>;
}

/**
 * Packs each package with `pnpm pack` (which applies publishConfig and
 * rewrites workspace: ranges) and installs the tarballs with npm into a fresh
 * project. The @rheo packages are not on the registry, so `overrides` points
 * every occurrence of them, also transitive ones, at the tarballs.
 */
export function createConsumerProject(packages: readonly PublishablePackage[], options: ConsumerOptions = {}): ConsumerProject {
  const dir = mkdtempSync(join(tmpdir(), 'rheo-consumer-'));
  try {
    const [pnpm, pre] = pnpmCommand();
    const tarballs: Record<string, string> = {};
    for (const p of packages) {
      const before = new Set(readdirSync(dir));
      execFileSync(pnpm, [...pre, 'pack', '--pack-destination', dir], { cwd: p.dir, stdio: 'pipe' });
      const made = readdirSync(dir).filter((f) => f.endsWith('.tgz') && !before.has(f));
      if (made.length !== 1) {
        throw new Error(`createConsumerProject(packages): pnpm pack of ${p.name} produced ${made.length} tarballs (${made.join(', ')}), expected 1`);
      }
      tarballs[p.name] = made[0]!;
    }
    const specs = Object.fromEntries(Object.entries(tarballs).map(([n, f]) => [n, `file:./${f}`]));
    const manifest = { name: 'rheo-consumer', version: '1.0.0', private: true, dependencies: specs, overrides: specs };
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
      cwd: dir,
      env: userEnv(),
      stdio: 'pipe',
    });
    for (const [name, folder] of Object.entries(options.link ?? {})) {
      const at = join(dir, 'node_modules', name);
      mkdirSync(dirname(at), { recursive: true });
      symlinkSync(folder, at, 'dir');
    }
    return {
      dir,
      tarballs,
      node: (file) => execFileSync(process.execPath, [file], { cwd: dir, env: userEnv(), encoding: 'utf8' }),
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
