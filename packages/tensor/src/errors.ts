/**
 * Every error rheo throws is a `RheoError`. The message names the argument,
 * what was received and what was expected, so that a caller can fix the call
 * without reading the library's source.
 */
export class RheoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit together (broadcasting, matmul, concat, reshape). */
export class ShapeError extends RheoError {}

/** A tensor of the wrong element type for an op. */
export class DTypeError extends RheoError {}

/** An argument outside its allowed range or of the wrong kind. */
export class ArgumentError extends RheoError {}

/** A tensor used after `dispose()` (or after the `tidy` scope that owned it ended). */
export class DisposedError extends RheoError {}

/** A backend that cannot be used (not registered, failed to initialise, lost device). */
export class BackendError extends RheoError {}

/** A NaN or infinity found where finite numbers were required. */
export class NonFiniteError extends RheoError {}

/** Formats a value for an error message: shapes as [a, b], strings quoted. */
export function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') {
    const ctor = (value as object).constructor?.name;
    return ctor && ctor !== 'Object' ? ctor : JSON.stringify(value);
  }
  return String(value);
}
