import { describe, expect, it } from 'vitest';
import { fencedBlocks } from './fenced-blocks.js';

describe('fencedBlocks', () => {
  it('returns language, code and the comment label above each block', () => {
    const md = ['# t', '', '<!-- example: a -->', '```js', 'let x = 1;', '```', 'text', '```sh', 'ls', '', 'pwd', '```'].join('\r\n');
    expect(fencedBlocks(md)).toEqual([
      { lang: 'js', code: 'let x = 1;\n', label: 'example: a' },
      { lang: 'sh', code: 'ls\n\npwd\n', label: null },
    ]);
  });

  it('rejects a block that is never closed', () => {
    expect(() => fencedBlocks('```js\nlet x;\n')).toThrow(/line 1 is never closed/);
  });
});
