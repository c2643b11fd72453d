import { collapse } from './text.js';

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//iu;

/** Query parameters that only track clicks; two links differing only in these are one source. */
const TRACKING = /^(?:utm_\w+|fbclid|gclid|ref_src)$/iu;

/**
 * One spelling per source: URLs with lower-case scheme and host, no tracking parameters and no
 * trailing slash; paths without a leading "./". Wrapping <>, quotes and backticks are dropped.
 */
export function normalizeRef(raw: string): string {
  const ref = collapse(raw)
    .replace(/^<(.*)>$/u, '$1')
    .replace(/^(["'`])(.*)\1$/u, '$2')
    .trim();
  if (!URL_LIKE.test(ref)) return ref.replace(/^(\.\/)+/u, '');
  let url: URL;
  try {
    url = new URL(ref);
  } catch {
    return ref;
  }
  for (const key of [...url.searchParams.keys()]) if (TRACKING.test(key)) url.searchParams.delete(key);
  if (url.pathname.length > 1) url.pathname = url.pathname.replace(/\/+$/u, '');
  const text = url.toString();
  return url.pathname === '/' && url.search === '' && url.hash === '' ? text.replace(/\/$/u, '') : text;
}

/** Whether a ref is a web link (rendered as a link) rather than a path or citation. */
export function isUrl(ref: string): boolean {
  return /^https?:\/\//iu.test(ref);
}
