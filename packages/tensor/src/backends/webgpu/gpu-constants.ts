// The WebGPU flag values (GPUBufferUsage, GPUMapMode, GPUShaderStage), written
// out because Node's `webgpu` package does not install those globals.
export const USAGE_MAP_READ = 0x0001;
export const USAGE_COPY_SRC = 0x0004;
export const USAGE_COPY_DST = 0x0008;
export const USAGE_UNIFORM = 0x0040;
export const USAGE_STORAGE = 0x0080;
export const MAP_READ = 0x0001;
export const STAGE_COMPUTE = 0x4;
