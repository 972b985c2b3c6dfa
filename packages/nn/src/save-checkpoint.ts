import { randomBytes } from 'node:crypto';
import { open, readdir, rename as fsRename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ArgumentError, RheoError, Tensor } from '@rheo/tensor';
import { encodeSafetensors, type HostEntry } from './serialize-safetensors';

/**
 * Options of `saveCheckpoint`: the rename used for the atomic write-then-rename (replaceable in
 * tests).
 */
export interface SaveCheckpointOptions {
  /**
   * The rename that publishes the finished temporary file; `fs.rename` by
   * default. Injectable so that failure handling can be exercised.
   */
  readonly rename?: (from: string, to: string) => Promise<void>;
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable. Some platforms cannot open or fsync a directory; the file is already synced there.
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** The temporary file names `saveCheckpoint` uses for `path`: `.<name>.<12 hex digits>.tmp` beside it. */
function isTempOf(file: string, path: string): boolean {
  const prefix = `.${basename(path)}.`;
  return file.startsWith(prefix) && /^[0-9a-f]{12}\.tmp$/.test(file.slice(prefix.length));
}

/**
 * Removes the temporary files that saves of `path` left behind when their
 * process was killed between creating and renaming them (they are never
 * published, so nothing reads them). Called by every save and on resume.
 * Saves of one path must not run concurrently: a second save would remove
 * the first one's temporary file. Returns the names removed.
 */
export async function removeOrphanTemps(path: string): Promise<string[]> {
  let files: string[];
  try {
    files = await readdir(dirname(path));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const f of files) {
    if (!isTempOf(f, path)) continue;
    await unlink(join(dirname(path), f)).then(() => removed.push(f), () => undefined);
  }
  return removed;
}

/**
 * Writes tensors and string metadata as a safetensors file, atomically: the
 * bytes go to a temporary file in the same directory, which is fsynced and
 * then renamed over `path` (rename is atomic within a file system), then the
 * directory is fsynced. A reader sees the old file or the new one, never a
 * mix; on failure the temporary file is removed and `path` is untouched.
 * Temporary files of earlier, killed saves of `path` are removed first.
 * Tensors are read with `await data()`, so any backend works.
 */
export async function saveCheckpoint(
  path: string,
  tensors: Readonly<Record<string, Tensor>>,
  metadata: Record<string, string> = {},
  options: SaveCheckpointOptions = {},
): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new ArgumentError(`saveCheckpoint(path): expected a file path, received ${JSON.stringify(path)}`);
  const entries: Record<string, HostEntry> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (!(t instanceof Tensor)) throw new ArgumentError(`saveCheckpoint(tensors): entry "${name}" is not a Tensor`);
    entries[name] = { dtype: t.dtype, shape: t.shape, data: await t.data() };
  }
  const bytes = encodeSafetensors(entries, metadata, 'saveCheckpoint');
  await removeOrphanTemps(path);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const rename = options.rename ?? fsRename;
  let created = false;
  try {
    const handle = await open(temp, 'wx', 0o644);
    created = true;
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    created = false;
  } catch (err) {
    if (created) await unlink(temp).catch(() => undefined);
    const e = err as Error;
    const cause = 'code' in e ? `${String((e as NodeJS.ErrnoException).code)}: ${e.message}` : e.message;
    throw new RheoError(`saveCheckpoint(path): could not write ${path} (${cause}); any previous file there is unchanged`);
  }
  await syncDirectory(dirname(path));
}
