import { STAGE_COMPUTE } from './gpu-constants.js';

/**
 * Compute pipelines by program key, with explicit bind group layouts that
 * follow the binding contract (n read-only storage inputs, one read-write
 * output, an optional uniform block), so a kernel that ignores an input
 * still binds it.
 */
export class PipelineCache {
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly layouts = new Map<string, GPUBindGroupLayout>();

  constructor(private readonly device: GPUDevice) {}

  get size(): number {
    return this.pipelines.size;
  }

  layout(inputs: number, uniforms: boolean): GPUBindGroupLayout {
    const key = `${inputs}:${uniforms}`;
    let layout = this.layouts.get(key);
    if (!layout) {
      const entries: GPUBindGroupLayoutEntry[] = [];
      for (let i = 0; i < inputs; i++) entries.push({ binding: i, visibility: STAGE_COMPUTE, buffer: { type: 'read-only-storage' } });
      entries.push({ binding: inputs, visibility: STAGE_COMPUTE, buffer: { type: 'storage' } });
      if (uniforms) entries.push({ binding: inputs + 1, visibility: STAGE_COMPUTE, buffer: { type: 'uniform' } });
      layout = this.device.createBindGroupLayout({ entries });
      this.layouts.set(key, layout);
    }
    return layout;
  }

  /** The cached pipeline for `key`, or undefined. */
  get(key: string): GPUComputePipeline | undefined {
    return this.pipelines.get(key);
  }

  create(key: string, source: string, inputs: number, uniforms: boolean): GPUComputePipeline {
    const module = this.device.createShaderModule({ code: source });
    const pipeline = this.device.createComputePipeline({
      layout: this.device.createPipelineLayout({ bindGroupLayouts: [this.layout(inputs, uniforms)] }),
      compute: { module, entryPoint: 'main' },
    });
    this.pipelines.set(key, pipeline);
    return pipeline;
  }

  forget(key: string): void {
    this.pipelines.delete(key);
  }

  clear(): void {
    this.pipelines.clear();
  }
}
