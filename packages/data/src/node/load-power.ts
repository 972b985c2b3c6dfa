import { ShapeError, type Key } from '@rheo/tensor';
import type { Dataset } from '../dataset.js';
import { mafPower, parsePowerText, type PowerOptions } from '../maf-power.js';
import { npyMatrix } from '../npy.js';
import { findFile } from './find-file.js';
import { readDataFile } from './read-data-file.js';
import { readNpy } from './readers.js';

const FILES = ['data.npy', 'household_power_consumption.txt', 'household_power_consumption_subset.txt'] as const;

/**
 * POWER with MAF's preprocessing (`mafPower`) from `dir`, which holds MAF's
 * `data.npy` (n×8: active, reactive power, voltage, intensity, sub-metering
 * 1–3, time; the full set) or the raw UCI text (the full file or a slice of it).
 */
export function loadPower(dir: string, k: Key, options: PowerOptions = {}): Dataset {
  const path = findFile(dir, FILES, 'loadPower');
  if (path.endsWith('.npy')) {
    const m = npyMatrix(readNpy(path), path);
    if (m.cols !== 8) throw new ShapeError(`loadPower: ${path}: expected MAF's 8 columns, received ${m.cols}`);
    const keep = [0, 2, 4, 5, 6, 7];
    const data = new Float32Array(m.rows * 6);
    for (let r = 0; r < m.rows; r++) keep.forEach((c, j) => (data[r * 6 + j] = m.data[r * 8 + c]!));
    return mafPower({ data, rows: m.rows, cols: 6 }, k, options);
  }
  return mafPower(parsePowerText(new TextDecoder('latin1').decode(readDataFile(path, 'the UCI POWER text')), path).rows, k, options);
}
