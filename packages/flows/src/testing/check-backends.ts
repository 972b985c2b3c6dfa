import { backendInfo, flattenTree, setBackend, tensor, type Tensor, type TensorTree } from '@rheo/tensor';
import { compareArrays, type CheckResult } from './check-result.js';
import { layerInputs, type LayerCase } from './layer-case.js';

interface HostTensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

async function toHost(t: Tensor): Promise<HostTensor> {
  return { data: Float32Array.from(await t.data()), shape: [...t.shape] };
}

const upload = (h: HostTensor): Tensor => tensor(Float32Array.from(h.data), h.shape);

/**
 * The same case on the CPU and on another backend (e.g. 'webgpu', which the
 * caller registers by importing `@rheo/tensor/webgpu`): the forward output
 * and log-det at x, and the inverse output and log-det at the CPU's f(x),
 * agree within tol·(1 + |cpu value|). The parameters, x and the context are
 * the CPU's values, uploaded, so only the kernels differ. The active backend
 * is restored afterwards.
 */
export async function checkBackendAgreement(c: LayerCase, backend: string, tol = 1e-3): Promise<CheckResult[]> {
  const before = backendInfo().name;
  try {
    await setBackend('cpu', { quiet: true });
    const cpu = layerInputs(c);
    const fwd = cpu.t.forwardAndLogDet(cpu.params, cpu.t.buffers, cpu.x, cpu.options);
    const inv = cpu.t.inverseAndLogDet(cpu.params, cpu.t.buffers, fwd.out, cpu.options);
    const host = {
      params: await Promise.all(flattenTree(cpu.params).leaves.map(toHost)),
      rebuild: flattenTree(cpu.params).rebuild,
      x: await toHost(cpu.x),
      z: await toHost(fwd.out),
      context: cpu.context ? await toHost(cpu.context) : undefined,
      want: await Promise.all([fwd.out, fwd.logDet, inv.out, inv.logDet].map(async (t) => Float32Array.from(await t.data()))),
    };
    await setBackend(backend, { quiet: true });
    const t = c.make();
    const params: TensorTree = host.rebuild(host.params.map(upload));
    const extra = c.options ? c.options() : {};
    const options = host.context ? { ...extra, context: upload(host.context) } : extra;
    const f = t.forwardAndLogDet(params, t.buffers, upload(host.x), options);
    const g = t.inverseAndLogDet(params, t.buffers, upload(host.z), options);
    const got = await Promise.all([f.out, f.logDet, g.out, g.logDet].map((v) => v.data()));
    const names = ['forward output', 'forward log-det', 'inverse output', 'inverse log-det'];
    return names.map((n, i) => compareArrays(`${backend} vs CPU: ${n}`, got[i]!, host.want[i]!, tol));
  } finally {
    await setBackend(before, { quiet: true });
  }
}
