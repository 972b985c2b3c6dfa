import { fc, FUZZ, fuzzParser, mutatedFile } from '@rheo/fuzz';
import { RheoError } from '@rheo/tensor';
import { expect, test } from 'vitest';
import { parseCsv } from './csv.js';
import type { Matrix } from './matrix.js';

const text = (s: string) => new TextEncoder().encode(s);
const seeds = [text('1,2,3\n4,5,6\n'), text('x,y\r\n-1.5e3,2\r\n0.25,1e-7\r\n'), text('3.4028234e38\n\n-7\n')];

// Byte mutations plus edits made of the characters that matter to a numeric CSV.
const token = fc.constantFrom(',', '\n', '\r\n', '.', 'e', 'E', '-', '+', ' ', '1e39', '-4e38', 'NaN', 'Infinity', '0x1', '', '9'.repeat(400));
const edited = fc.tuple(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(fc.tuple(fc.nat(), token), { minLength: 1, maxLength: 4 }))
  .map(([i, edits]) => {
    let s = new TextDecoder().decode(seeds[i]!);
    for (const [p, t] of edits) s = s.slice(0, p % (s.length + 1)) + t + s.slice(p % (s.length + 1));
    return text(s);
  });

test('parseCsv of mutated text: a RheoError or a correct parse, never another exception or an oversized allocation', () => {
  const counts = fuzzParser(
    fc.oneof(mutatedFile(seeds), edited),
    (b) => ({ m: parseCsv(new TextDecoder().decode(b), 'fuzz.csv', { header: b[0] === 0x78 }), b }),
    (_b, { m, b }: { m: Matrix; b: Uint8Array }) => {
      expect(m.data.length).toBe(m.rows * m.cols);
      // Every value takes at least one character and a separator.
      expect(m.data.length).toBeLessThanOrEqual(b.length);
      for (const v of m.data) expect(Number.isFinite(v)).toBe(true);
    },
    (err) => err instanceof RheoError,
  );
  console.log(`fuzz parseCsv: ${counts.runs} inputs, ${counts.parsed} parsed, ${counts.refused} refused (seed ${FUZZ.seed})`);
  expect(counts.parsed + counts.refused).toBe(counts.runs);
});
