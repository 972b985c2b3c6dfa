import { add, normal, type Key, type Tensor, type TensorTree } from '@rheo/tensor';
import type { Buffers, Transform, TransformOptions } from '../transform.js';
import type { CheckResult } from './check-result.js';

function throwsMentioning(f: () => unknown, word: string): { ok: boolean; detail: string } {
  try {
    f();
    return { ok: false, detail: 'no error was thrown' };
  } catch (err) {
    const m = err instanceof Error ? err.message : String(err);
    return m.includes(word) ? { ok: true, detail: m } : { ok: false, detail: `the error does not mention ${word}: ${m}` };
  }
}

/**
 * Context handling of a conditional layer (context [n, c] in the options):
 * a missing context and one of the wrong width are refused with an error
 * that names `options.context`; and the output depends on the context
 * (the forward at x and the inverse at f(x) move when it moves by 0.25). The round
 * trip and log-det with a context are `checkTransform`'s, given the options.
 */
export async function checkContext<P extends TensorTree, B extends Buffers>(
  t: Transform<P, B>, params: P, buffers: B, x: Tensor, context: Tensor, k: Key, options: TransformOptions = {},
): Promise<CheckResult[]> {
  const [n, c] = context.shape as [number, number];
  const results: CheckResult[] = [];
  const { context: _omit, ...rest } = options;
  const missing = throwsMentioning(() => t.forwardAndLogDet(params, buffers, x, rest), 'context');
  results.push({ property: 'a missing context is refused', ok: missing.ok, maxError: 0, tol: 0, detail: missing.detail });
  const wide = normal(k, [n, c + 1]);
  const wrong = throwsMentioning(() => t.forwardAndLogDet(params, buffers, x, { ...rest, context: wide }), 'context');
  results.push({ property: 'a context of the wrong width is refused', ok: wrong.ok, maxError: 0, tol: 0, detail: wrong.detail });
  // A small move, and the inverse taken at z = f(x): both stay where the layer is well behaved.
  const moved = add(context, 0.25);
  const z = t.forwardAndLogDet(params, buffers, x, { ...rest, context }).out;
  const change = async (direction: 'forward' | 'inverse'): Promise<number> => {
    const f = direction === 'forward' ? t.forwardAndLogDet.bind(t) : t.inverseAndLogDet.bind(t);
    const at = direction === 'forward' ? x : z;
    const a = f(params, buffers, at, { ...rest, context });
    const b = f(params, buffers, at, { ...rest, context: moved });
    const [ao, bo, al, bl] = [await a.out.data(), await b.out.data(), await a.logDet.data(), await b.logDet.data()];
    let m = 0;
    for (let i = 0; i < ao.length; i++) m = Math.max(m, Math.abs(ao[i]! - bo[i]!));
    for (let i = 0; i < al.length; i++) m = Math.max(m, Math.abs(al[i]! - bl[i]!));
    return m;
  };
  for (const direction of ['forward', 'inverse'] as const) {
    const m = await change(direction);
    results.push({
      property: `the ${direction} output depends on the context`, ok: m > 1e-6, maxError: 0, tol: 0,
      detail: `largest change when every context entry moves by 0.25: ${m.toExponential(2)}`,
    });
  }
  return results;
}
