import { crc32 } from 'node:zlib';
import { expect, it } from 'vitest';
import { tensor } from '@rheo/tensor';
import { serializeSafetensors } from './serialize-safetensors';

it('writes a file an independent DataView reader decodes', () => {
  const bytes = serializeSafetensors({ w: tensor([[1, 2], [3, 4.5]]) }, { step: '3' });
  const view = new DataView(bytes.buffer);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  // The data section's CRC-32, checked against zlib's.
  const crc = crc32(bytes.subarray(8 + n)).toString(16).padStart(8, '0');
  expect(header.__metadata__).toEqual({ step: '3', 'rheo.data_crc32': crc });
  expect(header.w.shape).toEqual([2, 2]);
  const [b] = header.w.data_offsets;
  const vals = [0, 1, 2, 3].map((i) => view.getFloat32(8 + n + b + 4 * i, true));
  expect(vals).toEqual([1, 2, 3, 4.5]);
});
