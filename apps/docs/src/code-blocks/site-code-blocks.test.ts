import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fencedBlocks } from '@rheo/pack-smoke/fenced-blocks';
import { userEnv } from '@rheo/pack-smoke/consumer-project';
import { useConsumerProject } from '@rheo/pack-smoke/use-consumer-project';
import { publishablePackages } from '@rheo/pack-smoke/workspace-packages';
import { describe, expect, it } from 'vitest';
import { pagesRoot, sitePages } from '../site-pages.js';
import { blockPlan } from './block-plan.js';
import { expectations, mismatch } from './expectations.js';

const published = publishablePackages();
const names = new Set(published.map((p) => p.name));
const ready = published.every((p) => p.built);
// Hand-written pages only: the API reference's blocks are declarations, and its generator marks them not run.
const pages = sitePages().filter((p) => !p.startsWith('api/'));
const planned = pages.map((page) => ({
  page,
  blocks: fencedBlocks(readFileSync(join(pagesRoot, page), 'utf8')).map((block) => ({ block, plan: blockPlan(block, names) })),
}));

describe('the code blocks of the site', () => {
  it('are each run, an install line of published packages, or marked with why they are not run', () => {
    const invalid = planned.flatMap(({ page, blocks }) => blocks.flatMap(({ plan }, i) => (plan.kind === 'invalid' ? [`${page} block ${i + 1}: ${plan.why}`] : [])));
    expect(invalid).toEqual([]);
    const runnable = planned.flatMap(({ blocks }) => blocks.filter((b) => b.plan.kind === 'run'));
    // Every guide has something to run and to check.
    for (const { page, blocks } of planned.filter((p) => p.page.startsWith('guide/') && p.page !== 'guide/benchmark.md')) {
      expect(blocks.some((b) => b.plan.kind === 'run' && expectations(b.block.code).length > 0), page).toBe(true);
    }
    expect(runnable.length).toBeGreaterThanOrEqual(10);
  });

  describe.skipIf(!ready)('run with Node against the packed packages', () => {
    // onnxruntime-node, which the ONNX page runs, is the workspace's copy, linked rather than downloaded again.
    const onnxruntime = realpathSync(resolve(import.meta.dirname, '..', '..', 'node_modules', 'onnxruntime-node'));
    const project = useConsumerProject(published, 240_000, { link: { 'onnxruntime-node': onnxruntime } });

    for (const { page, blocks } of planned) {
      const runs = blocks.filter((b) => b.plan.kind === 'run');
      if (runs.length === 0) continue;
      // A page's blocks run in order in one folder, each in a fresh process: a later block may read a file an earlier one wrote.
      it(`${page}: every block runs and prints what its // → comments say`, () => {
        const dir = join(project().dir, 'pages', page.replace(/\.md$/, ''));
        mkdirSync(dir, { recursive: true });
        runs.forEach(({ block }, i) => {
          const file = join(dir, `block-${i + 1}.mjs`);
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, block.code);
          const stdout = execFileSync(process.execPath, [file], { cwd: dir, env: userEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
          const printed = stdout.trimEnd() === '' ? [] : stdout.trimEnd().split('\n');
          const wanted = expectations(block.code);
          expect(printed.length, `${page} block ${i + 1} printed ${JSON.stringify(printed)}`).toBe(wanted.length);
          const wrong = wanted.flatMap((e, j) => { const m = mismatch(e, printed[j]!); return m === null ? [] : [`line ${j + 1}: ${m}`]; });
          expect(wrong, `${page} block ${i + 1}`).toEqual([]);
        });
      }, 120_000);
    }
  });
});
