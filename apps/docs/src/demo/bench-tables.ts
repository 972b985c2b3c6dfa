import type { Row } from '@rheo/bench/results';

/** One row of the benchmark's results.json: the bench's own row type. */
export type BenchRow = Row;

/** One suite as a table: a line per (dataset, model, objective), a column per metric. */
export interface SuiteTable {
  readonly suite: string;
  readonly columns: readonly { readonly metric: string; readonly unit: string }[];
  readonly lines: readonly { readonly dataset: string; readonly model: string; readonly objective: string; readonly cells: readonly string[] }[];
}

/** Compact display of a measurement: integers and values from 1000 up as whole numbers, else 4 significant digits or an exponent. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) return v.toExponential(2);
  if (a >= 1000) return String(Math.round(v));
  return v.toPrecision(4).replace(/\.?0+$/, '');
}

/** The suites of a results file in the order they first appear, each as a table. */
export function suiteTables(rows: readonly BenchRow[]): SuiteTable[] {
  const suites = [...new Set(rows.map((r) => r.suite))];
  return suites.map((suite) => {
    const own = rows.filter((r) => r.suite === suite);
    const metrics = [...new Set(own.map((r) => r.metric))];
    const columns = metrics.map((metric) => ({ metric, unit: own.find((r) => r.metric === metric)!.unit }));
    const keys = [...new Set(own.map((r) => JSON.stringify([r.dataset, r.model, r.objective])))];
    const lines = keys.map((k) => {
      const [dataset, model, objective] = JSON.parse(k) as [string, string, string];
      const cells = metrics.map((m) => {
        const r = own.find((x) => x.dataset === dataset && x.model === model && x.objective === objective && x.metric === m);
        return r === undefined ? '' : formatValue(r.value);
      });
      return { dataset, model, objective, cells };
    });
    return { suite, columns, lines };
  });
}

/** The metric each suite's chart shows, the one that suite exists to measure. */
export const HEADLINE_METRIC: Readonly<Record<string, string>> = {
  toy: 'nll_nats', tabular: 'nll_nats', speed: 'samples_per_s', kernels: 'gflops', peer: 'train_step_ms',
  hybrid: 'test_accuracy', posterior: 'energy_distance',
};
