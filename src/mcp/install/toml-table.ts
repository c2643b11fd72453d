import { parse, TomlError } from 'smol-toml';
import { BatonError } from '../../index.js';

/**
 * Table-level editing of a TOML file that keeps every other byte as it was: find one table (with
 * its sub-tables) by its header, replace or append it, then prove with a real parser that nothing
 * else changed. No TOML re-serialisation, so the user's comments and layout survive.
 */

/** The key path of a `[table]` or `[[array]]` header line, or null if the line is no header. */
export function headerPath(line: string): string[] | null {
  const m = /^\s*\[(\[?)(.*?)\]\1?\s*(?:#.*)?$/.exec(line.replace(/\r$/, ''));
  if (!m || m[2] === undefined) return null;
  const keys: string[] = [];
  const part = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(\.|$)/y;
  const source = m[2];
  let at = 0;
  while (at < source.length) {
    part.lastIndex = at;
    const k = part.exec(source);
    if (!k) return null;
    keys.push(k[1] !== undefined ? String(JSON.parse(`"${k[1]}"`)) : (k[2] ?? k[3] ?? ''));
    at = part.lastIndex;
    if (k[4] === '') break;
  }
  return keys.length > 0 ? keys : null;
}

function startsWith(keys: string[], prefix: readonly string[]): boolean {
  return prefix.every((k, i) => keys[i] === k);
}

/** Toggles multi-line string state for one line (`"""` / `'''`), so headers inside strings are not headers. */
function multilineAfter(line: string, open: string | null): string | null {
  let state = open;
  for (let i = 0; i < line.length; i++) {
    if (state === null && line[i] === '#') break;
    const triple = line.slice(i, i + 3);
    if (state === null && (triple === '"""' || triple === "'''")) {
      state = triple;
      i += 2;
    } else if (state !== null && triple === state) {
      state = null;
      i += 2;
    } else if (state === '"""' && line[i] === '\\') {
      i += 1;
    }
  }
  return state;
}

/** Line range [start, end] of a table and its sub-tables; trailing comments and blanks stay outside. */
export function findTable(lines: string[], table: readonly string[]): { start: number; end: number } | null {
  let open: string | null = null;
  let start = -1;
  let end = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const keys = open === null ? headerPath(line) : null;
    if (keys) {
      const inside = startsWith(keys, table);
      if (start >= 0 && !inside) break;
      if (start < 0 && inside && keys.length === table.length) start = i;
    }
    if (start >= 0 && (open !== null || !/^\s*(#.*)?\r?$/.test(line))) end = i;
    open = multilineAfter(line, open);
  }
  return start < 0 ? null : { start, end };
}

/** Parses TOML or says, as a coded error, why the user's file cannot be edited safely. */
export function parseToml(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text);
  } catch (error) {
    const why =
      error instanceof TomlError ? `line ${error.line}: ${error.message.split('\n')[0]}` : String(error);
    throw new BatonError(
      'CONFLICT',
      `${file} is not valid TOML (${why}); fix it first, baton will not rewrite it`,
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** Sorted-key JSON of a document with one table (and parents it leaves empty) removed. */
function canonicalWithout(doc: Record<string, unknown>, table: readonly string[]): string {
  const copy = structuredClone(doc);
  const parents: Record<string, unknown>[] = [copy];
  for (const key of table.slice(0, -1)) {
    const child = parents.at(-1)?.[key];
    if (!isRecord(child)) break;
    parents.push(child);
  }
  if (parents.length === table.length) {
    for (let i = table.length - 1; i >= 0; i--) {
      const parent = parents[i];
      const key = table[i];
      if (parent === undefined || key === undefined) break;
      const child = parent[key];
      if (i < table.length - 1 && !(isRecord(child) && Object.keys(child).length === 0)) break;
      delete parent[key];
    }
  }
  return JSON.stringify(copy, (_k, v: unknown) =>
    isRecord(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** Reads a dotted path from a parsed document. */
export function getPath(doc: unknown, table: readonly string[]): unknown {
  let node = doc;
  for (const key of table) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = Object.getOwnPropertyDescriptor(node, key)?.value;
  }
  return node;
}

/**
 * Puts `block` (a complete `[table]` text) in place of the existing table, or after everything
 * else. Throws instead of writing if the result would parse differently anywhere but that table.
 */
export function upsertTable(text: string, table: readonly string[], block: string, file: string): string {
  const before = parseToml(text, file);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split('\n');
  const blockLines = block
    .replace(/\n+$/, '')
    .split('\n')
    .map((l) => (eol === '\r\n' ? `${l}\r` : l));
  const found = findTable(lines, table);
  let next: string;
  if (found) {
    lines.splice(found.start, found.end - found.start + 1, ...blockLines);
    next = lines.join('\n');
  } else if (getPath(before, table) !== undefined) {
    throw new BatonError(
      'CONFLICT',
      `${file} defines ${table.join('.')} without a [${table.join('.')}] header (inline or dotted keys); ` +
        'make it a table or remove it, then rerun',
    );
  } else {
    const base = text === '' || text.endsWith('\n') ? text : `${text}${eol}`;
    next = `${base}${base === '' ? '' : eol}${blockLines.join('\n')}\n`;
  }
  const after = parseToml(next, file);
  if (canonicalWithout(after, table) !== canonicalWithout(before, table)) {
    throw new BatonError(
      'INTERNAL',
      `editing ${file} would change more than [${table.join('.')}]; nothing written`,
    );
  }
  return next;
}
