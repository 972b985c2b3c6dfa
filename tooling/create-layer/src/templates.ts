/** What a template needs: the folder name, the package name, the transformer's function name and the peer ranges. */
export interface LayerSpec {
  /** kebab-case folder name under layers/, e.g. 'shift-scale'. */
  readonly name: string;
  /** npm package name, e.g. '@rheo/shift-scale'. */
  readonly packageName: string;
  /** camelCase stem of the exports, e.g. 'shiftScale'. */
  readonly camel: string;
  /** Peer range of @rheo/tensor and @rheo/flows, e.g. '>=0.1.0 <1.0.0'. */
  readonly tensorRange: string;
  readonly flowsRange: string;
}

/** The repository and docs site a layer of this workspace points at (the docs app checks every published package.json for them). */
const REPOSITORY_URL = 'https://github.com/rheo-dev/rheo';
const SITE_URL = 'https://rheo-dev.github.io/rheo';

function packageJson(s: LayerSpec): string {
  const pkg = {
    name: s.packageName,
    version: '0.0.0',
    description: `An elementwise transformer for rheo's flow layers (coupling, autoregressive, semi-autoregressive): ${s.name}.`,
    repository: { type: 'git', url: `git+${REPOSITORY_URL}.git`, directory: `layers/${s.name}` },
    homepage: `${SITE_URL}/api/${s.name}`,
    bugs: `${REPOSITORY_URL}/issues`,
    license: 'MIT',
    type: 'module',
    sideEffects: false,
    exports: { '.': { types: './src/index.ts', default: './src/index.ts' } },
    publishConfig: {
      access: 'public',
      main: './dist/index.cjs',
      module: './dist/index.js',
      types: './dist/index.d.ts',
      exports: {
        '.': {
          import: { types: './dist/index.d.ts', default: './dist/index.js' },
          require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
        },
      },
    },
    files: ['dist', 'README.md'],
    keywords: ['normalizing-flows', 'rheo', 'webgpu'],
    scripts: { build: 'tsup', typecheck: 'tsc -p tsconfig.json', test: 'vitest run' },
    peerDependencies: { '@rheo/flows': `workspace:${s.flowsRange}`, '@rheo/tensor': `workspace:${s.tensorRange}` },
    devDependencies: {
      '@rheo/flows': 'workspace:*',
      '@rheo/tensor': 'workspace:*',
      '@rheo/tsconfig': 'workspace:*',
      '@rheo/tsup-config': 'workspace:*',
      '@rheo/vitest-config': 'workspace:*',
    },
    engines: { node: '>=20' },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

const TSCONFIG = `{
  "extends": "@rheo/tsconfig/library.json",
  "include": ["src", "*.ts"]
}
`;

const TSUP = `import { defineConfig } from 'tsup';
import { rheoTsup } from '@rheo/tsup-config';

export default defineConfig(rheoTsup(['src/index.ts']));
`;

const VITEST = `import { defineConfig } from 'vitest/config';
import { rheoVitest } from '@rheo/vitest-config';

export default defineConfig(rheoVitest());
`;

const readme = (s: LayerSpec) => `# ${s.packageName}

An elementwise transformer for rheo's flow layers, made from the layer
template. Replace the shift-and-scale map in \`src/${s.name}-transformer.ts\`
with yours: the layers, the tests and the build stay as they are.

\`\`\`sh
npm install @rheo/tensor @rheo/flows ${s.packageName}
\`\`\`

\`\`\`js
import { key } from '@rheo/tensor';
import { coupling, maf, semiAutoregressiveFlow } from '@rheo/flows';
import { ${s.camel}Transformer } from '${s.packageName}';

const layer = coupling(key(0), 2, { transformer: ${s.camel}Transformer(), hidden: [64, 64] });
const ar = maf(key(1), 4, { transformer: ${s.camel}Transformer() });
\`\`\`

## The map

τ(x; θ) = s·x + t with s = softplus(θ₁ + log(e − 1)) > 0 and t = θ₀, so
log τ'(x) = log s, τ⁻¹(y) = (y − t)/s, and θ = (0, 0) is the identity.

## Tests

\`src/${s.name}-transformer.test.ts\` runs the transformer through
\`@rheo/flows/testing\` in a coupling, a MAF and a semi-autoregressive layer
(round trip, log-det against the brute-force Jacobian, fused against plain,
a gradient for every parameter, context handling) and checks the map
against its closed form.
`;

const index = (s: LayerSpec) => `// ${s.packageName}: an elementwise transformer for rheo's coupling, autoregressive and semi-autoregressive layers.
export { ${s.camel}Transformer } from './${s.name}-transformer.js';
`;

const transformer = (s: LayerSpec) => `import type { Transformer } from '@rheo/flows';
import { add, div, log, mul, reshape, sliceAxis, softplus, sub, type Tensor } from '@rheo/tensor';

// softplus(θ₁ + c) = 1 at θ₁ = 0.
const ONE = Math.log(Math.E - 1);

/**
 * An elementwise shift and positive scale, the starting point of a new
 * transformer: τ(x; θ) = s·x + t, s = softplus(θ₁ + log(e − 1)), t = θ₀,
 * so log τ'(x) = log s and τ⁻¹(y) = (y − t)/s. Parameters are [n, d, 2]
 * (any real values are valid); θ = (0, 0) is the identity. Works in every
 * layer of the transformer seam of @rheo/flows.
 */
export function ${s.camel}Transformer(): Transformer {
  const parts = (params: Tensor) => {
    const [n, d] = [params.shape[0]!, params.shape[1]!];
    const theta = (c: number) => reshape(sliceAxis(params, 2, c, c + 1), [n, d]);
    const scale = softplus(add(theta(1), ONE));
    return { shift: theta(0), scale, logScale: log(scale) };
  };
  return {
    kind: '${s.name}',
    paramsPerDim: 2,
    identityParams: [0, 0],
    forwardAndLogDet(params, x) {
      const { shift, scale, logScale } = parts(params);
      return { out: add(mul(x, scale), shift), logDet: logScale };
    },
    inverseAndLogDet(params, y) {
      const { shift, scale, logScale } = parts(params);
      return { out: div(sub(y, shift), scale), logDet: mul(logScale, -1) };
    },
  };
}
`;

const test = (s: LayerSpec) => `import { describeLayerProperties, transformerCases } from '@rheo/flows/testing';
import { setBackend, tensor } from '@rheo/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { ${s.camel}Transformer } from './${s.name}-transformer.js';

beforeAll(async () => {
  await setBackend('cpu', { quiet: true });
});

// One row per layer family of the seam (coupling, MAF, semi-autoregressive), conditional, at perturbed parameters.
describeLayerProperties({ describe, it }, 'the CPU', transformerCases('${s.name}', ${s.camel}Transformer));

describe('${s.camel}Transformer', () => {
  it('is s·x + t with s = softplus(θ₁ + log(e − 1)), by the closed form', async () => {
    const t = ${s.camel}Transformer();
    const theta = [0.5, -1, -2, 3];
    const x = [2, -0.5];
    const r = t.forwardAndLogDet(tensor(Float32Array.from(theta), [1, 2, 2]), tensor(Float32Array.from(x), [1, 2]));
    const out = await r.out.data();
    const logDet = await r.logDet.data();
    for (let j = 0; j < 2; j++) {
      const s = Math.log1p(Math.exp(theta[2 * j + 1]! + Math.log(Math.E - 1)));
      expect(out[j]).toBeCloseTo(s * x[j]! + theta[2 * j]!, 5);
      expect(logDet[j]).toBeCloseTo(Math.log(s), 5);
    }
  });

  it('is the identity at its identity parameters', async () => {
    const t = ${s.camel}Transformer();
    const x = tensor(Float32Array.from([-3, 0, 1.5]), [1, 3]);
    const p = tensor(Float32Array.from([0, 0, 0, 0, 0, 0].map((_, i) => t.identityParams[i % 2]!)), [1, 3, 2]);
    expect(Array.from(await t.forwardAndLogDet(p, x).out.data())).toEqual([-3, 0, 1.5]);
  });
});
`;

const changeset = (s: LayerSpec) => `---
'${s.packageName}': minor
---

First release: \`${s.camel}Transformer\`, an elementwise transformer for the coupling, autoregressive and semi-autoregressive layers of @rheo/flows.
`;

/** Every file of a new layer package, by path relative to the workspace root. */
export function layerFiles(s: LayerSpec): Record<string, string> {
  const dir = `layers/${s.name}`;
  return {
    [`${dir}/package.json`]: packageJson(s),
    [`${dir}/tsconfig.json`]: TSCONFIG,
    [`${dir}/tsup.config.ts`]: TSUP,
    [`${dir}/vitest.config.ts`]: VITEST,
    [`${dir}/README.md`]: readme(s),
    [`${dir}/src/index.ts`]: index(s),
    [`${dir}/src/${s.name}-transformer.ts`]: transformer(s),
    [`${dir}/src/${s.name}-transformer.test.ts`]: test(s),
    [`.changeset/${s.name}-initial.md`]: changeset(s),
  };
}
