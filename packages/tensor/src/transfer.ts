import { BackendError, show } from './errors.js';
import { adopt, registeredBackends } from './engine.js';
import { DataRef, type Tensor } from './tensor.js';
import type { Backend } from './backend.js';

/** Copies a tensor's values to another backend instance (no gradient flows across). */
export async function toBackend(t: Tensor, backend: Backend): Promise<Tensor> {
  if (!backend || typeof backend.upload !== 'function') {
    throw new BackendError(`toBackend(t, backend): expected a Backend (from setBackend or getBackend), received ${show(backend)}; registered: ${show(registeredBackends())}`);
  }
  if (t.backend === backend) return t;
  const values = await t.data();
  return adopt(new DataRef(backend, backend.upload(values, t), values.byteLength), t.shape, t.dtype);
}
