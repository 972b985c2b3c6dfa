import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ArgumentError } from '@rheo/tensor';

/**
 * Creates `dir` and its missing parents one level at a time, like
 * `mkdir -p`, but never through Node's recursive mkdir: on Node 20 that loops
 * forever under /proc and other special file systems, where mkdir fails with
 * ENOENT for a parent that exists. Any failure is an ArgumentError naming
 * `arg`, the folder that could not be made and the OS error code.
 */
export function makeDirs(dir: string, arg: string): void {
  const target = resolve(dir);
  const missing: string[] = [];
  let p = target;
  for (;;) {
    try {
      if (!statSync(p).isDirectory()) throw new ArgumentError(`${arg}: cannot write to ${JSON.stringify(target)}: ${JSON.stringify(p)} is not a directory; expected a writable directory`);
      break;
    } catch (err) {
      if (err instanceof ArgumentError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new ArgumentError(`${arg}: cannot write to ${JSON.stringify(target)} (${code ?? (err as Error).message} at ${JSON.stringify(p)}); expected a writable directory`);
    }
    missing.push(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statSync(d).isDirectory()) continue;
      throw new ArgumentError(`${arg}: cannot write to ${JSON.stringify(target)} (${code ?? (err as Error).message} at ${JSON.stringify(d)}); expected a writable directory`);
    }
  }
}
