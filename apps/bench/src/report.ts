import type { RunContext } from './context.js';
import { suiteTable } from './results.js';

/** report.md: per suite, its notes, its table and links to its figures. */
export function reportMarkdown(ctx: RunContext, seconds: number): string {
  const o = ctx.options;
  const lines = [
    '# rheo benchmark report',
    '',
    `Backend ${ctx.backend}, seed ${o.seed}, size ${o.size}${o.steps !== undefined ? `, ${o.steps} steps per model` : ''}, ${seconds.toFixed(0)} s, Node ${process.version}.`,
    'Every number is also a row of `results.json`; samples are in `samples/` (float32 .npy, n×d, in the data\'s original units).',
    '',
  ];
  for (const suite of [...new Set(ctx.rows.map((r) => r.suite))]) {
    lines.push(`## ${suite}`, '');
    for (const n of ctx.notes.get(suite) ?? []) lines.push(`- ${n}`);
    if (ctx.notes.get(suite)?.length) lines.push('');
    lines.push(suiteTable(ctx.rows.filter((r) => r.suite === suite)), '');
    const figs = ctx.figures.filter((f) => f.suite === suite);
    for (const f of figs) lines.push(`![${f.title}](${f.file})`, '');
  }
  return lines.join('\n');
}
