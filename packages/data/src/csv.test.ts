import { NonFiniteError, ShapeError } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads numbers with CRLF, a header, blank lines and another delimiter', () => {
    const m = parseCsv('a,b,c\r\n1,2.5,-3\r\n\r\n4e2, 5 ,6\r\n', 'x.csv', { header: true });
    expect([m.rows, m.cols]).toEqual([2, 3]);
    expect(Array.from(m.data)).toEqual([1, 2.5, -3, 400, 5, 6]);
    const s = parseCsv('1;2\n3;4', 'y.csv', { delimiter: ';' });
    expect(Array.from(s.data)).toEqual([1, 2, 3, 4]);
  });

  it('names the file, line, data row and column of a ragged row', () => {
    expect(() => parseCsv('1,2,3\n4,5\n', 'r.csv')).toThrow(ShapeError);
    expect(() => parseCsv('h1,h2,h3\n1,2,3\n4,5\n', 'r.csv', { header: true })).toThrow(/"r\.csv"\): line 3 \(data row 2\) has 2 columns, expected 3/);
    expect(() => parseCsv('1,2\n', 'c.csv', { columns: 3 })).toThrow(/line 1 \(data row 1\) has 2 columns, expected 3/);
  });

  it('names the row and column of a NaN, infinite, empty or non-numeric cell', () => {
    expect(() => parseCsv('1,2\n3,NaN\n', 'n.csv')).toThrow(NonFiniteError);
    expect(() => parseCsv('1,2\n3,NaN\n', 'n.csv')).toThrow(/"n\.csv"\): line 2 \(data row 2\), column 2: expected a finite number, received "NaN"/);
    expect(() => parseCsv('1,Infinity\n', 'i.csv')).toThrow(/line 1 \(data row 1\), column 2/);
    expect(() => parseCsv('1,,3\n', 'e.csv')).toThrow(/column 2: .*received ""/);
    expect(() => parseCsv('1,2\nx,3\n', 'w.csv')).toThrow(/line 2 \(data row 2\), column 1: .*received "x"/);
  });
});
