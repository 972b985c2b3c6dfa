import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArgumentError, memory, RheoError, tensor } from '@rheo/tensor';
import { loadCheckpoint } from './load-checkpoint';
import { saveCheckpoint } from './save-checkpoint';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rheo-nn-load-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A file built by hand from the spec: u64 LE header length, JSON header, data bytes. */
function handFile(header: unknown, data: number[], headerText?: string): Uint8Array {
  const h = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

const f32 = (...v: number[]): number[] => [...new Uint8Array(new Float32Array(v).buffer)];

describe('loadCheckpoint', () => {
  it('reads a hand-built file', async () => {
    const file = join(dir, 'hand.safetensors');
    const header = { __metadata__: { note: 'hi' }, b: { dtype: 'I32', shape: [2], data_offsets: [8, 16] }, a: { dtype: 'F32', shape: [2, 1], data_offsets: [0, 8] } };
    writeFileSync(file, handFile(header, [...f32(0.5, -3), ...new Uint8Array(new Int32Array([7, -9]).buffer)]));
    const { tensors, metadata } = await loadCheckpoint(file);
    expect(metadata).toEqual({ note: 'hi' });
    expect(tensors.a!.shape).toEqual([2, 1]);
    expect(tensors.a!.toArray()).toEqual([[0.5], [-3]]);
    expect(tensors.b!.dtype).toBe('int32');
    expect(Array.from(tensors.b!.dataSync())).toEqual([7, -9]);
  });

  it('round-trips what saveCheckpoint wrote', async () => {
    const file = join(dir, 'rt.safetensors');
    const w = tensor([[0.1, 0.2, 0.3], [1e-30, -1e30, 7]]);
    await saveCheckpoint(file, { 'p.w': w, 'p.n': tensor(new Int32Array([5]), []) }, { a: 'b' });
    const { tensors, metadata } = await loadCheckpoint(file);
    expect(Array.from(tensors['p.w']!.dataSync())).toEqual(Array.from(w.dataSync()));
    expect(tensors['p.n']!.item()).toBe(5);
    expect(metadata).toEqual({ a: 'b' });
  });

  describe('rejects corrupt files, naming the file, before creating any tensor', () => {
    const good = { w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
    const cases: [string, () => Uint8Array, RegExp][] = [
      ['truncated inside the header', () => handFile(good, f32(1, 2)).subarray(0, 30), /header length \d+ exceeds file size 30/],
      ['truncated inside the data', () => {
        const b = handFile(good, f32(1, 2));
        return b.subarray(0, b.length - 4);
      }, /entry 'w' data_offsets out of bounds \(data is 4 bytes\)/],
      ['shorter than the length prefix', () => new Uint8Array(5), /is 5 bytes, expected at least 8/],
      ['header length beyond the file', () => {
        const b = handFile(good, f32(1, 2));
        new DataView(b.buffer).setBigUint64(0, 10_000n, true);
        return b;
      }, /header length 10000 exceeds file size/],
      ['bad JSON', () => handFile(null, f32(1, 2), '{"w": {"dtype": "F32",'), /header is not valid JSON/],
      ['bad dtype', () => handFile({ w: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, [0, 0, 0, 0]), /entry 'w' has dtype F16, expected F32 or I32/],
      ['overlapping offsets', () => handFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(1, 2)), /entry '.' starts at \d, expected contiguous/],
      ['size not matching the shape', () => handFile({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32(1, 2)), /entry 'w' spans 8 bytes, expected 12/],
      ['an entry that is not an object', () => handFile({ w: 3 }, []), /entry 'w' must be an object/],
      ['metadata that is not strings', () => handFile({ __metadata__: { n: 1 } }, []), /__metadata__ must be an object of strings/],
    ];
    it.each(cases)('%s', async (_label, make, message) => {
      const file = join(dir, 'bad-file.safetensors');
      writeFileSync(file, make());
      const before = memory().buffers;
      const err = await loadCheckpoint(file).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ArgumentError);
      expect((err as Error).message).toContain(file);
      expect((err as Error).message).toMatch(message);
      expect(memory().buffers).toBe(before);
    });
  });

  it('names a file that cannot be read', async () => {
    await expect(loadCheckpoint(join(dir, 'nope.safetensors'))).rejects.toThrow(RheoError);
    await expect(loadCheckpoint(join(dir, 'nope.safetensors'))).rejects.toThrow(/nope\.safetensors/);
  });
});
