import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import type { Tensor } from '@rheo/tensor';
import protobuf from 'protobufjs';
import { ONNX_PROTO } from '../onnx-proto.js';

/** Runs ONNX bytes in onnxruntime-node on rheo tensors' values; outputs by name as Float32Arrays. */
export async function runOnnx(bytes: Uint8Array, feeds: Readonly<Record<string, Tensor>>, threads = 1): Promise<Record<string, Float32Array>> {
  const session = await InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  try {
    const inputs: Record<string, OrtTensor> = {};
    for (const [name, t] of Object.entries(feeds)) inputs[name] = new OrtTensor('float32', Float32Array.from(t.dataSync()), [...t.shape]);
    const out = await session.run(inputs);
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Float32Array.from(v.data as Float32Array)]));
  } finally {
    await session.release();
  }
}

/** The largest |got − want| / (1 + |want|); Infinity where the lengths differ or where only one side is NaN or infinite. */
export function worstError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!, w = want[i]!;
    // Equal values (the same infinity included) and NaN against NaN agree.
    if (g === w || (Number.isNaN(g) && Number.isNaN(w))) continue;
    const e = Math.abs(g - w) / (1 + Math.abs(w));
    worst = Math.max(worst, Number.isNaN(e) ? Infinity : e);
  }
  return worst;
}

/** A Python with the `onnx` package (Debian's python3-onnx), or null. */
export function pythonWithOnnx(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import onnx'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

/**
 * Runs `onnx.checker.check_model(path, full_check=True)` (shape inference included) on each file,
 * in one Python process; returns the names whose check failed with the checker's message.
 */
export function checkWithOnnxChecker(python: string, files: Readonly<Record<string, Uint8Array>>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'rheo-onnx-check-'));
  try {
    const names = Object.keys(files);
    names.forEach((n, i) => writeFileSync(join(dir, `${i}.onnx`), files[n]!));
    const script = [
      'import json, sys, onnx',
      'out = {}',
      `for i in range(${names.length}):`,
      '    try:',
      `        onnx.checker.check_model(sys.argv[1] + "/" + str(i) + ".onnx", full_check=True)`,
      '    except Exception as e:',
      '        out[str(i)] = str(e)[:400]',
      'print(json.dumps(out))',
    ].join('\n');
    const r = spawnSync(python, ['-c', script, dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) return { '*': r.stderr.slice(0, 1000) };
    const failed = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, string>;
    return Object.fromEntries(Object.entries(failed).map(([i, msg]) => [names[Number(i)]!, msg]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The number of nodes in an ONNX file's main graph (decoded independently of the exporter's bookkeeping). */
export function nodeCount(bytes: Uint8Array): number {
  const Model = protobuf.parse(ONNX_PROTO).root.lookupType('onnx.ModelProto');
  return (Model.toObject(Model.decode(bytes)) as { graph: { node: unknown[] } }).graph.node.length;
}
