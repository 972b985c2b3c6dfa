import { ArgumentError, NonFiniteError, split, type Key } from '@rheo/tensor';
import type { Dataset } from './dataset.js';
import { takeRows, type Matrix } from './matrix.js';
import { shuffledIndices, uniforms } from './random-stream.js';
import { splitMaf } from './split-maf.js';
import { standardizationStats, standardize } from './standardize.js';

/** POWER's 6 columns after MAF's selection. */
export const POWER_COLUMNS = ['Global_active_power', 'Voltage', 'Sub_metering_1', 'Sub_metering_2', 'Sub_metering_3', 'Time'] as const;
/** MAF's noise scales, U(0, s) per column: 0.001 on active power, 0.01 on voltage, 1 on each sub-metering, none on time. */
export const POWER_NOISE = [0.001, 0.01, 1, 1, 1, 0] as const;

// Raw UCI fields: Date;Time;Global_active_power;Global_reactive_power;Voltage;Global_intensity;Sub_metering_1;_2;_3.
const RAW_FIELDS = 9;
const KEPT = [2, 4, 6, 7, 8] as const;

/**
 * Parses the raw UCI "household power consumption" text (';'-separated,
 * header line, LF or CRLF) into n×6 rows [active power, voltage, sub-metering
 * 1–3, minutes since midnight], dropping the date, Global_reactive_power and
 * Global_intensity as MAF does, and rows with a missing ('?' or empty) field.
 * Errors name the file and the 1-based line and column.
 */
export function parsePowerText(text: string, name = '<power text>'): { rows: Matrix; dropped: number } {
  const where = `parsePowerText(${JSON.stringify(name)})`;
  const lines = text.split('\n');
  if (!/^Date;Time;Global_active_power/.test(lines[0] ?? '')) {
    throw new ArgumentError(`${where}: expected the header "Date;Time;Global_active_power;...", received ${JSON.stringify((lines[0] ?? '').slice(0, 60))}`);
  }
  const out: number[] = [];
  let dropped = 0;
  for (let l = 1; l < lines.length; l++) {
    const line = lines[l]!.replace(/\r$/, '');
    if (line === '') continue;
    const f = line.split(';');
    if (f.length !== RAW_FIELDS) throw new ArgumentError(`${where}: line ${l + 1} has ${f.length} fields, expected ${RAW_FIELDS}`);
    if (f.some((x) => x === '?' || x === '')) {
      dropped++;
      continue;
    }
    const hms = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(f[1]!);
    if (hms === null) throw new ArgumentError(`${where}: line ${l + 1}, column 2: expected a time hh:mm:ss, received ${JSON.stringify(f[1])}`);
    for (const c of KEPT) {
      const v = Number(f[c]);
      if (!Number.isFinite(v) || f[c]!.trim() === '') throw new NonFiniteError(`${where}: line ${l + 1}, column ${c + 1}: expected a finite number, received ${JSON.stringify(f[c])}`);
      out.push(v);
    }
    out.push(Number(hms[1]) * 60 + Number(hms[2]) + Number(hms[3]) / 60);
  }
  return { rows: { data: Float32Array.from(out), rows: out.length / 6, cols: 6 }, dropped };
}

/**
 * Options of `mafPower`: whether standardisation uses train+val statistics (as in the MAF paper,
 * Papamakarios et al. 2017) or train only.
 */
export interface PowerOptions {
  /** Standardise with train+val statistics (MAF, the default) or train only. */
  readonly statsFrom?: 'train+val' | 'train';
}

/**
 * MAF's POWER preprocessing (Papamakarios et al. 2017, arXiv:1705.07057) on
 * rows from `parsePowerText`: shuffle the rows, add U(0, POWER_NOISE_j)
 * noise per column, test = last 10%, validation = last 10% of the rest, then
 * standardise every split with the mean/std (ddof 0) of train+val (MAF) or of
 * train alone. MAF seeds NumPy with 42; here both the shuffle and the noise
 * come from `key`, so numbers differ from MAF's files but the recipe is the same.
 */
export function mafPower(rows: Matrix, k: Key, options: PowerOptions = {}): Dataset {
  if (rows.cols !== 6) throw new ArgumentError(`mafPower(rows): expected 6 columns (${POWER_COLUMNS.join(', ')}), received ${rows.cols}`);
  const [kShuffle, kNoise] = split(k, 2);
  const shuffled = takeRows(rows, shuffledIndices(kShuffle!, rows.rows));
  const u = uniforms(kNoise!, shuffled.data.length);
  // Noise in float64 before rounding: voltage ≈ 240 has a float32 spacing of 1.5e-5, finer than its U(0, 0.01).
  for (let i = 0; i < shuffled.data.length; i++) shuffled.data[i] = shuffled.data[i]! + POWER_NOISE[i % 6]! * u[i]!;
  const parts = splitMaf(shuffled);
  const statsFrom = options.statsFrom ?? 'train+val';
  const stats = statsFrom === 'train' ? standardizationStats(parts.train) : standardizationStats(parts.train, parts.val);
  return {
    name: 'power',
    train: standardize(parts.train, stats),
    val: standardize(parts.val, stats),
    test: standardize(parts.test, stats),
    dim: 6,
    columns: POWER_COLUMNS,
    transforms: [
      { kind: 'shuffle' },
      { kind: 'uniformNoise', scale: POWER_NOISE },
      { kind: 'standardize', mean: stats.mean, std: stats.std, statsFrom },
    ],
  };
}
