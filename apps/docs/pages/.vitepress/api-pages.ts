import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The packages of the generated API reference (scripts/api-reference.ts writes the list before VitePress starts). */
export function apiPages(): { name: string; slug: string }[] {
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'api', 'packages.json');
  if (!existsSync(file)) throw new Error(`apiPages(): ${file} is missing; run scripts/api-reference.ts first (pnpm docs and pnpm docs:build do)`);
  return JSON.parse(readFileSync(file, 'utf8')) as { name: string; slug: string }[];
}
