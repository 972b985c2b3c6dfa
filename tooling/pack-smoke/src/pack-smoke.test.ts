import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumerProject, userEnv, type ConsumerProject } from './consumer-project.js';
import { publishablePackages } from './workspace-packages.js';

const fixtures = resolve(import.meta.dirname, '..', 'fixtures');
const packages = publishablePackages();
const built = packages.filter((p) => p.built);
const hasTensor = built.some((p) => p.name === '@rheo/tensor');

interface Report {
  format: string;
  resolved: string;
  product: number[][];
  cubeGrad: number[];
  wGrad: number[][];
  shapeError: { isShapeError: boolean; isRheoError: boolean; message: string } | null;
  survived: number;
  leaked: number;
}

describe('published packages', () => {
  let project: ConsumerProject | undefined;

  beforeAll(() => {
    if (built.length > 0) project = createConsumerProject(built);
  }, 120_000);
  afterAll(() => project?.remove());

  it('finds the publishable packages from packages/*/package.json and layers/*/package.json', () => {
    const names = packages.map((p) => p.name);
    expect(names).toContain('@rheo/tensor');
    expect(names).toContain('@rheo/splines');
    for (const n of names) expect(n).toMatch(/^@rheo\//);
  });

  it('depends on every publishable package, so turbo builds each one before this test', () => {
    const own = JSON.parse(readFileSync(resolve(import.meta.dirname, '..', 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const missing = packages.filter((p) => own.devDependencies[p.name] !== 'workspace:*').map((p) => p.name);
    expect(missing, `add ${missing.map((n) => `"${n}": "workspace:*"`).join(', ')} to tooling/pack-smoke devDependencies`).toEqual([]);
  });

  it.skipIf(built.length === 0)('pass publint at warning level, read from the packed tarball', async () => {
    for (const p of built) {
      const tgz = readFileSync(join(project!.dir, project!.tarballs[p.name]!));
      const tarball = tgz.buffer.slice(tgz.byteOffset, tgz.byteOffset + tgz.byteLength);
      const { messages, pkg } = await publint({ pack: { tarball }, level: 'warning', strict: true });
      const text = messages.map((m) => `${p.name}: ${formatMessage(m, pkg) ?? m.code}`);
      expect(text).toEqual([]);
    }
  });

  it.skipIf(built.length === 0)('install from the tarballs with npm, without reaching the registry for @rheo/*', () => {
    for (const p of built) {
      const installed = JSON.parse(readFileSync(join(project!.dir, 'node_modules', p.name, 'package.json'), 'utf8')) as {
        version: string;
        exports: Record<string, unknown>;
        devDependencies?: unknown;
      };
      expect(installed.version).toBe(p.version);
      // pnpm pack swaps in publishConfig: the exports must point at dist, never at src.
      expect(JSON.stringify(installed.exports)).not.toMatch(/\/src\//);
      expect(JSON.stringify(installed.exports)).toMatch(/\.\/dist\//);
    }
  });

  // Hand-computed expectations:
  // [[1,2],[3,4]]·[[5,6],[7,8]] = [[1·5+2·7, 1·6+2·8], [3·5+4·7, 3·6+4·8]] = [[19,22],[43,50]];
  // d/dx Σx³ = 3x² = [3,12,27] at x = [1,2,3];
  // d/dW_kj Σ_ij (A W)_ij = Σ_i A_ik, the column sums of A = [4,6], for every j.
  const check = (r: Report, entry: RegExp) => {
    expect(r.resolved.replaceAll('\\', '/')).toMatch(entry);
    expect(r.product).toEqual([[19, 22], [43, 50]]);
    expect(r.cubeGrad).toEqual([3, 12, 27]);
    expect(r.wGrad).toEqual([[4, 4], [6, 6]]);
    expect(r.shapeError?.isShapeError).toBe(true);
    expect(r.shapeError?.isRheoError).toBe(true);
    expect(r.shapeError?.message).toMatch(/matmul/);
    // The result returned from tidy survives it, the product and the sum's input do not.
    expect(r.survived).toBe(1);
    expect(r.leaked).toBe(0);
  };

  it.skipIf(!hasTensor)('@rheo/tensor works from an ES module (dist/index.js)', () => {
    copyFileSync(join(fixtures, 'use-tensor.mjs'), join(project!.dir, 'use-tensor.mjs'));
    const r = JSON.parse(project!.node('use-tensor.mjs')) as Report;
    expect(r.format).toBe('esm');
    check(r, /node_modules\/@rheo\/tensor\/dist\/index\.js$/);
  });

  it.skipIf(!hasTensor)('@rheo/tensor works from a CommonJS script (dist/index.cjs)', () => {
    copyFileSync(join(fixtures, 'use-tensor.cjs'), join(project!.dir, 'use-tensor.cjs'));
    const r = JSON.parse(project!.node('use-tensor.cjs')) as Report;
    expect(r.format).toBe('cjs');
    check(r, /node_modules\/@rheo\/tensor\/dist\/index\.cjs$/);
  });

  it.skipIf(!hasTensor)('@rheo/tensor type-checks from .mts and .cts under NodeNext resolution', () => {
    for (const f of ['use-tensor.mts', 'use-tensor.cts']) copyFileSync(join(fixtures, f), join(project!.dir, f));
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const args = [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2022,dom', '--listFiles', 'use-tensor.mts', 'use-tensor.cts'];
    let listed: string;
    try {
      listed = execFileSync(process.execPath, args, { cwd: project!.dir, env: userEnv(), encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const out = (e as { stdout?: string }).stdout ?? '';
      throw new Error(`tsc rejected the consumer files:\n${out}`);
    }
    // import resolves to the ESM declarations, require to the CommonJS ones.
    expect(listed).toMatch(/node_modules\/@rheo\/tensor\/dist\/index\.d\.ts$/m);
    expect(listed).toMatch(/node_modules\/@rheo\/tensor\/dist\/index\.d\.cts$/m);
  }, 60_000);
});
