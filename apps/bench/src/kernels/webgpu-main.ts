// pnpm --filter @rheo/bench kernels:webgpu [sizes...]
// Prints WebGPU matmul and MLP-step timings: TensorFlow.js's WebGPU backend and
// rheo's WGSL matmul, both on the same Dawn adapter. On a software adapter
// (llvmpipe) the figures check correctness and overheads, not GPU speed.
import {
  openDawn, rheoWgslMatmul, tfjsWebgpuMatmul, tfjsWebgpuMatmulMs, tfjsWebgpuMlpStepMs,
} from './webgpu-peer.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
const { description } = await openDawn();
console.log(`adapter: ${description || 'unnamed'}`);

const gflops = (n: number, ms: number) => (2 * n ** 3) / (ms * 1e6);
for (const n of sizes.length > 0 ? sizes : [256, 1024]) {
  const reps = n <= 256 ? 7 : 3, warm = n <= 256 ? 2 : 1;
  const mine = await rheoWgslMatmul(n, warm, reps);
  const theirs = await tfjsWebgpuMatmulMs(n, warm, reps);
  const ref = await tfjsWebgpuMatmul(n);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ref[i]! - mine.result[i]!));
  console.log(
    `matmul ${n}^3: rheo WGSL ${mine.ms.toFixed(1)} ms (${gflops(n, mine.ms).toFixed(2)} GFLOP/s), ` +
      `tfjs-webgpu ${theirs.toFixed(1)} ms (${gflops(n, theirs).toFixed(2)} GFLOP/s), max|diff| ${worst.toExponential(1)}`,
  );
}
const mlp = await tfjsWebgpuMlpStepMs();
console.log(`MLP train step (b=256, 8-128-128-8): tfjs-webgpu ${mlp.toFixed(2)} ms (rheo row: pending the WebGPU backend)`);
process.exit(0);
