import { badInput } from '../errors.js';
import type { Workflow } from './schema.js';

/** Raw parameter values as a caller gives them (CLI strings, or typed values from code/MCP). */
export type RawParams = Record<string, string | number | string[] | undefined>;

function asList(value: string | number | string[]): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => asList(v));
  return String(value)
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/**
 * Applies a workflow's parameter rules: defaults, required ones, list sizes, numbers. Unknown
 * parameters are errors that list the known ones.
 */
export function resolveParams(workflow: Workflow, raw: RawParams): Record<string, unknown> {
  const known = Object.keys(workflow.params);
  for (const key of Object.keys(raw)) {
    if (raw[key] !== undefined && !known.includes(key)) {
      throw badInput(`${workflow.name}: unknown parameter "${key}"; it takes: ${known.join(', ') || 'none'}`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(workflow.params)) {
    const given = raw[name] ?? spec.default;
    if (given === undefined) {
      if (spec.required)
        throw badInput(`${workflow.name}: "${name}" is required (${spec.help ?? spec.kind})`);
      continue;
    }
    if (spec.kind === 'list') {
      const list = asList(given);
      if (spec.required && list.length === 0)
        throw badInput(`${workflow.name}: "${name}" needs at least one item`);
      if (spec.min !== undefined && list.length < spec.min) {
        throw badInput(
          `${workflow.name}: "${name}" needs ${spec.min} to ${spec.max ?? 'any number of'} items (got ${list.length})`,
        );
      }
      if (spec.max !== undefined && list.length > spec.max) {
        throw badInput(`${workflow.name}: "${name}" takes at most ${spec.max} items (got ${list.length})`);
      }
      out[name] = list;
    } else if (spec.kind === 'number') {
      const n = Number(given);
      const lo = spec.min ?? -Infinity;
      const hi = spec.max ?? Infinity;
      if (!Number.isInteger(n) || n < lo || n > hi) {
        throw badInput(
          `${workflow.name}: "${name}" must be a whole number from ${spec.min ?? '…'} to ${spec.max ?? '…'} (got ${String(given)})`,
        );
      }
      out[name] = n;
    } else {
      const text = Array.isArray(given) ? given.join(' ') : String(given);
      if (spec.required && text.trim() === '')
        throw badInput(`${workflow.name}: "${name}" must not be empty`);
      out[name] = text;
    }
  }
  return out;
}
