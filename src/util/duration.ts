import { badInput } from '../errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses "500ms", "30s", "10m", "1h" or a bare number of seconds into milliseconds.
 * `what` names the flag in the error, e.g. "--timeout".
 */
export function parseDuration(text: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) {
    throw badInput(`${what}: "${text}" is not a duration; use e.g. 500ms, 30s, 10m or 1h`);
  }
  const value = Number(match[1]);
  const unit = UNIT_MS[match[2] ?? 's'] ?? 1000;
  return Math.round(value * unit);
}

/** "1m05s"-style elapsed time for tables. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}
