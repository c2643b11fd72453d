import { z } from 'zod';
import type { BatonEvent } from '../../events.js';
import { badInput } from '../../errors.js';

/** How much tool output an event keeps; the full output stays in the worker's stdout file. */
const MAX_EVENT_OUTPUT = 4000;

/** The last part of a long tool output, marked as cut. */
export function tailOf(text: string): string {
  return text.length > MAX_EVENT_OUTPUT ? `…${text.slice(text.length - MAX_EVENT_OUTPUT)}` : text;
}

/** The `BATON_<NAME>_ARGS` variable: a JSON array of extra CLI arguments for every worker. */
export function argsVariable(name: string): string {
  return `BATON_${name.toUpperCase()}_ARGS`;
}

const ArgList = z.array(z.string());

/** Extra arguments from `BATON_<NAME>_ARGS`; anything but a JSON array of strings is bad input. */
export function configuredArgs(name: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const variable = argsVariable(name);
  const raw = env[variable];
  if (raw === undefined || raw.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw badInput(`${variable} must be a JSON array of strings, e.g. ["--verbose"]; got: ${raw}`);
  }
  const parsed = ArgList.safeParse(value);
  if (!parsed.success) throw badInput(`${variable} must be a JSON array of strings; got: ${raw}`);
  return parsed.data;
}

/** A stdout line as JSON: null for noise (not an object), so callers skip it. */
export function jsonLine(line: string): unknown {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return null;
  try {
    return JSON.parse(trimmed);
  } catch {
    return null;
  }
}

const Typed = z.looseObject({ type: z.string() });

/**
 * Parses one line against a backend's event schema. Non-JSON noise and event types the schema does
 * not list give [] (CLIs add types often); a listed type that fails its schema becomes a named,
 * non-fatal `error` event, so a format change shows up instead of vanishing.
 */
export function parseEventLine<T>(
  backend: string,
  line: string,
  schema: z.ZodType<T>,
  known: ReadonlySet<string>,
  map: (event: T) => BatonEvent[],
): BatonEvent[] {
  const json = jsonLine(line);
  if (json === null) return [];
  const parsed = schema.safeParse(json);
  if (parsed.success) return map(parsed.data);
  const typed = Typed.safeParse(json);
  if (typed.success && !known.has(typed.data.type)) return [];
  return [
    { type: 'error', message: `unrecognised ${backend} event: ${line.trim().slice(0, 200)}`, fatal: false },
  ];
}

/** "exited with code 3: <stderr>" style suffix, from the last stderr lines when there are any. */
export function withStderr(text: string, stderrTail: string): string {
  return stderrTail ? `${text}: ${stderrTail}` : text;
}
