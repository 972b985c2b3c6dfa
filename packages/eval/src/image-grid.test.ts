import { describe, expect, it } from 'vitest';
import { imageGrid } from './image-grid.js';

describe('imageGrid', () => {
  it('tiles 2×2 images three to a row with 1-pixel white gaps', () => {
    // Image k has pixels [k, k + 0.25, k + 0.5, k + 0.75] / 4 in [0, 1].
    const n = 4;
    const data = new Float32Array(n * 4);
    for (let k = 0; k < n; k++) for (let p = 0; p < 4; p++) data[4 * k + p] = (k + p / 4) / 4;
    const g = imageGrid({ data, rows: n, cols: 4 }, { width: 2, height: 2, columns: 3 });
    // 3 columns: W = 3·2 + 4 = 10; 2 rows: H = 2·2 + 3 = 7.
    expect([g.width, g.height]).toEqual([10, 7]);
    const at = (x: number, y: number) => g.data[y * 10 + x]!;
    expect(at(0, 0)).toBe(255);
    // Image 0 top-left pixel at (1, 1): value 0 → 0; its pixel (1,1) is 0.75/4 → round(47.8) = 48.
    expect(at(1, 1)).toBe(0);
    expect(at(2, 2)).toBe(48);
    // Image 2 starts at x = 1 + 2·3 = 7; pixel (1, 0) is (2 + 0.25)/4 → round(143.4) = 143.
    expect(at(8, 1)).toBe(143);
    // Image 3 wraps to the second row: origin (1, 4); pixel (0, 1) is (3 + 0.5)/4 → round(223.1) = 223.
    expect(at(1, 5)).toBe(223);
    // The second row has one image: its other slots stay background.
    expect(at(7, 4)).toBe(255);
  });

  it('clips to the range and checks the row width', () => {
    const g = imageGrid({ data: new Float32Array([-5, 0, 128, 300]), rows: 1, cols: 4 }, { width: 4, height: 1, padding: 0, range: [0, 256] });
    expect(Array.from(g.data)).toEqual([0, 0, 128, 255]);
    expect(() => imageGrid({ data: new Float32Array(4), rows: 1, cols: 4 }, { width: 3, height: 1 })).toThrow(/3·1 = 3 values per row, received 4/);
  });
});
