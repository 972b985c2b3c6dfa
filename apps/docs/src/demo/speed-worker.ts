// The sampling-speed demo's worker: times sampling of the SAEF sampler at
// several block sizes and of MAF, in this browser, on WebGPU or the CPU.
import { samplingThroughput } from '@rheo/eval';
import { maf, saef, type Model } from '@rheo/models';
import { backendInfo, key, setBackend, tidy } from '@rheo/tensor';
import '@rheo/tensor/webgpu';

/** What the page asks for: a backend, the dimension and the batch of samples timed. */
export interface SpeedRequest { readonly backend: 'auto' | 'cpu'; readonly dim: number; readonly batch: number }

/** One timed model, or the end of the run. */
export type SpeedReport =
  | { readonly type: 'backend'; readonly backend: string }
  | { readonly type: 'result'; readonly label: string; readonly passes: number; readonly samplesPerSecond: number; readonly medianMs: number }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly message: string };

const post = (m: SpeedReport) => (self as unknown as Worker).postMessage(m);

async function run(r: SpeedRequest): Promise<void> {
  const gpu = r.backend === 'auto' && (await navigator.gpu?.requestAdapter()) != null;
  await setBackend(gpu ? 'webgpu' : 'cpu', { quiet: true });
  post({ type: 'backend', backend: backendInfo().description });
  // Untrained models: sampling time does not depend on the parameter values.
  const models: [string, number, Model][] = [];
  for (const k of new Set([1, 2, 4, 8, r.dim])) if (k <= r.dim) models.push([`SAEF k = ${k}`, Math.ceil(r.dim / k), saef(key(k), r.dim, { blockSize: k, hidden: [64, 64] })]);
  models.push(['MAF', r.dim, maf(key(0), r.dim, { transforms: 1, hidden: [64, 64], actNorm: false })]);
  for (const [label, passes, model] of models) {
    const t = await samplingThroughput(async (n) => {
      const x = tidy(() => model.sample(n, { key: key(7) }));
      await x.data();
      x.dispose();
    }, { batchSize: r.batch, warmup: 1, repeats: 3 });
    post({ type: 'result', label, passes, samplesPerSecond: t.samplesPerSecond, medianMs: t.medianMs });
  }
  post({ type: 'done' });
}

self.onmessage = (e: MessageEvent<SpeedRequest>) => {
  run(e.data).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }));
};
