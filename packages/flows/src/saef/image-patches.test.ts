import { key, normal, tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { assertChecks, checkTransform, perturb } from '../testing/index.js';
import { imagePatchFlow, imagePatchGenerator, patchOrder } from './image-patches.js';

describe('image patch blocks', () => {
  it('orders a 4x4 image by 2x2 patches in raster order', () => {
    expect(patchOrder([1, 4, 4], [2, 2])).toEqual([0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15]);
    // two channels, 1x2 patches of a 2x2 image: each patch takes both channels' pixels
    expect(patchOrder([2, 2, 2], [1, 2])).toEqual([0, 1, 4, 5, 2, 3, 6, 7]);
  });

  it('rejects patches that do not tile the image', () => {
    expect(() => patchOrder([1, 4, 4], [3, 2])).toThrow(/patchOrder\(patch\): a 3x2 patch does not tile a 4x4 image/);
  });

  it('generates patch b from the noise of patches <= b only, returned in image order', async () => {
    const g = imagePatchGenerator(key(1), [1, 4, 4], [2, 2], { hidden: [16] });
    expect(g.layout.count).toBe(4);
    const eps = normal(key(2), [1, 16]);
    const base = await g.generate(g.params, eps).data();
    // bump the noise of the third patch (patch-order positions 8..11)
    const bumped = Float32Array.from(await eps.data(), (v, i) => (i >= 8 && i < 12 ? v + 1 : v));
    const moved = await g.generate(g.params, tensor(bumped, [1, 16])).data();
    const earlier = [0, 1, 4, 5, 2, 3, 6, 7]; // image pixels of patches 0 and 1
    for (const p of earlier) expect(moved[p]).toBe(base[p]);
    const own = [8, 9, 12, 13];
    expect(own.some((p) => moved[p] !== base[p])).toBe(true);
  });

  it('the invertible patch flow round-trips and its log-det matches the brute-force Jacobian', async () => {
    const t = imagePatchFlow(key(3), [1, 4, 4], [2, 2], { hidden: [16] });
    assertChecks('image patch flow', await checkTransform(t, perturb(t.params, key(5)), t.buffers, normal(key(4), [3, 16])));
  });
});
