import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatonError } from '../errors.js';

/** Where baton's shipped assets (templates, schemas) live, in the source tree and the package. */
export const ASSETS_DIR = fileURLToPath(new URL('../../assets', import.meta.url));

/**
 * A prompt template by name: `<state dir>/templates/<name>.md` if the project overrides it, else
 * the one shipped in `assets/templates/`.
 */
export function loadTemplate(name: string, overrideDir: string | null): { text: string; file: string } {
  const candidates = [
    ...(overrideDir ? [path.join(overrideDir, `${name}.md`)] : []),
    path.join(ASSETS_DIR, 'templates', `${name}.md`),
  ];
  const file = candidates.find((f) => existsSync(f));
  if (!file)
    throw new BatonError('INTERNAL', `prompt template "${name}" is missing from ${ASSETS_DIR}/templates`);
  return { text: readFileSync(file, 'utf8').trimEnd(), file };
}

/** Fills `{{name}}` placeholders; unknown placeholders are left visible so mistakes show. */
export function fillTemplate(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);
}

/** The path of a schema shipped with baton (assets/schemas). */
export function shippedSchema(file: string): string {
  return path.join(ASSETS_DIR, 'schemas', file);
}
