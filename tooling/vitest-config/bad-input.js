// The table-driven bad-input suite every package runs: each row's call must
// throw the named error class with a one-line message matching every pattern
// (the argument, what was received, what was expected).
import { describe, expect, test } from 'vitest';

/**
 * @param {string} title
 * @param {ReadonlyArray<{ label: string, call: () => unknown, error: Function, patterns: ReadonlyArray<RegExp> }>} rows
 */
export function describeBadInput(title, rows) {
  describe(title, () => {
    test.each(rows)('$label', async ({ call, error, patterns }) => {
      let thrown;
      try {
        await call();
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(error);
      const message = /** @type {Error} */ (thrown).message;
      expect(message).not.toContain('\n');
      for (const p of patterns) expect(message).toMatch(p);
    });
  });
}
