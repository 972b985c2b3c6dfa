import { acquireDevice, type WebGpuBackendOptions } from './acquire-device.js';
import { WebGpuBackend } from './webgpu-backend.js';

/** Creates a WebGPU backend on a given device, `gpu` object, `navigator.gpu` or Node's `webgpu` package. */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  const { device, description, owned } = await acquireDevice(options);
  return new WebGpuBackend(device, description, owned);
}
