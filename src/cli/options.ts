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

/** Commander parser for repeatable `KEY=VALUE` flags (`--env A=1 --env B=2`), collected into a map. */
export function envOption(flag: string) {
  return (value: string, previous: Record<string, string> = {}): Record<string, string> => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(value);
    if (!match) {
      throw new InvalidArgumentError(`${flag}: "${value}" is not KEY=VALUE (KEY: letters, digits and _)`);
    }
    return { ...previous, [match[1] ?? '']: match[2] ?? '' };
  };
}
