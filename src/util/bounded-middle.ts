import { CHARS_PER_TOKEN, type BoundedText } from './bounded.js';

/**
 * Keeps the start and the end of long output and drops the middle (as codex does for tool
 * output): the command line and the final lines are usually what matters.
 */
export function boundMiddle(text: string, maxTokens: number): BoundedText {
  const maxChars = Math.max(0, Math.floor(maxTokens * CHARS_PER_TOKEN));
  if (text.length <= maxChars) return { text, truncated: false, omittedChars: 0 };
  const head = Math.floor(maxChars / 2);
  const tail = maxChars - head;
  const omittedChars = text.length - maxChars;
  const kept = `${text.slice(0, head)}\n[… ${omittedChars} characters left out …]\n${text.slice(text.length - tail)}`;
  return { text: kept, truncated: true, omittedChars };
}
