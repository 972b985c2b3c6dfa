import { maf } from '@rheo/models';
import { key, normal } from '@rheo/tensor';
import protobuf from 'protobufjs';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx, type GraphKind } from './export-onnx.js';
import { ONNX_PROTO } from './onnx-proto.js';
import { PRESET_CASES as CASES, prepared, reference } from './test-support/preset-cases.js';
import { checkWithOnnxChecker, nodeCount, pythonWithOnnx, runOnnx, worstError } from './test-support/ort-run.js';

/** |ORT − rheo CPU| ≤ TOL·(1 + |rheo CPU|) for every value and log-det. */
const TOL = 1e-5;

const worst: Record<string, number> = {};
const files: Record<string, Uint8Array> = {};

describe.each(CASES)('preset %s exported to ONNX, run by onnxruntime-node', (name, make, c) => {
  const { m, params } = prepared(make, c);
  const kinds: GraphKind[] = m.kind === 'sampler' ? ['sample'] : ['logProb', 'sample', 'forward', 'inverse'];
  it.each(kinds)('%s matches rheo on the CPU at batch 7 and batch 2 (one file)', async (graph) => {
    const bytes = await exportOnnx(m, params, { graph });
    files[`${name} ${graph}`] = bytes;
    for (const n of [7, 2]) {
      const input = normal(key(50 + n), [n, m.features]);
      const context = c > 0 ? normal(key(60 + n), [n, c]) : undefined;
      const feeds = { [graph === 'logProb' || graph === 'forward' ? 'x' : 'z']: input, ...(context ? { context } : {}) };
      const got = await runOnnx(bytes, feeds);
      const want = reference(m, params, graph, input, context);
      expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
      for (const [k, t] of Object.entries(want)) {
        const w = t.dataSync();
        expect(w.every(Number.isFinite)).toBe(true);
        const e = worstError(got[k]!, w);
        worst[`${name} ${graph} ${k}`] = Math.max(worst[`${name} ${graph} ${k}`] ?? 0, e);
        expect(e, `${name} ${graph} ${k} at batch ${n}`).toBeLessThanOrEqual(TOL);
      }
    }
  });
});

describe('exported files', () => {
  it('carry the rheo version, the preset, its options and the graph kind in their metadata', async () => {
    const { m, params } = prepared(() => maf(key(2), 4, { transforms: 2, hidden: [16] }), 0);
    const bytes = await exportOnnx(m, params, { graph: 'sample' });
    const Model = protobuf.parse(ONNX_PROTO).root.lookupType('onnx.ModelProto');
    const decoded = Model.toObject(Model.decode(bytes), { longs: Number }) as { metadataProps: { key: string; value: string }[]; opsetImport: { version: number }[]; irVersion: number };
    const meta = Object.fromEntries(decoded.metadataProps.map((p) => [p.key, p.value]));
    expect(meta['rheo.preset']).toBe('maf');
    expect(meta['rheo.graph']).toBe('sample');
    expect(JSON.parse(meta['rheo.options']!)).toEqual(m.options);
    expect(meta['rheo.version']).toBe(m.metadata['rheo.version']);
    expect(meta['rheo.inverse']).toMatch(/4 sequential passes per layer/);
    expect(decoded.opsetImport[0]!.version).toBe(17);
    expect(decoded.irVersion).toBe(8);
  });

  it('pass onnx.checker.check_model(full_check=True) where python3-onnx is installed', (ctx) => {
    const python = pythonWithOnnx();
    const required = process.env['CI'] === 'true';
    if (python === null) {
      if (required) throw new Error('python3 with the onnx package (Debian python3-onnx) is required under CI=true');
      console.log('skipped: no python3 with the onnx package (apt-get install python3-onnx) to run onnx.checker');
      ctx.skip();
      return;
    }
    expect(Object.keys(files).length).toBeGreaterThan(20);
    expect(checkWithOnnxChecker(python, files)).toEqual({});
  });
});

afterAll(() => {
  const graphs = Object.entries(files).map(([k, b]) => `${k.padEnd(44)} ${String(nodeCount(b)).padStart(6)} nodes ${(b.length / 1024).toFixed(1).padStart(7)} KiB`);
  console.log(`exported graphs:\n${graphs.join('\n')}`);
  const rows = Object.entries(worst).map(([k, e]) => `${k.padEnd(52)} ${e.toExponential(2)}`);
  console.log(`worst |ORT − rheo| / (1 + |rheo|) per preset, graph and output (tolerance ${TOL}):\n${rows.join('\n')}`);
});
