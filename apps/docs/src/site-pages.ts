import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The docs app's folder. */
export const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The site's source folder (VitePress `srcDir`). */
export const pagesRoot = join(appRoot, 'pages');

/**
 * Every markdown page of the site, as paths relative to `pages/`, sorted;
 * VitePress's own folder is skipped, the generated API pages are included
 * when they exist.
 */
export function sitePages(root: string = pagesRoot): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}
