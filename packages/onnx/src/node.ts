// @rheo/onnx/node: writing exported files (Node only).
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ExportError } from './errors.js';

/**
 * Writes ONNX bytes (from `exportOnnx`) to `path` atomically: a temporary file beside it is
 * written and synced, then renamed over `path`, so a failed or interrupted write leaves any
 * previous file whole and never a truncated model.
 */
export async function writeOnnx(path: string, bytes: Uint8Array): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new ExportError(`writeOnnx(path): expected a file path, received ${JSON.stringify(path)}`);
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new ExportError(`writeOnnx(bytes): expected the non-empty Uint8Array of exportOnnx, received ${bytes instanceof Uint8Array ? 'an empty array' : typeof bytes}`);
  }
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const file = await open(temp, 'w');
  try {
    await file.writeFile(bytes);
    await file.sync();
  } catch (err) {
    await file.close();
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await file.close();
  try {
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw new ExportError(`writeOnnx(path): cannot write ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
