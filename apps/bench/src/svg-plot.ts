/** Minimal SVG figures for the report: no dependency, one string per file. */

export interface Panel {
  readonly title: string;
  /** Row-major n×2 points (scatter) or a grid×grid array of values (heatmap). */
  readonly values: Float32Array;
  readonly kind: 'scatter' | 'heatmap';
  readonly grid?: number;
}

const SIZE = 260;
const PAD = 20;

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function scatter(p: Panel, x0: number, lo: number, hi: number): string {
  const scale = (v: number) => ((v - lo) / (hi - lo)) * SIZE;
  const dots: string[] = [];
  for (let i = 0; i + 1 < p.values.length; i += 2) {
    const x = scale(p.values[i]!);
    const y = SIZE - scale(p.values[i + 1]!);
    if (x >= 0 && x <= SIZE && y >= 0 && y <= SIZE) dots.push(`<circle cx="${(x0 + x).toFixed(1)}" cy="${(PAD + y).toFixed(1)}" r="1"/>`);
  }
  return `<g fill="#1f4e99" fill-opacity="0.5">${dots.join('')}</g>`;
}

function heatmap(p: Panel, x0: number): string {
  const g = p.grid ?? Math.round(Math.sqrt(p.values.length));
  let max = 0;
  for (const v of p.values) if (Number.isFinite(v)) max = Math.max(max, v);
  const cell = SIZE / g;
  const rects: string[] = [];
  for (let r = 0; r < g; r++) {
    for (let c = 0; c < g; c++) {
      const v = p.values[r * g + c]!;
      const t = max > 0 && Number.isFinite(v) ? v / max : 0;
      const shade = Math.round(255 * (1 - t));
      // Row 0 is the lowest y, drawn at the bottom.
      rects.push(`<rect x="${(x0 + c * cell).toFixed(1)}" y="${(PAD + SIZE - (r + 1) * cell).toFixed(1)}" width="${cell.toFixed(2)}" height="${cell.toFixed(2)}" fill="rgb(${shade},${shade},255)"/>`);
    }
  }
  return `<g>${rects.join('')}</g>`;
}

/** Panels side by side, all sharing the square [lo, hi]² view. */
export function svgPanels(panels: readonly Panel[], lo: number, hi: number): string {
  const width = panels.length * (SIZE + PAD) + PAD;
  const body = panels.map((p, i) => {
    const x0 = PAD + i * (SIZE + PAD);
    const content = p.kind === 'scatter' ? scatter(p, x0, lo, hi) : heatmap(p, x0);
    return `<rect x="${x0}" y="${PAD}" width="${SIZE}" height="${SIZE}" fill="white" stroke="#999"/>${content}<text x="${x0}" y="14" font-size="12" font-family="sans-serif">${escape(p.title)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${SIZE + 2 * PAD}" viewBox="0 0 ${width} ${SIZE + 2 * PAD}">${body.join('')}</svg>\n`;
}
