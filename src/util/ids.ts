import { badInput } from '../errors.js';

const LABEL_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * Labels name worker folders, so they must never escape the state directory:
 * letters, digits, `_`, `.`, `-`; start with a letter or digit; at most 64; no `..`.
 */
export function validateLabel(label: string, what = 'label'): string {
  if (!LABEL_RE.test(label) || label.includes('..')) {
    throw badInput(
      `${what} "${label}" is not allowed; use 1-64 letters, digits, "_", "." or "-", starting with a letter or digit, without ".." or "/"`,
    );
  }
  return label;
}
