import { assertChecks } from './check-result.js';
import { checkBackendAgreement } from './check-backends.js';
import { checkLayer, type LayerCase } from './layer-case.js';

/**
 * The two functions of a test framework the kit needs; vitest's and jest's
 * `describe` and `it` fit as they are, so the kit has no test framework
 * dependency: `describeLayerProperties({ describe, it }, ...)`.
 */
export interface TestRunner {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<void>, timeout?: number): unknown;
}

/** Options of `describeLayerProperties`. */
export interface LayerPropertyOptions {
  /**
   * Also compare each case with the CPU on this backend, e.g.
   * `{ name: 'webgpu', available: (await webgpuAdapterForTests()).available }`
   * after importing `@rheo/tensor/webgpu`; nothing is added when unavailable.
   */
  readonly compareBackend?: { readonly name: string; readonly available: boolean };
  /** Per-test timeout in ms (the brute-force Jacobian is d backward passes); default 60000. */
  readonly timeout?: number;
}

/**
 * The table-driven layer property test: one test per case running
 * `checkLayer` (round trip, brute-force log-det, fused vs plain, every
 * parameter gets a gradient, context handling) on the active backend, and
 * with `compareBackend` one more per case running `checkBackendAgreement`.
 */
export function describeLayerProperties(runner: TestRunner, label: string, cases: readonly LayerCase[], options: LayerPropertyOptions = {}): void {
  const timeout = options.timeout ?? 60_000;
  runner.describe(`layer properties on ${label} (round trip, brute-force log-det, fused vs plain, gradients, context)`, () => {
    for (const c of cases) {
      runner.it(c.name, async () => {
        assertChecks(c.name, await checkLayer(c));
      }, timeout);
    }
  });
  const other = options.compareBackend;
  if (other?.available) describeBackendAgreement(runner, other.name, cases, timeout);
}

/**
 * One test per case: the case built on the CPU and on `backend` from the
 * same values gives the same outputs and log-dets (`checkBackendAgreement`).
 * Register it only when the backend is available.
 */
export function describeBackendAgreement(runner: TestRunner, backend: string, cases: readonly LayerCase[], timeout = 60_000): void {
  runner.describe(`layer outputs on ${backend} agree with the CPU`, () => {
    for (const c of cases) {
      runner.it(c.name, async () => {
        assertChecks(`${c.name} on ${backend}`, await checkBackendAgreement(c, backend));
      }, timeout);
    }
  });
}
