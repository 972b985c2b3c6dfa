/** One bad input: the call, the error class it must throw, and patterns its one-line message must match. */
export interface BadInputRow {
  readonly label: string;
  readonly call: () => unknown;
  readonly error: abstract new (...args: never[]) => Error;
  readonly patterns: readonly RegExp[];
}
/** Registers one test per row under `title`. */
export function describeBadInput(title: string, rows: readonly BadInputRow[]): void;
