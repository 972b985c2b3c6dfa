import { ArgumentError, key, NonFiniteError } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { mafPower, parsePowerText, POWER_NOISE } from './maf-power.js';
import { unstandardize } from './standardize.js';

const HEADER = 'Date;Time;Global_active_power;Global_reactive_power;Voltage;Global_intensity;Sub_metering_1;Sub_metering_2;Sub_metering_3';

/** n synthetic raw lines, minute i of the day at row i so that time (never noised) identifies a row. */
function rawText(n: number): { text: string; rows: number[][] } {
  const lines = [HEADER];
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const r = [1 + (i % 7) * 0.25, 230 + (i % 11), i % 3, (i * 7) % 5, 10 + (i % 13), i];
    rows.push(r);
    const hh = String(Math.floor(i / 60)).padStart(2, '0');
    const mm = String(i % 60).padStart(2, '0');
    lines.push(`1/1/2007;${hh}:${mm}:00;${r[0]!.toFixed(3)};0.100;${r[1]!.toFixed(3)};4.000;${r[2]!.toFixed(3)};${r[3]!.toFixed(3)};${r[4]!.toFixed(3)}`);
  }
  return { text: lines.join('\r\n') + '\r\n', rows };
}

describe('parsePowerText', () => {
  it('keeps active power, voltage, sub-metering 1–3 and minutes since midnight, and drops rows with ?', () => {
    const text = `${HEADER}\r\n16/12/2006;17:24:00;4.216;0.418;234.840;18.400;0.000;1.000;17.000 \r\n21/12/2006;11:23:00;?;?;?;?;?;?;\r\n16/12/2006;00:01:30;0.5;0.1;240.5;2.0;3.0;0.0;1.0\r\n`;
    const { rows, dropped } = parsePowerText(text, 'p.txt');
    expect(dropped).toBe(1);
    expect([rows.rows, rows.cols]).toEqual([2, 6]);
    // 17:24 → 17·60 + 24 = 1044 minutes; 00:01:30 → 1.5 minutes.
    const want = [4.216, 234.84, 0, 1, 17, 1044, 0.5, 240.5, 3, 0, 1, 1.5].map(Math.fround);
    expect(Array.from(rows.data)).toEqual(want);
  });

  it('names the file and line of a malformed row', () => {
    expect(() => parsePowerText(`${HEADER}\n1/1/2007;00:00:00;1;2;3\n`, 'p.txt')).toThrow(/"p\.txt"\): line 2 has 5 fields, expected 9/);
    expect(() => parsePowerText(`${HEADER}\n1/1/2007;00:00:00;1;0;x;1;1;1;1\n`, 'p.txt')).toThrow(NonFiniteError);
    expect(() => parsePowerText(`${HEADER}\n1/1/2007;00:00:00;1;0;x;1;1;1;1\n`, 'p.txt')).toThrow(/line 2, column 5/);
    expect(() => parsePowerText('a;b\n', 'p.txt')).toThrow(ArgumentError);
  });
});

describe('mafPower', () => {
  const n = 400;
  const { text, rows: truth } = rawText(n);
  const parsed = parsePowerText(text).rows;

  it('splits 400 rows into 324 / 36 / 40 and records train+val statistics by default', () => {
    const d = mafPower(parsed, key(5));
    expect([d.train.rows, d.val!.rows, d.test.rows, d.dim]).toEqual([324, 36, 40, 6]);
    const std = d.transforms.find((t) => t.kind === 'standardize');
    expect(std?.kind === 'standardize' && std.statsFrom).toBe('train+val');
  });

  it('adds U(0, s_j) noise to each original row exactly once, after a shuffle, and standardises with train(+val) stats only', () => {
    for (const statsFrom of ['train', 'train+val'] as const) {
      const d = mafPower(parsed, key(5), { statsFrom });
      const t = d.transforms.find((x) => x.kind === 'standardize');
      if (t?.kind !== 'standardize') throw new Error('no standardize transform');
      const splits = { train: unstandardize(d.train, t), val: unstandardize(d.val!, t), test: unstandardize(d.test, t) };
      const seen = new Set<number>();
      const noise = [0, 0, 0, 0, 0, 0];
      for (const m of Object.values(splits)) {
        for (let r = 0; r < m.rows; r++) {
          const row = Array.from(m.data.subarray(6 * r, 6 * r + 6));
          const i = Math.round(row[5]!);
          expect(seen.has(i)).toBe(false);
          seen.add(i);
          for (let j = 0; j < 6; j++) {
            const e = row[j]! - truth[i]![j]!;
            // float32 storage of values up to 240 and a round trip through standardisation: tolerance 1e-4.
            expect(e).toBeGreaterThan(-1e-4);
            expect(e).toBeLessThan(POWER_NOISE[j]! + 1e-4);
            noise[j]! += e / n;
          }
        }
      }
      expect(seen.size).toBe(n);
      // Mean of 400 U(0, 1): 0.5 ± 0.014 (sd); sub-metering columns 2..4.
      for (const j of [2, 3, 4]) expect(Math.abs(noise[j]! - 0.5)).toBeLessThan(0.07);
      // The test split is the last 10% of a shuffled order, not the file's last rows (minutes 360..399).
      const testTimes = Array.from({ length: splits.test.rows }, (_, r) => Math.round(splits.test.data[6 * r + 5]!));
      expect(testTimes.some((x) => x < 360)).toBe(true);
      // Statistics recomputed here from the unstandardised fitting splits, in float64.
      const fit = statsFrom === 'train' ? [splits.train] : [splits.train, splits.val];
      const count = fit.reduce((s, m) => s + m.rows, 0);
      for (let j = 0; j < 6; j++) {
        let mean = 0;
        for (const m of fit) for (let r = 0; r < m.rows; r++) mean += m.data[6 * r + j]! / count;
        expect(t.mean[j]).toBeCloseTo(mean, 2);
      }
    }
  });

  it('is reproducible by key and differs across keys', () => {
    expect(Array.from(mafPower(parsed, key(1)).test.data)).toEqual(Array.from(mafPower(parsed, key(1)).test.data));
    expect(Array.from(mafPower(parsed, key(2)).test.data)).not.toEqual(Array.from(mafPower(parsed, key(1)).test.data));
  });
});
