import { openSync, readSync, closeSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { collapse } from './text.js';

/** Files bigger than this are not read; evidence in them cannot be checked. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** A text file as evidence checking needs it: its lines, and a whitespace-collapsed copy to search. */
export interface TextFile {
  kind: 'text';
  lineCount: number;
  /** Every line collapsed and joined by one space; quotes are searched in this. */
  flat: string;
  /** For each non-blank line, where it starts in `flat` and its 1-based number; ascending. */
  starts: { offset: number; line: number }[];
}

/** Why a cited path could not be read; `exists` says whether a regular file is there at all. */
export interface Unreadable {
  kind: 'unreadable';
  exists: boolean;
  note: string;
}

export type LoadedFile = TextFile | Unreadable;

/** A cited path after normalising: relative to the root, POSIX slashes, or why it is refused. */
export type CitedPath = { ok: true; rel: string } | { ok: false; rel: string; note: string };

/**
 * Normalises a cited path without touching the disk: trims, drops wrapping quotes/backticks and
 * a leading "./", accepts absolute paths inside the root, and refuses paths that leave it.
 */
export function normalizeCitedPath(raw: string, roots: readonly string[]): CitedPath {
  const bare = raw
    .normalize('NFC')
    .trim()
    .replace(/^(["'`])(.*)\1$/u, '$2')
    .trim();
  if (bare === '') return { ok: false, rel: '', note: 'empty path' };
  if (bare.includes('\0')) return { ok: false, rel: bare.replace(/\0/gu, ''), note: 'invalid path' };
  const slashed = bare.replace(/\\/gu, '/');
  const rel = path.posix.normalize(relativeTo(slashed, roots)).replace(/^(\.\/)+/u, '');
  if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) {
    return { ok: false, rel: path.isAbsolute(slashed) ? slashed : rel, note: 'path is outside the root' };
  }
  if (rel === '.' || rel === '') return { ok: false, rel: '.', note: 'is the root directory' };
  return { ok: true, rel: rel.replace(/\/+$/u, '') };
}

/** An absolute path relative to the first root it lies in (roots: as given, and its real path). */
function relativeTo(cited: string, roots: readonly string[]): string {
  if (!path.isAbsolute(cited)) return cited;
  const candidates = roots.map((root) => path.relative(path.resolve(root), cited).split(path.sep).join('/'));
  return candidates.find((rel) => rel !== '..' && !rel.startsWith('../')) ?? candidates[0] ?? cited;
}

function inside(real: string, realRoot: string): boolean {
  return real === realRoot || real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep);
}

/** Git's heuristic: a NUL byte in the first 8000 bytes means binary. */
function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

function readBytes(file: string, size: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Splits text into lines the way an editor numbers them: CRLF, CR or LF; no phantom last line. */
export function toTextFile(text: string): TextFile {
  const body = text.replace(/^\uFEFF/u, '').normalize('NFC');
  const lines = body === '' ? [] : body.split(/\r\n|\r|\n/u);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let flat = '';
  const starts: TextFile['starts'] = [];
  lines.forEach((raw, i) => {
    const line = collapse(raw);
    if (line === '') return;
    if (flat !== '') flat += ' ';
    starts.push({ offset: flat.length, line: i + 1 });
    flat += line;
  });
  return { kind: 'text', lineCount: lines.length, flat, starts };
}

/**
 * Reads cited files under one root, each at most once. Every path is resolved through symlinks
 * and must stay inside the root's real path; nothing outside it is ever opened.
 */
export class FileCache {
  private readonly files = new Map<string, LoadedFile>();
  private readonly realRoot: string | null;
  /** How many files were actually read from disk (the rest came from the cache). */
  reads = 0;

  constructor(readonly root: string) {
    try {
      this.realRoot = realpathSync(root);
    } catch {
      this.realRoot = null;
    }
  }

  /** The file at `rel` (already normalised by normalizeCitedPath). */
  load(rel: string): LoadedFile {
    let file = this.files.get(rel);
    if (!file) {
      file = this.read(rel);
      this.files.set(rel, file);
    }
    return file;
  }

  private read(rel: string): LoadedFile {
    const gone = (note: string, exists = false): Unreadable => ({ kind: 'unreadable', exists, note });
    if (this.realRoot === null) return gone('root directory not found');
    let real: string;
    try {
      real = realpathSync(path.join(this.realRoot, rel));
    } catch {
      return gone('file not found');
    }
    if (!inside(real, this.realRoot)) return gone('symlink points outside the root');
    try {
      const stat = statSync(real);
      if (stat.isDirectory()) return gone('is a directory');
      if (!stat.isFile()) return gone('not a regular file');
      if (stat.size > MAX_FILE_BYTES) return gone(`file too large to check (${stat.size} bytes)`, true);
      this.reads++;
      const bytes = readBytes(real, stat.size);
      return looksBinary(bytes) ? gone('binary file', true) : toTextFile(bytes.toString('utf8'));
    } catch (cause) {
      const code = cause instanceof Error && 'code' in cause ? String(cause.code) : 'error';
      return gone(`cannot read file (${code})`, true);
    }
  }

  /** The roots a cited absolute path may be relative to: as given, and resolved through symlinks. */
  roots(): string[] {
    return this.realRoot === null ? [this.root] : [this.root, this.realRoot];
  }
}
