import { crc32 } from 'node:zlib';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RheoError, tensor } from '@rheo/tensor';
import { saveCheckpoint } from './save-checkpoint';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rheo-nn-save-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A reader written from the safetensors spec alone: u64 LE header size, JSON header, raw LE data. */
function readSpec(bytes: Uint8Array): { header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>; meta: unknown; values: (name: string) => number[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const { __metadata__: meta, ...header } = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const values = (name: string): number[] => {
    const e = header[name];
    const out: number[] = [];
    for (let p = e.data_offsets[0]; p < e.data_offsets[1]; p += 4) {
      out.push(e.dtype === 'I32' ? view.getInt32(8 + n + p, true) : view.getFloat32(8 + n + p, true));
    }
    return out;
  };
  return { header, meta, values };
}

describe('saveCheckpoint', () => {
  it('writes a safetensors file an independent reader decodes', async () => {
    const file = join(dir, 'model.safetensors');
    await saveCheckpoint(file, { 'layers.0.w': tensor([[1, -2.5], [3, 0.125]]), step: tensor(new Int32Array([42]), []) }, { epoch: '3' });
    const { header, meta, values } = readSpec(readFileSync(file));
    const bytes = readFileSync(file);
    const crc = crc32(bytes.subarray(8 + Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true)))).toString(16).padStart(8, '0');
    expect(meta).toEqual({ epoch: '3', 'rheo.data_crc32': crc });
    expect(header['layers.0.w']!.dtype).toBe('F32');
    expect(header['layers.0.w']!.shape).toEqual([2, 2]);
    expect(values('layers.0.w')).toEqual([1, -2.5, 3, 0.125]);
    expect(header.step!.dtype).toBe('I32');
    expect(header.step!.shape).toEqual([]);
    expect(values('step')).toEqual([42]);
    expect(readdirSync(dir)).toEqual(['model.safetensors']);
  });

  it('replaces a previous checkpoint', async () => {
    const file = join(dir, 'c.safetensors');
    await saveCheckpoint(file, { w: tensor([1]) });
    await saveCheckpoint(file, { w: tensor([2, 3]) });
    expect(readSpec(readFileSync(file)).values('w')).toEqual([2, 3]);
    expect(readdirSync(dir)).toEqual(['c.safetensors']);
  });

  it('a failure after the temporary file is written leaves the previous file intact and no temporary file', async () => {
    const file = join(dir, 'c.safetensors');
    await saveCheckpoint(file, { w: tensor([1, 2]) });
    const before = readFileSync(file);
    let sawTemp = false;
    const failingRename = async (from: string): Promise<void> => {
      // The temporary file is complete when the rename is attempted.
      sawTemp = readSpec(readFileSync(from)).values('w').join() === '7,8,9';
      throw Object.assign(new Error('simulated I/O error'), { code: 'EIO' });
    };
    const err = await saveCheckpoint(file, { w: tensor([7, 8, 9]) }, {}, { rename: failingRename }).catch((e: unknown) => e);
    expect(sawTemp).toBe(true);
    expect(err).toBeInstanceOf(RheoError);
    expect((err as Error).message).toMatch(/c\.safetensors \(EIO: simulated I\/O error\)/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['c.safetensors']);
  });

  it('a rename onto a non-empty directory fails cleanly', async () => {
    const target = join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'keep.txt'), 'x');
    await expect(saveCheckpoint(target, { w: tensor([1]) })).rejects.toThrow(/could not write .*taken/);
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readdirSync(target)).toEqual(['keep.txt']);
  });

  it('rejects reserved names and non-string metadata', async () => {
    await expect(saveCheckpoint(join(dir, 'a'), { __metadata__: tensor([1]) })).rejects.toThrow(/reserved/);
    await expect(saveCheckpoint(join(dir, 'a'), {}, { n: 3 as unknown as string })).rejects.toThrow(/value of "n" is number, expected a string/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
