import { collapse } from './text.js';

/**
 * Worker text on one line, so a stray newline cannot start a heading or break a list; callers
 * never place it at the start of a line.
 */
export function inline(text: string): string {
  return collapse(text);
}

/** Shortens long text to `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
  const flat = collapse(text);
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** An inline code span that survives backticks inside the text. */
export function code(text: string): string {
  const flat = collapse(text);
  const longest = Math.max(0, ...(flat.match(/`+/gu) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** "1 finding", "2 findings". */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** The closing section every baton report ends with: exactly one step. */
export function nextStep(step: string): string {
  return `## One recommended next step\n\n${inline(step)}\n`;
}
