import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = import.meta.dirname;
const readme = readFileSync(join(dir, '..', '..', 'README.md'), 'utf8').replace(/\r\n/g, '\n');

/** The body of the fenced block right under the HTML comment that starts with `label`. */
function block(label: string): string {
  const at = readme.indexOf(`<!-- ${label}`);
  expect(at, `README block "${label}"`).toBeGreaterThan(-1);
  const open = readme.indexOf('```ts\n', at) + '```ts\n'.length;
  return readme.slice(open, readme.indexOf('\n```\n', open) + 1);
}

describe('README: the transformer example is the code the tests run', () => {
  it('shows src/examples/sinh-arcsinh.ts verbatim', () => {
    expect(block('example: transformer file')).toBe(readFileSync(join(dir, 'sinh-arcsinh.ts'), 'utf8'));
  });
  it('shows src/examples/sinh-arcsinh.test.ts verbatim', () => {
    expect(block('example: transformer test')).toBe(readFileSync(join(dir, 'sinh-arcsinh.test.ts'), 'utf8'));
  });
});
