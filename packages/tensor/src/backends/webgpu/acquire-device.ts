/// <reference types="@webgpu/types" />
import { BackendError } from '../../errors.js';

/** How the WebGPU backend finds its device. */
export interface WebGpuBackendOptions {
  /** A device to run on; the backend then neither creates nor destroys one. */
  readonly device?: GPUDevice;
  /** The WebGPU entry object (`navigator.gpu` or one from Node's `webgpu` package's `create()`). */
  readonly gpu?: GPU;
  /** Adapter request options, when the backend requests the adapter itself. */
  readonly adapter?: GPURequestAdapterOptions;
}

export interface AcquiredDevice {
  readonly device: GPUDevice;
  readonly description: string;
  /** True when the backend created the device and destroys it on dispose(). */
  readonly owned: boolean;
}

// Dawn crashes the process if the object create() returned is collected while
// a device from it lives, so every one ever made is held here for good.
const keepAlive: unknown[] = [];

// Limits worth raising to what the adapter allows: compatibility mode grants
// 128 invocations per workgroup and 4 storage buffers per stage by default.
const LIMITS = [
  'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxStorageBuffersPerShaderStage',
  'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension',
] as const;

function describeAdapter(info: GPUAdapterInfo | undefined, via: string): string {
  const parts = [info?.vendor, info?.architecture, info?.description].filter((s) => typeof s === 'string' && s.length > 0);
  return `WebGPU (${parts.length > 0 ? parts.join(' ') : 'unnamed adapter'}${via ? `, ${via}` : ''})`;
}

interface NodeWebGpu {
  create(options: string[]): GPU;
}

/** Node's `webgpu` package, loaded only when needed so that browsers and CPU-only users never load it. */
async function loadNodeWebGpu(): Promise<NodeWebGpu> {
  const name = 'webgpu';
  try {
    return (await import(/* @vite-ignore */ name)) as NodeWebGpu;
  } catch (err) {
    throw new BackendError(
      `webgpu: no navigator.gpu and the optional "webgpu" package could not be loaded (${(err as Error).message}); ` +
        'install it with `npm i webgpu` to run on the GPU from Node',
    );
  }
}

async function requestDevice(adapter: GPUAdapter, description: string): Promise<AcquiredDevice> {
  const requiredLimits: Record<string, number> = {};
  for (const l of LIMITS) {
    const v = (adapter.limits as unknown as Record<string, number | undefined>)[l];
    if (typeof v === 'number') requiredLimits[l] = v;
  }
  const device = await adapter.requestDevice({ requiredLimits });
  return { device, description, owned: true };
}

/**
 * Finds a device: the given one, else an adapter from the given `gpu`, from
 * `navigator.gpu`, or from Node's `webgpu` package. In Node, Dawn's default
 * backend (Vulkan, Metal, D3D12) is tried first, then OpenGL ES in
 * compatibility mode, which is what Mesa's llvmpipe offers without a GPU.
 */
export async function acquireDevice(options: WebGpuBackendOptions = {}): Promise<AcquiredDevice> {
  if (options.device) {
    const info = (options.device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
    return { device: options.device, description: describeAdapter(info, 'given device'), owned: false };
  }
  const given = options.gpu ?? (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (given) {
    const adapter = await given.requestAdapter(options.adapter);
    if (!adapter) throw new BackendError('webgpu: requestAdapter() returned no adapter (WebGPU is present but no GPU is usable)');
    return requestDevice(adapter, describeAdapter(adapter.info, ''));
  }
  const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  if (!isNode) throw new BackendError('webgpu: navigator.gpu is absent (this browser does not expose WebGPU, or the page is not a secure context)');
  const mod = await loadNodeWebGpu();
  const attempts: [string[], GPURequestAdapterOptions, string][] = [
    [[], options.adapter ?? {}, 'Dawn default backend'],
    [['backend=opengles'], { ...options.adapter, featureLevel: 'compatibility' } as GPURequestAdapterOptions, 'Dawn OpenGL ES, compatibility mode'],
  ];
  const failures: string[] = [];
  for (const [flags, request, via] of attempts) {
    try {
      const gpu = mod.create(flags);
      keepAlive.push(gpu);
      const adapter = await gpu.requestAdapter(request);
      if (!adapter) {
        failures.push(`${via}: no adapter`);
        continue;
      }
      keepAlive.push(adapter);
      return await requestDevice(adapter, describeAdapter(adapter.info, via));
    } catch (err) {
      failures.push(`${via}: ${(err as Error).message}`);
    }
  }
  throw new BackendError(
    `webgpu: no WebGPU adapter found (${failures.join('; ')}); without a GPU, Mesa's llvmpipe needs libegl1, libegl-mesa0, libgles2 and EGL_PLATFORM=surfaceless`,
  );
}
