/** One measurement: the unit of results.json and of every table. */
export interface Row {
  readonly suite: string;
  readonly dataset: string;
  readonly model: string;
  readonly objective: string;
  readonly backend: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly seed: number;
}

export type RowInput = Omit<Row, 'suite' | 'backend' | 'seed'>;

/** Metrics where lower is better, shown with that hint in the tables. */
const LOWER_BETTER = new Set(['energy_distance', 'mmd', 'nll_nats', 'train_nll_nats', 'bits_per_dim', 'train_step_ms', 'inverse_max_err', 'sample_ms', 'nll_minus_entropy', 'best_val_loss']);

function format(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
  return v.toFixed(a < 1 ? 4 : a < 100 ? 3 : 1);
}

/**
 * Rows of one suite as a markdown table: one line per (dataset, model,
 * objective), one column per metric.
 */
export function suiteTable(rows: readonly Row[]): string {
  const metrics = [...new Set(rows.map((r) => r.metric))];
  // A metric whose rows share one unit names it in the header; otherwise each cell carries its own.
  const units = new Map(metrics.map((m) => [m, new Set(rows.filter((r) => r.metric === m).map((r) => r.unit))]));
  const shared = (m: string) => (units.get(m)!.size === 1 ? [...units.get(m)!][0]! : null);
  const keys = [...new Set(rows.map((r) => `${r.dataset}\u0000${r.model}\u0000${r.objective}`))];
  const header = ['dataset', 'model', 'objective', ...metrics.map((m) => `${m}${LOWER_BETTER.has(m) ? ' ↓' : ''}${shared(m) !== null ? ` (${shared(m)})` : ''}`)];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const k of keys) {
    const [dataset, model, objective] = k.split('\u0000') as [string, string, string];
    const cells = metrics.map((m) => {
      const r = rows.find((x) => x.dataset === dataset && x.model === model && x.objective === objective && x.metric === m);
      if (r === undefined) return '';
      return shared(m) !== null ? format(r.value) : `${format(r.value)} ${r.unit}`;
    });
    lines.push(`| ${[dataset, model, objective, ...cells].map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
  }
  return lines.join('\n');
}
