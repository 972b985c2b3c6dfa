import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Runs the PyTorch peer script (torch_peer.py, beside this file) once and
 * returns its per-row medians in microseconds, or why it could not run.
 * Python is `RHEO_BENCH_PYTHON`, else /usr/bin/python3, else python3 on the
 * PATH. OpenBLAS tuning variables that these machines may set (and that slow
 * PyTorch's BLAS) are removed for the peer process only.
 */
export interface TorchPeerResult {
  readonly torch: string;
  readonly threads: number;
  /** Row name → median wall microseconds. */
  readonly rows: Readonly<Record<string, number>>;
  /** Row name → mean CPU microseconds of the process (`time.process_time`). */
  readonly cpu_rows?: Readonly<Record<string, number>>;
}

export function torchPython(): string {
  return process.env['RHEO_BENCH_PYTHON'] ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}

/** What the script runs: the op rows, or the training steps on `batch` (rows × d, row-major). */
export type TorchRequest =
  | { readonly part: 'ops'; readonly warmup: number; readonly repeats: number }
  | { readonly part: 'steps'; readonly warmup: number; readonly repeats: number; readonly d: number; readonly batch: readonly number[] };

export function runTorchPeer(request: TorchRequest): TorchPeerResult | { missing: string } {
  const python = torchPython();
  const script = fileURLToPath(new URL('./torch_peer.py', import.meta.url));
  const env = { ...process.env };
  delete env['OPENBLAS_CORETYPE'];
  delete env['OPENBLAS_L2_SIZE'];
  // torch.set_num_threads(1) leaves OpenBLAS's own pool alone: its CPU time ran at twice its wall time. One thread means one.
  env['OPENBLAS_NUM_THREADS'] = '1';
  env['OMP_NUM_THREADS'] = '1';
  const probe = spawnSync(python, ['-c', 'import torch'], { env, encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    const why = probe.error !== undefined ? `${python} did not start` : `${python} cannot import torch`;
    return { missing: `PyTorch peer skipped: ${why} (apt-get install python3-torch libopenblas0-pthread, or set RHEO_BENCH_PYTHON)` };
  }
  const run = spawnSync(python, [script], { env, input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) {
    const last = (run.stderr ?? '').trim().split('\n').pop() ?? '';
    return { missing: `PyTorch peer skipped: torch_peer.py exited with ${run.status} (${last})` };
  }
  return JSON.parse(run.stdout) as TorchPeerResult;
}
