/** "1m05s"-style durations, like `baton ps`. */
export function elapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** 12345 → "12.3k". */
export function tokens(n: number): string {
  if (n === 0) return '–';
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** 0.01234 → "$0.0123": agent runs cost cents, so small amounts keep four decimals. */
export function usd(n: number): string {
  return `$${n.toFixed(n < 1 ? 4 : 2)}`;
}

/** Clock time, with the date when it is not today. */
export function when(ms: number): string {
  const d = new Date(ms);
  const today = new Date().toDateString() === d.toDateString();
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return today ? time : `${d.toLocaleDateString()} ${time}`;
}

/** How long a worker ran (or has been running, or waiting). */
export function workerElapsed(
  w: { createdAt: number; startedAt: number | null; endedAt: number | null },
  now: number,
): number {
  return (w.endedAt ?? now) - (w.startedAt ?? w.createdAt);
}
