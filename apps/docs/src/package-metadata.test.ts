import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { publishablePackages, repoRoot } from '@rheo/pack-smoke/workspace-packages';
import { describe, expect, it } from 'vitest';
import { packageSlug } from './api/render-reference.js';
import { REPOSITORY_URL, SITE_URL } from './site.js';

interface Manifest { homepage?: unknown; repository?: { type?: unknown; url?: unknown; directory?: unknown } }

/** Markdown links whose target is neither a URL nor an anchor: they break once the README is on npm. */
function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^(https?:|mailto:|#)/.test(t));
}

/** Lines that open a fence while another is still open, and a fence left open at the end. */
function fenceProblems(markdown: string): string[] {
  const problems: string[] = [];
  let openedAt = 0;
  markdown.split('\n').forEach((line, i) => {
    if (!line.startsWith('```')) return;
    if (openedAt === 0) openedAt = i + 1;
    else if (line.trim() === '```') openedAt = 0;
    else problems.push(`line ${i + 1} opens a block inside the one opened on line ${openedAt}`);
  });
  if (openedAt !== 0) problems.push(`the block opened on line ${openedAt} is never closed`);
  return problems;
}

describe('published packages', () => {
  for (const p of publishablePackages()) {
    const slug = packageSlug(p.name);
    it(`${p.name}: repository and homepage (its API page) in package.json`, () => {
      const m = JSON.parse(readFileSync(join(p.dir, 'package.json'), 'utf8')) as Manifest;
      expect(m.repository).toEqual({ type: 'git', url: `git+${REPOSITORY_URL}.git`, directory: relative(repoRoot, p.dir) });
      expect(m.homepage).toBe(`${SITE_URL}/api/${slug}`);
    });

    it(`${p.name}: README without relative links or unbalanced code fences`, () => {
      const readme = readFileSync(join(p.dir, 'README.md'), 'utf8');
      expect(relativeLinks(readme)).toEqual([]);
      expect(fenceProblems(readme)).toEqual([]);
    });
  }

  it('the checks catch what they look for', () => {
    expect(relativeLinks('[a](../../README.md) [b](https://x.y) [c](#h)')).toEqual(['../../README.md']);
    expect(fenceProblems('```ts\na\n```ts\nb\n```\n')).toEqual(['line 3 opens a block inside the one opened on line 1']);
    expect(fenceProblems('```ts\na\n')).toEqual(['the block opened on line 1 is never closed']);
    expect(fenceProblems('```ts\na\n```\n')).toEqual([]);
  });
});
