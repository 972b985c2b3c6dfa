import { describe, expect, it } from 'vitest';
import { expectations, mismatch } from './expectations.js';

describe('expectations', () => {
  it('reads exact and tolerant expectations in order', () => {
    const code = "a();\nconsole.log(x); // → true false\nconsole.log(y); // → [1.5,-1.5] (± 0.1)\n// plain comment\n";
    expect(expectations(code)).toEqual([{ text: 'true false', tolerance: null }, { text: '[1.5,-1.5]', tolerance: 0.1 }]);
  });

  it('compares every number within the tolerance and the text between exactly', () => {
    const e = { text: '[1.5,-1.5]', tolerance: 0.1 };
    expect(mismatch(e, '[1.45,-1.59]')).toBeNull();
    expect(mismatch(e, '[1.45,-1.65]')).toMatch(/-1.65 is not within 0.1 of -1.5/);
    expect(mismatch(e, '[1.5,-1.5,0]')).not.toBeNull();
    expect(mismatch({ text: 'steps 300', tolerance: 2 }, 'early-stopping 300')).not.toBeNull();
    expect(mismatch({ text: '-3.2838 -3.0334', tolerance: 0.01 }, '-3.2840 -3.0300')).toBeNull();
    expect(mismatch({ text: '1e-3', tolerance: 1e-4 }, '0.00105')).toBeNull();
  });

  it('compares exact lines as text, after trimming', () => {
    expect(mismatch({ text: 'realnvp 2', tolerance: null }, 'realnvp 2\n')).toBeNull();
    expect(mismatch({ text: '2', tolerance: null }, '2.0')).toMatch(/expected "2", printed "2.0"/);
  });
});
