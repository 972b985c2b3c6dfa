// Writes the API reference pages (pages/api/*.md, git-ignored) from the doc
// comments of every published package, and pages/api/packages.json, which the
// site's sidebar reads. Run by `pnpm docs` and `pnpm docs:build` before VitePress.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishablePackages } from '@rheo/pack-smoke/workspace-packages';
import { extractPackages } from '../src/api/extract-exports.js';
import { packageSlug, renderIndexPage, renderPackagePage } from '../src/api/render-reference.js';
import { REPOSITORY_URL } from '../src/site.js';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'pages', 'api');
mkdirSync(out, { recursive: true });
const started = Date.now();
const published = publishablePackages();
const extracted = extractPackages(published.map((p) => p.dir));
const packages = published.map((p, i) => {
  const manifest = JSON.parse(readFileSync(join(p.dir, 'package.json'), 'utf8')) as { description?: string };
  return { name: p.name, description: manifest.description ?? '', entries: extracted[i]! };
});
for (const p of packages) {
  writeFileSync(join(out, `${packageSlug(p.name)}.md`), renderPackagePage(p.name, p.description, p.entries, `${REPOSITORY_URL}/tree/main`));
}
writeFileSync(join(out, 'index.md'), renderIndexPage(packages));
writeFileSync(join(out, 'packages.json'), JSON.stringify(packages.map((p) => ({ name: p.name, slug: packageSlug(p.name) })), null, 2) + '\n');
const count = packages.reduce((s, p) => s + p.entries.reduce((t, e) => t + e.exports.length, 0), 0);
console.log(`api reference: ${count} exports of ${packages.length} packages in ${Date.now() - started} ms`);
