import { stat } from 'node:fs/promises';

/** Whether a file exists at `path` (false only for ENOENT; other failures, such as permissions, throw). */
export async function checkpointExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return false;
    throw err;
  }
}
