import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishablePackages } from '@rheo/pack-smoke/workspace-packages';
import { describe, expect, it } from 'vitest';
import { pagesRoot } from '../site-pages.js';
import { entryPoints, extractPackages } from './extract-exports.js';
import { exportAnchor, packageSlug, renderPackagePage } from './render-reference.js';
import { REPOSITORY_URL } from '../site.js';

const published = publishablePackages();
const extracted = extractPackages(published.map((p) => p.dir));

describe('the API reference', () => {
  it('covers every entry point of every published package', () => {
    for (const [i, p] of published.entries()) {
      expect(extracted[i]!.map((e) => e.specifier)).toEqual(entryPoints(p.dir).map((e) => e.specifier));
      expect(extracted[i]!.every((e) => e.exports.length > 0), p.name).toBe(true);
    }
  });

  it('has a doc comment for every export', () => {
    const undocumented = extracted.flat().flatMap((entry) => entry.exports.filter((e) => e.doc === '').map((e) => `${entry.specifier}: ${e.name} (${e.kind}, ${e.source})`));
    expect(undocumented).toEqual([]);
  });

  it('gives every export a section with its anchor on its package page', () => {
    for (const [i, p] of published.entries()) {
      const page = renderPackagePage(p.name, '', extracted[i]!, REPOSITORY_URL);
      const missing = extracted[i]!.flatMap((entry) => entry.exports.filter((e) => !page.includes(`### ${e.name} {#${exportAnchor(entry.specifier, e.name)}}`)).map((e) => `${entry.specifier}: ${e.name}`));
      expect(missing, p.name).toEqual([]);
    }
  });

  // The pages on disk (written by scripts/api-reference.ts before every build) must not lag behind the source.
  it.skipIf(!existsSync(join(pagesRoot, 'api', 'packages.json')))('written to the site matches the source', () => {
    for (const [i, p] of published.entries()) {
      const onDisk = readFileSync(join(pagesRoot, 'api', `${packageSlug(p.name)}.md`), 'utf8');
      const missing = extracted[i]!.flatMap((entry) => entry.exports.filter((e) => !onDisk.includes(`{#${exportAnchor(entry.specifier, e.name)}}`)).map((e) => `${entry.specifier}: ${e.name}`));
      expect(missing, `${p.name}: run scripts/api-reference.ts`).toEqual([]);
    }
  });
});
