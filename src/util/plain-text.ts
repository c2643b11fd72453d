// Terminal escapes (colours, cursor moves, titles) and other control characters. The rule
// no-control-regex flags control characters in a regex; matching them is this pattern's job.
const ESCAPES =
  // eslint-disable-next-line no-control-regex
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f]/g;

/** A line of terminal output as plain text, for `ps` and the dashboard (transcripts keep escapes). */
export function plainText(text: string): string {
  return text.replace(ESCAPES, '');
}
