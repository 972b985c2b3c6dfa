import { ArgumentError, NonFiniteError, ShapeError } from '@rheo/tensor';
import { FLOAT32_MAX, type Matrix } from './matrix.js';

/**
 * Options of `parseCsv`: the field separator, whether the first line holds column names, and the
 * expected number of columns.
 */
export interface CsvOptions {
  /** Field separator; default ','. */
  readonly delimiter?: string;
  /** Skip the first line (column names); default false. */
  readonly header?: boolean;
  /** Expected number of columns; default: that of the first data row. */
  readonly columns?: number;
}

/**
 * Parses numeric CSV text (LF or CRLF, blank lines ignored) into a float32
 * Matrix. Every cell must be a finite decimal number and every row as long as
 * the first; errors name the file, the 1-based line (and data row) and column.
 */
export function parseCsv(text: string, name = '<csv text>', options: CsvOptions = {}): Matrix {
  const where = `parseCsv(${JSON.stringify(name)})`;
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length === 0) throw new ArgumentError(`${where}: expected a non-empty delimiter, received ""`);
  const lines = text.split('\n');
  const values: number[] = [];
  let cols = options.columns ?? -1;
  let rows = 0;
  for (let l = options.header === true ? 1 : 0; l < lines.length; l++) {
    const line = lines[l]!.endsWith('\r') ? lines[l]!.slice(0, -1) : lines[l]!;
    if (line.trim() === '') continue;
    const cells = line.split(delimiter);
    if (cols < 0) cols = cells.length;
    if (cells.length !== cols) throw new ShapeError(`${where}: line ${l + 1} (data row ${rows + 1}) has ${cells.length} columns, expected ${cols} (ragged row)`);
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c]!.trim();
      const v = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(v)) {
        throw new NonFiniteError(`${where}: line ${l + 1} (data row ${rows + 1}), column ${c + 1}: expected a finite number, received ${JSON.stringify(cells[c])}`);
      }
      if (!Number.isFinite(Math.fround(v))) {
        throw new NonFiniteError(
          `${where}: line ${l + 1} (data row ${rows + 1}), column ${c + 1}: ${JSON.stringify(cell)} is beyond the float32 range; expected |value| <= ${FLOAT32_MAX}`,
        );
      }
      values.push(v);
    }
    rows++;
  }
  return { data: Float32Array.from(values), rows, cols: Math.max(cols, 0) };
}
