import { describeBadInput, type BadInputRow } from '@rheo/vitest-config/bad-input';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, RheoError, tensor } from '@rheo/tensor';
import { afterAll, describe, expect, test } from 'vitest';
import { loadCheckpoint } from './load-checkpoint';
import { decodeSafetensors } from './safetensors';
import { removeOrphanTemps, saveCheckpoint } from './save-checkpoint';
import { encodeSafetensors, serializeSafetensors } from './serialize-safetensors';

const dir = mkdtempSync(join(tmpdir(), 'rheo-nn-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good = serializeSafetensors({ w: tensor([1, 2, 3, 4], [2, 2]), i: tensor(Int32Array.of(7, 8), [2], 'int32') }, { note: 'x' });

/** The bytes with bit `bit` of byte `offset` from the end flipped (the data section sits at the end). */
function flipped(bytes: Uint8Array, fromEnd: number, bit: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[out.length - fromEnd]! ^= 1 << bit;
  return out;
}

const ROWS: readonly BadInputRow[] = [
  { label: 'a flipped bit in a float tensor', call: () => decodeSafetensors(flipped(good, 12, 3), 'w.safetensors'), error: ArgumentError, patterns: [/w\.safetensors/, /CRC-32/, /corrupt/] },
  { label: 'a flipped bit in an int tensor', call: () => decodeSafetensors(flipped(good, 1, 0), 'i.safetensors'), error: ArgumentError, patterns: [/i\.safetensors/, /CRC-32/] },
  { label: 'metadata using the reserved checksum key', call: () => encodeSafetensors({}, { 'rheo.data_crc32': '0' }), error: ArgumentError, patterns: [/encodeSafetensors\(metadata\)/, /rheo\.data_crc32/, /reserved/] },
];

describeBadInput('bad input to @rheo/nn', ROWS);

describe('bad input to @rheo/nn: inputs that are fine', () => {
  test('the checksum is verified on load and hidden from the metadata', async () => {
    const p = join(dir, 'ok.safetensors');
    writeFileSync(p, good);
    const { metadata, tensors } = await loadCheckpoint(p);
    expect(metadata).toEqual({ note: 'x' });
    expect(Array.from(tensors.w!.dataSync())).toEqual([1, 2, 3, 4]);
    writeFileSync(p, flipped(good, 9, 7));
    await expect(loadCheckpoint(p)).rejects.toThrow(/ok\.safetensors.*CRC-32/);
    // Files from other tools (no checksum key) still load.
    const header = JSON.parse(new TextDecoder().decode(good.subarray(8, 8 + Number(new DataView(good.buffer).getBigUint64(0, true))))) as Record<string, unknown>;
    expect(Object.keys(header.__metadata__ as object).sort()).toEqual(['note', 'rheo.data_crc32']);
  });

  test('a save removes the temporary files that killed saves of the same path left, and only those', async () => {
    const p = join(dir, 'm.safetensors');
    writeFileSync(join(dir, '.m.safetensors.0123456789ab.tmp'), 'partial');
    writeFileSync(join(dir, '.m.safetensors.ffffffffffff.tmp'), 'partial');
    writeFileSync(join(dir, '.other.safetensors.0123456789ab.tmp'), 'someone else');
    writeFileSync(join(dir, '.m.safetensors.notours.tmp'), 'not a save temp');
    await saveCheckpoint(p, { w: tensor([5]) });
    const left = readdirSync(dir).filter((f) => f.endsWith('.tmp')).sort();
    expect(left).toEqual(['.m.safetensors.notours.tmp', '.other.safetensors.0123456789ab.tmp']);
    expect(Array.from(decodeSafetensors(readFileSync(p)).entries.get('w')!.bytes)).toEqual(Array.from(new Uint8Array(Float32Array.of(5).buffer)));
    expect(await removeOrphanTemps(join(dir, 'other.safetensors'))).toEqual(['.other.safetensors.0123456789ab.tmp']);
  });
});
