import { join } from 'node:path';
import { writeNpy } from '@rheo/data/node';
import type { BenchOptions, Size } from './args.js';
import { makeDirs } from '@rheo/eval/node';
import type { Row, RowInput } from './results.js';

export interface Figure {
  readonly suite: string;
  readonly title: string;
  /** Path relative to the output folder. */
  readonly file: string;
}

/** What every suite writes into: rows, figures, sample files, checkpoints, notes for the report. */
export class RunContext {
  readonly rows: Row[] = [];
  readonly figures: Figure[] = [];
  readonly notes: Map<string, string[]> = new Map();

  constructor(readonly options: BenchOptions, readonly backend: string) {
    for (const sub of ['checkpoints', 'samples', 'plots']) makeDirs(join(options.out, sub), '--out');
  }

  add(suite: string, row: RowInput): void {
    this.rows.push({ suite, ...row, backend: this.backend, seed: this.options.seed });
  }

  note(suite: string, text: string): void {
    const list = this.notes.get(suite) ?? [];
    if (!list.includes(text)) list.push(text);
    this.notes.set(suite, list);
  }

  /** The value for the run's size; --steps overrides training steps elsewhere. */
  size<T>(values: Readonly<Record<Size, T>>): T {
    return values[this.options.size];
  }

  steps(defaults: Readonly<Record<Size, number>>): number {
    return this.options.steps ?? defaults[this.options.size];
  }

  /** Whether --model selects this model and objective (every model when --model is absent). */
  wants(model: string, objective: string): boolean {
    const m = this.options.models;
    return m === undefined || m.includes(model) || m.includes(`${model}/${objective}`);
  }

  /** Per seed, size and step count, since each changes the model, its data or its schedule. */
  checkpoint(name: string, steps: number): string {
    return join(this.options.out, 'checkpoints', `${name}-seed${this.options.seed}-${this.options.size}-${steps}steps.safetensors`);
  }

  /** The per-model training budget in milliseconds: --budget-minutes, else `fullMinutes` in --full runs, else none (default runs stop by steps, so they reproduce). */
  budgetMs(fullMinutes: number): number | undefined {
    const m = this.options.budgetMinutes ?? (this.options.size === 'full' ? fullMinutes : undefined);
    return m === undefined ? undefined : m * 60_000;
  }

  /** samples/<name>.npy, float32 n×d; returns the path relative to the output folder. */
  writeSamples(name: string, x: Float32Array, d: number): string {
    const rel = join('samples', `${name}.npy`);
    writeNpy(join(this.options.out, rel), x, [x.length / d, d]);
    return rel;
  }

  figure(suite: string, title: string, rel: string): void {
    this.figures.push({ suite, title, file: rel });
  }
}
