import { fc, fuzzParser, mutatedFile } from '@rheo/fuzz';
import { RheoError } from '@rheo/tensor';
import { expect, test } from 'vitest';
import { decodeSafetensors, type SafetensorsContents } from './safetensors';
import { encodeSafetensors } from './serialize-safetensors';

const seeds = [
  encodeSafetensors({ w: { dtype: 'float32', shape: [2, 3], data: Float32Array.of(1, -2, 3.5, 0, 1e-3, 7) }, step: { dtype: 'int32', shape: [], data: Int32Array.of(42) } }, { epoch: '3' }),
  encodeSafetensors({ 'layers.0.b': { dtype: 'float32', shape: [0], data: new Float32Array(0) }, e: { dtype: 'float32', shape: [1, 1], data: Float32Array.of(2) } }),
  encodeSafetensors({}, { only: 'metadata' }),
];

// Header edits in the JSON itself: numbers, keys and brackets that a bit flip rarely reaches.
const jsonEdit = fc.tuple(fc.integer({ min: 0, max: seeds.length - 1 }), fc.nat(), fc.constantFrom('9', '-1', '1e30', '"', '{', '}', '[', ']', ',', '__metadata__', '"F64"', 'null', '4294967296'))
  .map(([i, p, t]) => {
    const b = seeds[i]!;
    const n = Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
    const header = new TextDecoder().decode(b.subarray(8, 8 + n));
    const q = p % (header.length + 1);
    const h = new TextEncoder().encode(header.slice(0, q) + t + header.slice(q));
    const out = new Uint8Array(8 + h.length + b.length - 8 - n);
    new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
    out.set(h, 8);
    out.set(b.subarray(8 + n), 8 + h.length);
    return out;
  });

test('decodeSafetensors of mutated files: a RheoError or a correct parse, never another exception or an oversized allocation', () => {
  const counts = fuzzParser(
    fc.oneof(mutatedFile(seeds), jsonEdit),
    (b) => decodeSafetensors(b, 'fuzz.safetensors'),
    (b: Uint8Array, { entries }: SafetensorsContents) => {
      let total = 0;
      for (const e of entries.values()) {
        expect(e.bytes.length).toBe(e.shape.reduce((x, y) => x * y, 1) * 4);
        total += e.bytes.length;
      }
      expect(total).toBeLessThanOrEqual(b.length);
      // A file that still decodes with its checksum entry intact holds the seeds' tensors, byte for byte. (One whose
      // checksum key was damaged too loads unchecked, like a file from another tool: found by a 100,000-input run.)
      const n = Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
      if (!new TextDecoder().decode(b.subarray(8, 8 + n)).includes('"rheo.data_crc32"')) return;
      const known = seeds.flatMap((s) => [...decodeSafetensors(s).entries.values()].map((e) => Array.from(e.bytes).join(',')));
      for (const e of entries.values()) if (e.bytes.length > 0) expect(known).toContain(Array.from(e.bytes).join(','));
    },
    (err) => err instanceof RheoError,
  );
  console.log(`fuzz decodeSafetensors: ${counts.runs} inputs, ${counts.parsed} parsed, ${counts.refused} refused`);
  expect(counts.parsed + counts.refused).toBe(counts.runs);
});
