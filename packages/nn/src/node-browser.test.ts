import { BackendError, tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { checkpointExists, loadCheckpoint, saveCheckpoint } from './node-browser';

describe('@rheo/nn/node in browser bundles', () => {
  it('names the call and the missing file system instead of failing inside a bundler', async () => {
    await expect(saveCheckpoint('a.safetensors', { w: tensor([1]) })).rejects.toThrow(BackendError);
    await expect(saveCheckpoint('a.safetensors', { w: tensor([1]) })).rejects.toThrow(/^saveCheckpoint: checkpoint files need a file system.*serializeSafetensors/);
    await expect(loadCheckpoint('a.safetensors')).rejects.toThrow(/^loadCheckpoint: /);
    await expect(checkpointExists('a.safetensors')).rejects.toThrow(/^checkpointExists: /);
  });
});
