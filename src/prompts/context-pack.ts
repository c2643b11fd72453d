import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadYaml } from '../util/lazy.js';
import { z } from 'zod';
import { BatonError, badInput } from '../errors.js';

const field = z.union([z.string(), z.array(z.string())]).optional();

/** The seed's Context Pack: use as much or as little as needed. */
const packSchema = z.strictObject({
  goal: field,
  non_goals: field,
  constraints: field,
  pointers: field,
  prior_decisions: field,
  success_check: field,
});
type Pack = z.infer<typeof packSchema>;

const TITLES: Record<keyof Pack, string> = {
  goal: 'Goal',
  non_goals: 'Non-goals',
  constraints: 'Constraints',
  pointers: 'Pointers',
  prior_decisions: 'Prior decisions',
  success_check: 'Success check',
};

/** A context pack ready for a prompt: its markdown, and its success check if it has one. */
export interface ContextPack {
  markdown: string;
  successCheck: string | null;
}

/** Accepts camelCase and kebab-case keys too (nonGoals, non-goals → non_goals). */
function normalizeKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k
        .replace(/([a-z])([A-Z])/g, '$1_$2')
        .replace(/-/g, '_')
        .toLowerCase(),
      v,
    ]),
  );
}

function render(pack: Pack): ContextPack {
  const lines: string[] = [];
  for (const key of Object.keys(TITLES) as (keyof Pack)[]) {
    const value = pack[key];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    if (typeof value === 'string') lines.push(`${TITLES[key]}: ${value}`);
    else lines.push(`${TITLES[key]}:`, ...value.map((v) => `- ${v}`));
  }
  const success = pack.success_check;
  return {
    markdown: lines.join('\n'),
    successCheck: success === undefined ? null : typeof success === 'string' ? success : success.join('; '),
  };
}

/**
 * Reads a context pack: markdown is used as written; JSON or YAML must use the pack's fields
 * (goal, non_goals, constraints, pointers, prior_decisions, success_check).
 */
export function loadContextPack(file: string): ContextPack {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new BatonError('NOT_FOUND', `--context: cannot read ${file}`);
  }
  const ext = path.extname(file).toLowerCase();
  if (!['.json', '.yaml', '.yml'].includes(ext)) {
    const success = /^\s*[-*]?\s*\**success check\**\s*:\s*(.+)$/im.exec(text);
    return { markdown: text.trim(), successCheck: success?.[1]?.trim() ?? null };
  }
  let data: unknown;
  try {
    data = ext === '.json' ? JSON.parse(text) : loadYaml().parse(text);
  } catch (cause) {
    throw badInput(
      `--context: ${file} is not valid ${ext === '.json' ? 'JSON' : 'YAML'} (${(cause as Error).message})`,
    );
  }
  const parsed = packSchema.safeParse(normalizeKeys(data));
  if (!parsed.success) {
    throw badInput(
      `--context: ${file} is not a context pack; use the fields ${Object.keys(TITLES).join(', ')} (each text or a list of texts)`,
    );
  }
  return render(parsed.data);
}
