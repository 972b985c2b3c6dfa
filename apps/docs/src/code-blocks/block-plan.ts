import type { FencedBlock } from '@rheo/pack-smoke/fenced-blocks';

/** What the site test does with one fenced block. */
export type BlockPlan =
  | { readonly kind: 'run' }
  | { readonly kind: 'install'; readonly packages: readonly string[] }
  | { readonly kind: 'not-run'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly why: string };

const NOT_RUN = /^not run(?: here)?:\s*(\S.*)$/;
// Packages an install line may name besides the published ones: the optional peer of @rheo/tensor/webgpu, and the runtime of exported ONNX files.
const EXTRA_INSTALLABLE = new Set(['webgpu', 'onnxruntime-node']);

/**
 * `js` blocks run; `sh` blocks made only of `npm install` lines are checked
 * to name packages that exist; anything else must say why it is not run in
 * an HTML comment right above it (`<!-- not run: reason -->`).
 */
export function blockPlan(block: FencedBlock, published: ReadonlySet<string>): BlockPlan {
  const marked = block.label === null ? null : NOT_RUN.exec(block.label);
  if (marked !== null) return { kind: 'not-run', reason: marked[1]! };
  if (block.lang === 'js') return { kind: 'run' };
  if (block.lang === 'sh') {
    const lines = block.code.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    const packages: string[] = [];
    for (const line of lines) {
      const m = /^npm install((?:\s+\S+)+)$/.exec(line);
      if (m === null) return { kind: 'invalid', why: `the sh line ${JSON.stringify(line)} is not an npm install; mark the block <!-- not run: reason --> or make it one` };
      packages.push(...m[1]!.trim().split(/\s+/));
    }
    const unknown = packages.filter((p) => !published.has(p) && !EXTRA_INSTALLABLE.has(p));
    if (unknown.length > 0) return { kind: 'invalid', why: `npm install names ${unknown.join(', ')}, which no published package is` };
    return { kind: 'install', packages };
  }
  return { kind: 'invalid', why: `a ${JSON.stringify(block.lang)} block with no <!-- not run: reason --> above it; only js blocks run` };
}
