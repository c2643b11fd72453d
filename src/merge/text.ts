/** Trims, NFC-normalises and collapses every run of whitespace (CRLF, tabs, NBSP) to one space. */
export function collapse(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** The key two texts share when they differ only in case, spacing or Unicode form. */
export function foldKey(text: string): string {
  return collapse(text).normalize('NFKC').toLocaleLowerCase('en-US');
}

const STOP_WORDS = new Set(
  (
    'a an and are as at be been being by can could do does for from has have in into is it its ' +
    'may might of on or should so than that the their then there these this those to too was ' +
    'were when where which while will with would'
  ).split(' '),
);

const NEGATIONS = new Set(['not', 'no', 'never', 'none', 'cannot', 'without', 'neither', 'nor']);

/** Lower-case words (letters and digits in any script), apostrophes kept inside words. */
function words(text: string): string[] {
  return foldKey(text).match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? [];
}

/** Suffix rules tried in order; the first that matches is applied. */
const SUFFIXES: [RegExp, string][] = [
  [/ations?$/u, 'ate'],
  [/i(?:es|ed)$/u, 'y'],
  [/(ss|us|is)$/u, '$1'],
  [/(ch|sh|x|z|ss)es$/u, '$1'],
  [/(?:ing|ed|ly|s)$/u, ''],
];

/**
 * A deliberately small stemmer: enough for "validating"/"validation"/"validated" and plurals to
 * meet, without a dependency. Words that would shrink below three letters are left alone.
 */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  const rule = SUFFIXES.find(([pattern]) => pattern.test(word));
  const stemmed = rule ? word.replace(rule[0], rule[1]) : word;
  if (stemmed.length < 3) return word;
  return stemmed.length > 3 ? stemmed.replace(/e$/u, '') : stemmed;
}

/** The content words of a title or claim, stemmed, as a set for Jaccard similarity. */
export function contentTokens(text: string): Set<string> {
  const tokens = new Set<string>();
  for (const word of words(text)) {
    const bare = word.replace(/['’].*$/u, '');
    if (STOP_WORDS.has(bare) || NEGATIONS.has(bare) || word.endsWith("n't") || word.endsWith('n’t')) {
      continue;
    }
    tokens.add(stem(bare));
  }
  return tokens;
}

/** Whether a text says "not": such a claim contradicts its positive twin instead of repeating it. */
export function isNegated(text: string): boolean {
  return words(text).some((w) => NEGATIONS.has(w) || /n['’]t$/u.test(w));
}

/** |A ∩ B| / |A ∪ B|; two empty sets are not similar (nothing to compare). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const token of a) if (b.has(token)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Titles (or claims) this similar are the same issue reported twice. */
export const SIMILAR_TITLES = 0.6;

/** Whether two texts say the same thing: same folded text, or token Jaccard ≥ 0.6. */
export function similarText(a: string, b: string): boolean {
  const ka = foldKey(a);
  if (ka !== '' && ka === foldKey(b)) return true;
  return jaccard(contentTokens(a), contentTokens(b)) >= SIMILAR_TITLES;
}

/** Distinct by `key` (case-folded by default); the smallest spelling wins, so input order never matters. */
export function distinctFolded(values: readonly string[], key: (v: string) => string = foldKey): string[] {
  const byKey = new Map<string, string>();
  for (const v of values) {
    const held = byKey.get(key(v));
    if (held === undefined || compareText(v, held) < 0) byKey.set(key(v), v);
  }
  return [...byKey.values()].sort(compareText);
}

/** Folded text without trailing punctuation: "Fix X." and "fix x" are one wording. */
const wordingKey = (text: string): string => foldKey(text).replace(/[\s.!?;:,]+$/u, '');

/** The other wordings a cluster used, for "also reported as"; the chosen one and empty ones left out. */
export function otherWordings(texts: readonly string[], chosen: string): string[] {
  return distinctFolded(
    texts.filter((t) => wordingKey(t) !== '' && wordingKey(t) !== wordingKey(chosen)),
    wordingKey,
  );
}

/** Plain code-unit comparison: the same order on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
