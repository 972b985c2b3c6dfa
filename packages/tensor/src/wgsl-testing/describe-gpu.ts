// Test-only: a describe block that runs on the Dawn test device, skips with a
// printed reason when there is none, and fails instead when RHEO_REQUIRE_WEBGPU=1.
import { describe, test } from 'vitest';
import { openTestGpu, webgpuRequired, type TestGpu } from './run-program.js';

export async function describeGpu(title: string, body: (gpu: () => TestGpu) => void): Promise<void> {
  const opened = await openTestGpu();
  const available = opened.gpu !== null;
  if (!available) {
    if (webgpuRequired()) {
      test(`${title}: WebGPU adapter required by RHEO_REQUIRE_WEBGPU=1`, () => {
        throw new Error(`no WebGPU device: ${opened.reason}`);
      });
    } else {
      console.warn(`skipping "${title}": ${opened.reason} (set RHEO_REQUIRE_WEBGPU=1 to fail instead)`);
    }
  }
  describe.skipIf(!available)(`${title} (WebGPU)`, () => {
    body(() => opened.gpu!);
  });
}
