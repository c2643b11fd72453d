import { BatonError } from '../index.js';

/** A BatonError for bad CLI usage (exit 2). */
export function badInputError(message: string): BatonError {
  return new BatonError('BAD_INPUT', message);
}
