import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../index.js';

/** Commander parser for duration flags (`--timeout 30m`). */
export function durationOption(flag: string) {
  return (value: string): number => {
    try {
      return parseDuration(value, flag);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

/** Commander parser for positive integers (`--max-output-tokens 2000`). */
export function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) {
      throw new InvalidArgumentError(`${flag}: "${value}" is not a positive whole number`);
    }
    return n;
  };
}
