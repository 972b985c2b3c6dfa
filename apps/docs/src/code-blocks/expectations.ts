/** What one printed line should be: exact text, or text whose numbers may differ by a tolerance. */
export interface Expectation {
  readonly text: string;
  /** Absolute tolerance for every number in the line; null: the line must match exactly. */
  readonly tolerance: number | null;
}

const ARROW = /\/\/ → (.*)$/;
const TOLERANCE = /^(.*?)\s*\(± ([0-9.eE+-]+)\)\s*$/;

/**
 * The `// → …` comments of a code block, in order: the line each
 * `console.log` on that line prints. `// → 2.16 (± 0.05)` allows every
 * number in the line to differ by 0.05 (for results that depend on the
 * backend or on float rounding); text between the numbers must match.
 */
export function expectations(code: string): Expectation[] {
  const out: Expectation[] = [];
  for (const line of code.split('\n')) {
    const m = ARROW.exec(line);
    if (m === null) continue;
    const t = TOLERANCE.exec(m[1]!);
    out.push(t === null ? { text: m[1]!.trim(), tolerance: null } : { text: t[1]!.trim(), tolerance: Number(t[2]) });
  }
  return out;
}

const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g;

/** Why `actual` does not meet `e`, or null when it does. */
export function mismatch(e: Expectation, actual: string): string | null {
  const got = actual.trim();
  if (e.tolerance === null) return got === e.text ? null : `expected ${JSON.stringify(e.text)}, printed ${JSON.stringify(got)}`;
  const words = (s: string) => s.split(NUMBER).map((w) => w.trim());
  const nums = (s: string) => (s.match(NUMBER) ?? []).map(Number);
  const [we, wa, ne, na] = [words(e.text), words(got), nums(e.text), nums(got)];
  if (we.join('\u0000') !== wa.join('\u0000') || ne.length !== na.length) {
    return `expected ${JSON.stringify(e.text)} (± ${e.tolerance}), printed ${JSON.stringify(got)}`;
  }
  const far = ne.findIndex((v, i) => !(Math.abs(v - na[i]!) <= e.tolerance! + 1e-12));
  return far < 0 ? null : `expected ${JSON.stringify(e.text)} (± ${e.tolerance}), printed ${JSON.stringify(got)}: ${na[far]} is not within ${e.tolerance} of ${ne[far]}`;
}
