/** Every failure baton reports on purpose carries one of these codes. */
export type BatonErrorCode =
  | 'BAD_INPUT' // the caller passed something baton cannot accept (exit 2)
  | 'NOT_FOUND' // a label, file or binary that does not exist (exit 2)
  | 'CONFLICT' // e.g. a label that is already taken (exit 2)
  | 'NESTED_SPAWN' // a worker tried to start workers (exit 2)
  | 'BACKEND_UNAVAILABLE' // the agent CLI could not be found
  | 'STORE' // the state directory or database is unusable
  | 'INTERNAL';

/** Codes that mean "the caller's input was wrong": the CLI exits 2 for these. */
export const INPUT_ERROR_CODES: ReadonlySet<BatonErrorCode> = new Set([
  'BAD_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'NESTED_SPAWN',
]);

/** The one error type baton throws; `code` says what kind of failure it is. */
export class BatonError extends Error {
  readonly code: BatonErrorCode;

  constructor(code: BatonErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BatonError';
    this.code = code;
  }
}

/** Shorthand for the most common error: bad input, with what was wrong and what is allowed. */
export function badInput(message: string): BatonError {
  return new BatonError('BAD_INPUT', message);
}
