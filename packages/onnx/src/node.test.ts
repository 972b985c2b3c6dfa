import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maf } from '@rheo/models';
import { perturb } from '@rheo/flows/testing';
import { key, normal } from '@rheo/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';
import { writeOnnx } from './node.js';
import { runOnnx } from './test-support/ort-run.js';

const dir = mkdtempSync(join(tmpdir(), 'rheo-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Runs a file in a fresh Node process with onnxruntime-node: what a deployment does.
const child = `
const ort = require('onnxruntime-node');
const fs = require('fs');
(async () => {
  const [file, inputs] = process.argv.slice(1);
  const feeds = {};
  for (const [k, v] of Object.entries(JSON.parse(fs.readFileSync(inputs, 'utf8')))) feeds[k] = new ort.Tensor('float32', Float32Array.from(v.data), v.shape);
  const s = await ort.InferenceSession.create(file);
  const out = await s.run(feeds);
  console.log(JSON.stringify(Object.fromEntries(Object.entries(out).map(([k, t]) => [k, Array.from(t.data)]))));
})();
`;

describe('writeOnnx', () => {
  it('writes a file that a fresh process reads and runs to the same numbers', async () => {
    const m = maf(key(3), 4, { transforms: 2, hidden: [16] });
    const params = perturb(m.params, key(4), 0.2);
    const bytes = await exportOnnx(m, params, { graph: 'logProb' });
    const file = join(dir, 'maf.onnx');
    await writeOnnx(file, bytes);
    expect(new Uint8Array(readFileSync(file))).toEqual(bytes);
    expect(readdirSync(dir)).toEqual(['maf.onnx']);
    const x = normal(key(5), [6, 4]);
    writeFileSync(join(dir, 'in.json'), JSON.stringify({ x: { data: Array.from(x.dataSync()), shape: x.shape } }));
    const r = spawnSync(process.execPath, ['-e', child, file, join(dir, 'in.json')], { encoding: 'utf8', cwd: join(import.meta.dirname, '..') });
    expect(r.status, r.stderr).toBe(0);
    const fresh = JSON.parse(r.stdout) as { logProb: number[] };
    const here = await runOnnx(bytes, { x });
    expect(fresh.logProb).toEqual(Array.from(here['logProb']!));
    const rheo = m.logProb(x, { params }).dataSync();
    fresh.logProb.forEach((v, i) => expect(Math.abs(v - rheo[i]!)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(rheo[i]!))));
  });

  it('replaces an existing file whole and refuses bad arguments', async () => {
    const file = join(dir, 'twice.onnx');
    await writeOnnx(file, Uint8Array.of(1, 2, 3));
    await writeOnnx(file, Uint8Array.of(4, 5));
    expect(Array.from(readFileSync(file))).toEqual([4, 5]);
    await expect(writeOnnx('', Uint8Array.of(1))).rejects.toThrow(/writeOnnx\(path\): expected a file path, received ""/);
    await expect(writeOnnx(file, new Uint8Array(0))).rejects.toThrow(/writeOnnx\(bytes\): expected the non-empty Uint8Array of exportOnnx, received an empty array/);
    await expect(writeOnnx(join(dir, 'no-such-dir', 'x.onnx'), Uint8Array.of(1))).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
