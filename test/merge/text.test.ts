import { describe, expect, it } from 'vitest';
import {
  contentTokens,
  distinctFolded,
  isNegated,
  jaccard,
  similarText,
  stem,
} from '../../src/merge/text.js';
import { clusterBy } from '../../src/merge/union-find.js';
import { normalizeRef } from '../../src/merge/refs.js';

describe('title similarity', () => {
  it('stems the usual suffixes so word forms meet', () => {
    expect(new Set(['validation', 'validating', 'validated', 'validates', 'validate'].map(stem)).size).toBe(
      1,
    );
    expect(stem('queries')).toBe(stem('query'));
    expect(stem('checks')).toBe(stem('check'));
    expect(stem('class')).toBe('class');
    expect(stem('bus')).toBe('bus');
  });

  it('drops stop words and punctuation, keeps digits and any script', () => {
    expect([...contentTokens('The   SQL-injection in `db.ts`!')]).toEqual(['sql', 'injection', 'db', 'ts']);
    expect([...contentTokens('Überprüfung fehlt für 2 Dateien')]).toContain('2');
    expect(contentTokens('it is the').size).toBe(0);
  });

  it('calls near-identical titles the same issue (Jaccard ≥ 0.6) and different ones not', () => {
    expect(similarText('Missing input validation', 'Input validation is missing')).toBe(true);
    expect(similarText('SQL injection in user lookup', 'SQL injection in the user lookup query')).toBe(true);
    expect(similarText('SQL injection in user lookup', 'Slow user lookup')).toBe(false);
    expect(similarText('  CASE   Matters ', 'case matters')).toBe(true);
  });

  it('never calls two empty titles similar by tokens', () => {
    expect(jaccard(new Set(), new Set())).toBe(0);
    expect(similarText('the', 'a')).toBe(false);
    expect(similarText('!!!', '!!!')).toBe(true);
  });

  it('spots negation, including contractions', () => {
    expect(isNegated('Node 20 does not support require(esm)')).toBe(true);
    expect(isNegated("It doesn't work")).toBe(true);
    expect(isNegated('Node 20 supports require(esm)')).toBe(false);
  });

  it('keeps one spelling per case-folded value, whatever the order', () => {
    expect(distinctFolded(['Security', 'security', 'perf'])).toEqual(['Security', 'perf']);
    expect(distinctFolded(['security', 'Security', 'perf'])).toEqual(['Security', 'perf']);
  });
});

describe('clusterBy', () => {
  it('is transitive: a~b and b~c put a, b and c together even though a≁c', () => {
    const near = (a: number, b: number) => Math.abs(a - b) <= 1;
    expect(clusterBy([1, 2, 3, 10], near).map((g) => g.sort())).toEqual([[1, 2, 3], [10]]);
    expect(clusterBy([3, 10, 1, 2], near).map((g) => g.sort())).toEqual([[1, 2, 3], [10]]);
  });
});

describe('normalizeRef', () => {
  it('gives one spelling per source', () => {
    expect(normalizeRef('HTTPS://Example.com/docs/')).toBe('https://example.com/docs');
    expect(normalizeRef('<https://example.com/a?utm_source=x&q=1#frag>')).toBe(
      'https://example.com/a?q=1#frag',
    );
    expect(normalizeRef('https://example.com/')).toBe('https://example.com');
    expect(normalizeRef(' ./docs/a.md ')).toBe('docs/a.md');
    expect(normalizeRef('RFC 9110 §15')).toBe('RFC 9110 §15');
  });
});
