import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../index.js';

/** Commander parser for duration flags (`--timeout 30m`). */
export function durationOption(flag: string) {
  return (value: string): number => {
    let ms: number;
    try {
      ms = parseDuration(value, flag);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
    if (ms <= 0) throw new InvalidArgumentError(`${flag}: "${value}" must be longer than 0, e.g. 30s or 10m`);
    return ms;
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
