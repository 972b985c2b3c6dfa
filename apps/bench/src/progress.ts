/**
 * A progress line on stderr: redrawn in place on a terminal, printed as plain
 * lines every `plainEvery` ms otherwise (logs and CI keep a readable record).
 */
export interface Progress {
  update(done: number, detail?: string): void;
  finish(detail?: string): void;
}

export interface ProgressOptions {
  readonly stream?: NodeJS.WriteStream;
  readonly plainEvery?: number;
}

export function progress(label: string, total: number, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const plainEvery = options.plainEvery ?? 5000;
  const t0 = performance.now();
  let last = -Infinity;
  const line = (done: number, detail: string | undefined) => {
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const secs = (performance.now() - t0) / 1000;
    const eta = frac > 0 && frac < 1 ? ` eta ${Math.ceil((secs * (1 - frac)) / frac)}s` : '';
    const width = 20;
    const bar = tty ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] ` : '';
    return `${label} ${bar}${done}/${total} ${secs.toFixed(1)}s${eta}${detail ? `  ${detail}` : ''}`;
  };
  return {
    update(done, detail) {
      const now = performance.now();
      if (tty) {
        if (now - last < 100) return;
        last = now;
        stream.write(`\r\x1b[2K${line(done, detail)}`);
      } else if (now - last >= plainEvery) {
        last = now;
        stream.write(`${line(done, detail)}\n`);
      }
    },
    finish(detail) {
      stream.write(tty ? `\r\x1b[2K${line(total, detail)}\n` : `${line(total, detail)}\n`);
    },
  };
}
