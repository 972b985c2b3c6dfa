import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { userEnv } from './consumer-project.js';
import { useConsumerProject } from './use-consumer-project.js';
import { fencedBlocks } from './fenced-blocks.js';
import { publishablePackages, repoRoot } from './workspace-packages.js';

const fixtures = resolve(import.meta.dirname, '..', 'fixtures');
const needed = publishablePackages().filter((p) => p.name === '@rheo/tensor' || p.name === '@rheo/nn');
const ready = needed.length === 2 && needed.every((p) => p.built);

interface NnReport {
  format: string;
  resolved: string[];
  masked: number[][];
  masks: number[][][];
  names: string[];
  loaded: number[][];
  metadata: Record<string, string>;
}

/** The saved file read back from the safetensors spec: u64 LE header size, JSON header, LE float32 data. */
function readFloat32Entry(file: string, name: string): { shape: number[]; values: number[]; meta: unknown; dataCrc32: string } {
  const bytes = readFileSync(file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'));
  const [b, e] = header[name].data_offsets as [number, number];
  const values: number[] = [];
  for (let p = b; p < e; p += 4) values.push(view.getFloat32(8 + n + p, true));
  // The CRC-32 of the whole data section, by zlib's own implementation, to compare with the one rheo stores.
  const dataCrc32 = crc32(bytes.subarray(8 + n)).toString(16).padStart(8, '0');
  return { shape: header[name].shape, values, meta: header.__metadata__, dataCrc32 };
}

describe.skipIf(!ready)('@rheo/nn and @rheo/nn/node from the packed tarballs', () => {
  const project = useConsumerProject(needed);

  // Hand-computed: W ⊙ M = [[1, 0], [3, 4]], so [1, 1]·(W ⊙ M)ᵀ + [0.5, 0] = [1.5, 7].
  // MADE, d = 3, one hidden layer of 4: input degrees 1..3, hidden (u mod 2) + 1 = [1, 2, 1, 2];
  // hidden mask m_h ≥ m_in, output mask m_out > m_h.
  const check = (r: NnReport, tag: string): void => {
    expect(r.masked).toEqual([[1.5, 7]]);
    expect(r.masks).toEqual([
      [[1, 0, 0], [1, 1, 0], [1, 0, 0], [1, 1, 0]],
      [[0, 0, 0, 0], [1, 0, 1, 0], [1, 1, 1, 1]],
    ]);
    const layerNames = (prefix: string) => [`${prefix}.0.b`, `${prefix}.0.w`, `${prefix}.1.b`, `${prefix}.1.w`];
    expect(r.names).toEqual([...layerNames('adam.m'), 'adam.step', ...layerNames('adam.v'), ...layerNames('params')]);
    expect(r.loaded).toEqual([[1.5, -2]]);
    expect(r.metadata).toEqual({ from: tag });
    const raw = readFloat32Entry(join(project().dir, `${tag}.safetensors`), 'w');
    expect(raw).toEqual({ shape: [1, 2], values: [1.5, -2], meta: { from: tag, 'rheo.data_crc32': raw.dataCrc32 }, dataCrc32: raw.dataCrc32 });
  };

  it('works from an ES module (dist/index.js, dist/node.js)', () => {
    copyFileSync(join(fixtures, 'use-nn.mjs'), join(project().dir, 'use-nn.mjs'));
    const r = JSON.parse(project().node('use-nn.mjs')) as NnReport;
    expect(r.format).toBe('esm');
    expect(r.resolved[0]!.replaceAll('\\', '/')).toMatch(/node_modules\/@rheo\/nn\/dist\/index\.js$/);
    expect(r.resolved[1]!.replaceAll('\\', '/')).toMatch(/node_modules\/@rheo\/nn\/dist\/node\.js$/);
    check(r, 'esm');
  });

  it('works from a CommonJS script (dist/index.cjs, dist/node.cjs)', () => {
    copyFileSync(join(fixtures, 'use-nn.cjs'), join(project().dir, 'use-nn.cjs'));
    const r = JSON.parse(project().node('use-nn.cjs')) as NnReport;
    expect(r.format).toBe('cjs');
    expect(r.resolved[0]!.replaceAll('\\', '/')).toMatch(/node_modules\/@rheo\/nn\/dist\/index\.cjs$/);
    expect(r.resolved[1]!.replaceAll('\\', '/')).toMatch(/node_modules\/@rheo\/nn\/dist\/node\.cjs$/);
    check(r, 'cjs');
  });

  it('keeps node: modules out of the browser entry point', () => {
    const dist = join(project().dir, 'node_modules', '@rheo', 'nn', 'dist');
    const code = readdirSync(dist).filter((f) => /\.(c?js)$/.test(f) && !f.startsWith('node.'));
    expect(code.length).toBeGreaterThan(0);
    for (const f of code) expect(readFileSync(join(dist, f), 'utf8'), f).not.toMatch(/["']node:/);
  });

  it('type-checks from .mts and .cts under NodeNext resolution', () => {
    for (const f of ['use-nn.mts', 'use-nn.cts']) copyFileSync(join(fixtures, f), join(project().dir, f));
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const args = [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2022,dom', '--listFiles', 'use-nn.mts', 'use-nn.cts'];
    let listed: string;
    try {
      listed = execFileSync(process.execPath, args, { cwd: project().dir, env: userEnv(), encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      throw new Error(`tsc rejected the consumer files:\n${(e as { stdout?: string }).stdout ?? ''}`);
    }
    expect(listed).toMatch(/node_modules\/@rheo\/nn\/dist\/node\.d\.ts$/m);
    expect(listed).toMatch(/node_modules\/@rheo\/nn\/dist\/node\.d\.cts$/m);
  }, 60_000);

  it('runs the README example of packages/nn', () => {
    const blocks = fencedBlocks(readFileSync(join(repoRoot, 'packages', 'nn', 'README.md'), 'utf8'));
    const example = blocks.filter((b) => b.label?.startsWith('example: nn usage'));
    expect(example).toHaveLength(1);
    writeFileSync(join(project().dir, 'nn-readme-example.mjs'), example[0]!.code);
    const lines = project().node('nn-readme-example.mjs').trimEnd().split('\n');
    // The loss of the fit falls tenfold; 300 Adam and EMA steps are counted; metadata comes back as written.
    expect(lines).toEqual(['true', '300 300 x squared']);
  });
});
