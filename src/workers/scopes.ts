import path from 'node:path';

/** Write scopes as absolute, normalized paths (relative ones are taken from the worker's cwd). */
export function normalizeScopes(paths: readonly string[], cwd: string): string[] {
  return [...new Set(paths.map((p) => path.resolve(cwd, p)))];
}

/** Two scopes overlap when they are the same path or one lies inside the other. */
export function scopesOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const inside = (child: string, parent: string) =>
    child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
  return inside(a, b) || inside(b, a);
}

/** The first path of `mine` that overlaps any of `theirs`, or undefined. */
export function firstOverlap(mine: readonly string[], theirs: readonly string[]): string | undefined {
  return mine.find((m) => theirs.some((t) => scopesOverlap(m, t)));
}
