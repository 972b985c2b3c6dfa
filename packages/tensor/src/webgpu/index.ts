/// <reference types="@webgpu/types" />
// @rheo/tensor/webgpu: importing this module registers the WebGPU backend,
// so that setBackend('webgpu') or setBackend('auto') can select it. CPU-only
// programs never load it.
import '../backends/cpu.js';
import { registerBackend } from '../engine.js';
import { createWebGpuBackend } from '../backends/webgpu/create-backend.js';

/** Priority of the WebGPU backend for setBackend('auto'): above the CPU's 0. */
export const WEBGPU_PRIORITY = 10;

registerBackend('webgpu', () => createWebGpuBackend(), WEBGPU_PRIORITY);

export { createWebGpuBackend };
export { WebGpuBackend, type GpuStorage } from '../backends/webgpu/webgpu-backend.js';
export type { WebGpuBackendOptions } from '../backends/webgpu/acquire-device.js';
export { webgpuAdapterForTests } from '../backends/webgpu/test-adapter.js';
