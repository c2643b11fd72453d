/** Roughly four characters per token: the same estimate codex uses to truncate tool output. */
export const CHARS_PER_TOKEN = 4;

/** A piece of text cut to a token budget, saying how much was left out. */
export interface BoundedText {
  text: string;
  truncated: boolean;
  omittedChars: number;
}

/**
 * Keeps text within `maxTokens` (≈ 4 chars each). `keep: 'tail'` keeps the end (logs, output),
 * `'head'` keeps the start (final messages, which usually lead with the answer).
 */
export function boundText(text: string, maxTokens: number, keep: 'head' | 'tail' = 'head'): BoundedText {
  const maxChars = Math.max(0, Math.floor(maxTokens * CHARS_PER_TOKEN));
  if (text.length <= maxChars) return { text, truncated: false, omittedChars: 0 };
  const omittedChars = text.length - maxChars;
  const kept = keep === 'head' ? text.slice(0, maxChars) : text.slice(text.length - maxChars);
  return { text: kept, truncated: true, omittedChars };
}

/** The notice appended (or prepended) to bounded text so a reader knows it is incomplete. */
export function truncationNotice(bounded: BoundedText): string {
  return bounded.truncated
    ? `[… ${bounded.omittedChars} characters left out; raise --max-output-tokens to see more]`
    : '';
}
