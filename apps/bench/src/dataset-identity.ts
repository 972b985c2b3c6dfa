import type { Dataset, Matrix } from '@rheo/data';

const identities = new WeakMap<Dataset, string>();

/** FNV-1a (32-bit) over bytes, continuing from `h` (Fowler, Noll and Vo's offset basis 0x811c9dc5, prime 0x01000193). */
function fnv1a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  return h;
}

function hashMatrix(m: Matrix, h: number): number {
  const shape = new Uint8Array(Float64Array.of(m.rows, m.cols).buffer);
  return fnv1a(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength), fnv1a(shape, h));
}

/**
 * Records what identifies a data set loaded from a folder beyond its base
 * name: the resolved folder and a hash of every split's shape and values. Two
 * `npy:` folders that share a base name (or one folder whose files changed)
 * then get different checkpoints instead of resuming each other's.
 */
export function identifyDataset(d: Dataset, folder: string): Dataset {
  let h = fnv1a(new TextEncoder().encode(folder));
  for (const m of [d.train, d.val, d.test]) if (m !== undefined) h = hashMatrix(m, h);
  identities.set(d, `${d.name}-${h.toString(16).padStart(8, '0')}`);
  return d;
}

/** The name checkpoints use for `d`: its name plus the fingerprint `identifyDataset` recorded, if any. */
export function datasetIdentity(d: Dataset): string {
  return (identities.get(d) ?? d.name).replace(/[^a-zA-Z0-9_.-]/g, '_');
}
