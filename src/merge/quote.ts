import type { TextFile } from './files.js';

/** 1-based inclusive line range. */
export interface LineRange {
  start: number;
  end: number;
}

/** Enough matches to find the one nearest a cited line without scanning pathological files forever. */
const MAX_MATCHES = 500;

const ELLIPSIS = /\s*(?:\.{3}|…)\s*/u;

/**
 * The ways a reviewer's quote may appear in the file: as given, then without wrapping
 * quotes/backticks, then as pieces around "..." elisions (matched in order).
 */
function variants(quote: string): string[][] {
  const unwrapped = quote
    .replace(/^(["'`“‘])(.*)(["'`”’])$/u, '$2')
    .replace(/^(?:\.{3}|…)\s*/u, '')
    .replace(/\s*(?:\.{3}|…)$/u, '')
    .trim();
  const pieces = unwrapped.split(ELLIPSIS).filter((p) => p !== '');
  const out = [[quote]];
  if (unwrapped !== '' && unwrapped !== quote) out.push([unwrapped]);
  if (pieces.length > 1) out.push(pieces);
  return out;
}

function lineAt(file: TextFile, offset: number): number {
  let lo = 0;
  let hi = file.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((file.starts[mid]?.offset ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return file.starts[lo]?.line ?? 1;
}

/** Every place the pieces occur in order, as [first offset, end offset). */
function matches(flat: string, pieces: string[]): [number, number][] {
  const [first, ...rest] = pieces;
  if (first === undefined) return [];
  const found: [number, number][] = [];
  for (
    let at = flat.indexOf(first);
    at !== -1 && found.length < MAX_MATCHES;
    at = flat.indexOf(first, at + 1)
  ) {
    let end = at + first.length;
    for (const piece of rest) {
      const next = end === -1 ? -1 : flat.indexOf(piece, end);
      end = next === -1 ? -1 : next + piece.length;
    }
    if (end !== -1) found.push([at, end]);
  }
  return found;
}

function distance(range: LineRange, line: number): number {
  return line < range.start ? range.start - line : line > range.end ? line - range.end : 0;
}

/**
 * Finds a whitespace-normalised quote in a file; with a cited line, the match nearest it wins
 * (first match otherwise). Returns the lines it spans, or null when it is nowhere in the file.
 */
export function findQuote(file: TextFile, quote: string, near: number | null): LineRange | null {
  for (const pieces of variants(quote)) {
    const ranges = matches(file.flat, pieces).map(([from, to]) => ({
      start: lineAt(file, from),
      end: lineAt(file, Math.max(from, to - 1)),
    }));
    if (ranges.length === 0) continue;
    if (near === null) return ranges[0] ?? null;
    return ranges.reduce((best, r) => (distance(r, near) < distance(best, near) ? r : best));
  }
  return null;
}
