import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseCsv, type CsvOptions } from '../csv.js';
import { parseIdx, type IdxArray } from '../idx.js';
import type { Matrix } from '../matrix.js';
import { parseNpy, type NpyArray } from '../npy.js';
import { serializeNpy } from '../serialize-npy.js';
import { readDataFile } from './read-data-file.js';

/** Reads a `.npy` file (gzipped or not); errors name the file. */
export function readNpy(path: string): NpyArray {
  return parseNpy(readDataFile(path, 'a NumPy .npy file'), path);
}

/** Writes a float32 C-order array as a `.npy` file (e.g. samples for NumPy-side evaluation). */
export function writeNpy(path: string, data: Float32Array, shape: readonly number[]): void {
  writeFileSync(path, serializeNpy(data, shape));
}

/** Reads an IDX file (MNIST format), gzipped or not; errors name the file. */
export function readIdx(path: string, expectedShape?: readonly number[]): IdxArray {
  return parseIdx(readDataFile(path, 'an IDX file'), path, expectedShape);
}

/** Reads a numeric CSV file, gzipped or not; errors name the file, line and column. */
export function readCsv(path: string, options: CsvOptions = {}): Matrix {
  return parseCsv(new TextDecoder().decode(readDataFile(path, `a CSV file (${basename(path)})`)), path, options);
}
