import { ArgumentError, DTypeError, RheoError, ShapeError } from '@rheo/tensor';

/**
 * The bench's exit codes: 0 a finished run; 2 bad input (an argument, a data
 * file or the output folder: the caller must change something); 3 a run that
 * failed on valid input (a NaN in training, a solver that did not converge,
 * a backend that failed or is missing: `NonFiniteError`, `ConvergenceError`,
 * `BackendError`, or any other `RheoError`); 1 an unexpected error (a bug).
 */
export const EXIT = { ok: 0, unexpected: 1, badInput: 2, runFailed: 3 } as const;

const IO_BAD_INPUT = new Set(['ENOENT', 'EACCES', 'EPERM', 'ENOTDIR', 'EISDIR', 'EROFS']);

/** The exit code for an error that ended a run (see `EXIT`). */
export function exitCodeOf(err: unknown): number {
  if (err instanceof ArgumentError || err instanceof ShapeError || err instanceof DTypeError) return EXIT.badInput;
  const io = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof io === 'string' && IO_BAD_INPUT.has(io)) return EXIT.badInput;
  if (err instanceof RheoError) return EXIT.runFailed;
  return EXIT.unexpected;
}
