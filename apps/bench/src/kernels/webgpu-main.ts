// pnpm --filter @rheo/bench kernels:webgpu
// Per-op and MLP-step timings in one run: rheo WebGPU vs rheo CPU vs
// TensorFlow.js's WebGPU backend on the same Dawn adapter, written to
// kernels-webgpu.json. On a software adapter (llvmpipe) the figures check
// correctness and overheads, not GPU speed.
import { writeFileSync } from 'node:fs';
import { webgpuRows } from './webgpu-ops.js';

const { adapter, rows } = await webgpuRows();
console.log(`adapter: ${adapter}`);
const pad = (s: string, w: number) => s.padEnd(w);
console.log(`${pad('op', 40)}${pad('rheo webgpu', 14)}${pad('rheo cpu', 12)}${pad('tfjs-webgpu', 14)}${pad('vs tfjs-webgpu', 16)}${pad('vs cpu', 10)}${pad('max|gpu-cpu|', 14)}GFLOP/s rheo webgpu / tfjs-webgpu`);
const gflops = (flop: number | undefined, ms: number) => (flop ? (flop / ms / 1e6).toFixed(2) : '');
for (const r of rows) {
  console.log(
    pad(r.name, 40) + pad(`${r.webgpuMs.toFixed(2)} ms`, 14) + pad(`${r.cpuMs.toFixed(2)} ms`, 12) +
      pad(`${r.tfjsWebgpuMs.toFixed(2)} ms`, 14) + pad(`${(r.tfjsWebgpuMs / r.webgpuMs).toFixed(2)}x`, 16) +
      pad(`${(r.cpuMs / r.webgpuMs).toFixed(2)}x`, 10) + pad(r.maxDiff.toExponential(1), 14) +
      (r.flop ? `${gflops(r.flop, r.webgpuMs)} / ${gflops(r.flop, r.tfjsWebgpuMs)}` : ''),
  );
}
writeFileSync(new URL('../../kernels-webgpu.json', import.meta.url), `${JSON.stringify({ adapter, rows }, null, 2)}\n`);
process.exit(0);
