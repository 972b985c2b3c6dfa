// pnpm create-layer NAME [--scope SCOPE]: scaffolds layers/NAME in this workspace.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLayer, CreateLayerError } from './create-layer.js';

const args = process.argv.slice(2).filter((a) => a !== '--');
const at = args.indexOf('--scope');
const scope = at >= 0 ? args.splice(at, 2)[1] : undefined;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
if (args.length !== 1) {
  console.error('usage: pnpm create-layer NAME [--scope SCOPE]   (NAME kebab-case, e.g. sinh-arcsinh)');
  process.exit(2);
}
try {
  const files = createLayer({ root, name: args[0]!, ...(scope === undefined ? {} : { scope }) });
  console.log(`created ${files.length} files:\n${files.map((f) => `  ${f}`).join('\n')}`);
  console.log(`next: pnpm install, then pnpm --filter ./layers/${args[0]} test`);
} catch (err) {
  if (err instanceof CreateLayerError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
