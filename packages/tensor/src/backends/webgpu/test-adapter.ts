import { setBackend } from '../../engine.js';

/**
 * For test files: whether the WebGPU backend initialises here. Without an
 * adapter the WebGPU tests skip with the reason printed, unless
 * RHEO_REQUIRE_WEBGPU=1 (set in CI) turns the absence into a failure.
 */
export async function webgpuAdapterForTests(): Promise<{ available: boolean; reason: string }> {
  try {
    const b = await setBackend('webgpu', { quiet: true });
    await setBackend('cpu');
    return { available: true, reason: b.description };
  } catch (err) {
    const reason = (err as Error).message;
    const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
    if (env['RHEO_REQUIRE_WEBGPU'] === '1') throw new Error(`RHEO_REQUIRE_WEBGPU=1 but the WebGPU backend is unavailable: ${reason}`);
    console.warn(`WebGPU tests skipped: ${reason}`);
    return { available: false, reason };
  }
}
