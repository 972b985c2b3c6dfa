import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot, pagesRoot } from '../site-pages.js';

/** Where `vitepress build` writes the site. */
export const distRoot = join(pagesRoot, '.vitepress', 'dist');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'dist' || e.name === 'cache' || e.name === 'node_modules' || e.name === 'api') continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * The built site's folder, building it first when it is missing or older
 * than its sources (pages, demos, data): `turbo run test` builds it before
 * the tests, a plain `vitest run` may not have.
 */
export function builtSite(): string {
  const index = join(distRoot, 'index.html');
  const sources = Math.max(newest(pagesRoot), newest(join(appRoot, 'src', 'demo')), newest(join(appRoot, 'data')));
  if (!existsSync(index) || statSync(index).mtimeMs < sources) {
    execFileSync(process.execPath, [join(appRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/api-reference.ts'], { cwd: appRoot, stdio: 'pipe' });
    execFileSync(process.execPath, [join(appRoot, 'node_modules', 'vitepress', 'bin', 'vitepress.js'), 'build', 'pages'], { cwd: appRoot, stdio: 'pipe' });
  }
  return distRoot;
}

/** The built page of a markdown page: `guide/concepts.md` → `guide/concepts.html`, `index.md` → `index.html`. */
export function htmlPath(page: string): string {
  return page.replace(/\.md$/, '.html');
}

/** Whether a site path (`/guide/concepts.html`, `/api/`, `/demos/train`) is a file of the built site. */
export function siteFile(root: string, path: string): string | null {
  const p = decodeURIComponent(path);
  const candidates = p.endsWith('/') ? [join(root, p, 'index.html')] : [join(root, p), join(root, `${p}.html`), join(root, p, 'index.html')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}
