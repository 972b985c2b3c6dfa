import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { ArgumentError } from '@rheo/tensor';

export interface Digits {
  /** n x 64 pixel values scaled to [0, 1]. */
  readonly x: Float32Array;
  readonly labels: Int32Array;
  readonly n: number;
}

/** The UCI optical digits (8x8, pixel values 0..16, then the label), gzipped CSV. */
export function readDigits(file: string): Digits {
  let text: string;
  try {
    text = gunzipSync(readFileSync(file)).toString('utf8');
  } catch (err) {
    throw new ArgumentError(`digits file ${file}: cannot read it (${(err as Error).message}); expected digits.csv.gz`);
  }
  const rows = text.split('\n').filter((l) => l.trim() !== '');
  const x = new Float32Array(rows.length * 64);
  const labels = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    const v = row.split(',').map(Number);
    if (v.length !== 65 || v.some((a) => !Number.isFinite(a))) {
      throw new ArgumentError(`digits file ${file}, row ${i + 1}: expected 65 finite numbers, received ${v.length} fields`);
    }
    for (let j = 0; j < 64; j++) x[i * 64 + j] = v[j]! / 16;
    labels[i] = v[64]!;
  });
  return { x, labels, n: rows.length };
}
