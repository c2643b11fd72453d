import { describe, expect, it } from 'vitest';
import { mergeReviews, type ReviewerInput } from '../../src/merge/findings.js';
import { ev, finding, projectRoot, report, shuffler } from './fixtures.js';

const root = projectRoot();
const merge = (inputs: ReviewerInput[]) => mergeReviews(inputs, { root });
const sqlQuote = 'SELECT * FROM users WHERE name = ${name}';

describe('mergeReviews: validation', () => {
  it('rejects reports that fail the schema, naming the worker and what is wrong', () => {
    const good = report(finding('SQL injection', 'high', [ev('src/db.ts', 12)]));
    const result = merge([
      { worker: 'w1', lens: 'security', report: good },
      {
        worker: 'w2',
        lens: 'style',
        report: report({ ...finding('x', 'low', []), severity: 'major' as 'low' }),
      },
      {
        worker: 'w3',
        lens: 'perf',
        report: { summary: 's', findings: [{ title: 't', severity: 'low', evidence: [] }] },
      },
      { worker: 'w4', lens: 'perf', report: { ...good, extra: true } },
      { worker: 'w5', lens: 'perf', report: 'I found no issues!' },
      { worker: 'w6', lens: 'perf', report: null },
      {
        worker: 'w7',
        lens: 'perf',
        report: report(finding('t', 'low', [{ path: 'a', line: 1.5, quote: null }])),
      },
    ]);
    expect(result.findings).toHaveLength(1);
    expect(result.rejected.map((r) => r.worker)).toEqual(['w2', 'w3', 'w4', 'w5', 'w6', 'w7']);
    const reason = (w: string) => result.rejected.find((r) => r.worker === w)?.reason ?? '';
    expect(reason('w2')).toMatch(/findings\.0\.severity/);
    expect(reason('w3')).toMatch(/findings\.0\.recommendation/);
    expect(reason('w4')).toMatch(/extra/);
    expect(reason('w5')).toBe('final message is not JSON: "I found no issues!"');
    expect(reason('w6')).toBe('no final message');
    expect(reason('w7')).toMatch(/findings\.0\.evidence\.0\.line/);
  });

  it('accepts the raw final message as a JSON string, fenced or not', () => {
    const text = JSON.stringify(report(finding('SQL injection', 'high', [ev('src/db.ts', 12)])));
    const result = merge([
      { worker: 'w1', lens: 'a', report: text },
      { worker: 'w2', lens: 'b', report: '```json\n' + text + '\n```' },
    ]);
    expect(result.rejected).toEqual([]);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]?.agreement).toBe(2);
  });

  it('copes with an empty report and findings without evidence', () => {
    const result = merge([
      { worker: 'w1', lens: 'a', report: report() },
      { worker: 'w2', lens: 'b', report: report(finding('Vague worry', 'critical', [])) },
    ]);
    expect(result.findings).toMatchObject([
      { id: 'F1', title: 'Vague worry', verified: false, evidence: [] },
    ]);
    expect(result.stats).toEqual({ raw: 1, merged: 1, unverified: 1 });
  });
});

describe('mergeReviews: merged fields', () => {
  it('takes max severity, title from the most severe (tie → shortest), advice from the best evidence', () => {
    const result = merge([
      {
        worker: 'w1',
        lens: 'Security',
        report: report(
          finding('SQL injection via name parameter', 'critical', [ev('src/nope.ts', 3)], 'Sanitise it.'),
        ),
      },
      {
        worker: 'w2',
        lens: 'security',
        report: report(
          finding('SQL injection via name', 'critical', [ev('src/db.ts', 12, sqlQuote)], 'Use bind params.'),
        ),
      },
      {
        worker: 'w3',
        lens: 'perf',
        report: report(finding('SQL injection', 'low', [ev('src/db.ts', 11)], 'Meh.')),
      },
    ]);
    expect(result.findings).toHaveLength(1);
    const [f] = result.findings;
    expect(f).toMatchObject({
      title: 'SQL injection via name',
      severity: 'critical',
      recommendation: 'Use bind params.',
      lenses: ['Security', 'perf'],
      workers: ['w1', 'w2', 'w3'],
      agreement: 2,
      mergedFrom: 3,
      verified: true,
    });
  });

  it('dedupes evidence and lists the strongest first', () => {
    const result = merge([
      {
        worker: 'w1',
        lens: 'a',
        report: report(
          finding('Weak token check', 'high', [
            ev('src/auth.ts', 99),
            ev('src/auth.ts'),
            ev('src/auth.ts', 20, 'token == expected'),
            ev('./src/auth.ts', 20, 'token   ==  expected'),
            ev('src/auth.ts', 20),
          ]),
        ),
      },
      {
        worker: 'w2',
        lens: 'b',
        report: report(finding('Weak token check', 'high', [ev('src/auth.ts', 20, 'token == expected')])),
      },
    ]);
    expect(result.findings[0]?.evidence.map((e) => [e.path, e.line, e.quote, e.verified])).toEqual([
      ['src/auth.ts', 20, 'token == expected', true],
      ['src/auth.ts', 20, null, true],
      ['src/auth.ts', null, null, true],
      ['src/auth.ts', 99, null, false],
    ]);
  });

  it('counts one lens once even when several workers share it, and a duplicate in one report once', () => {
    const dup = finding('Token compared with ==', 'high', [ev('src/auth.ts', 20)]);
    const result = merge([
      { worker: 'w1', lens: 'security', report: report(dup, dup) },
      { worker: 'w2', lens: 'security ', report: report(dup) },
    ]);
    expect(result.findings[0]).toMatchObject({ agreement: 1, mergedFrom: 3, lenses: ['security'] });
    expect(result.findings[0]?.evidence).toHaveLength(1);
  });
});

describe('mergeReviews: ranking', () => {
  const inputs: ReviewerInput[] = [
    {
      worker: 'w1',
      lens: 'a',
      report: report(finding('Made-up critical', 'critical', [ev('src/ghost.ts', 1)])),
    },
    {
      worker: 'w1b',
      lens: 'a',
      report: report(finding('Quote is invented', 'critical', [ev('src/db.ts', 12, 'eval(')])),
    },
    {
      worker: 'w2',
      lens: 'a',
      report: report(finding('Readme typo', 'low', [ev('README.md', 3, 'npm start')])),
    },
    {
      worker: 'w3',
      lens: 'a',
      report: report(finding('Token compared with ==', 'high', [ev('src/auth.ts', 20)])),
    },
    { worker: 'w4', lens: 'b', report: report(finding('SQL injection', 'high', [ev('src/db.ts', 12)])) },
    {
      worker: 'w5',
      lens: 'c',
      report: report(finding('Injectable SQL query', 'high', [ev('src/db.ts', 13)])),
    },
    { worker: 'w6', lens: 'a', report: report(finding('Swallowed error', 'medium', [ev('src/db.ts', 30)])) },
    {
      worker: 'w7',
      lens: 'a',
      report: report(finding('Stray comment', 'medium', [ev('src/db.ts', 1), ev('src/db.ts', 40)])),
    },
  ];

  it('puts verified first, then severity, agreement, verified evidence and title; ids follow rank', () => {
    const result = merge(inputs);
    expect(result.findings.map((f) => `${f.id} ${f.title} ${f.verified ? '✓' : '✗'}`)).toEqual([
      'F1 SQL injection ✓',
      'F2 Token compared with == ✓',
      'F3 Stray comment ✓',
      'F4 Swallowed error ✓',
      'F5 Readme typo ✓',
      'F6 Made-up critical ✗',
      'F7 Quote is invented ✗',
    ]);
    expect(result.stats).toEqual({ raw: 8, merged: 7, unverified: 2 });
  });

  it('gives the same output for any input order (reports and findings shuffled)', () => {
    const baseline = JSON.stringify(merge(inputs));
    const pooled: ReviewerInput[] = [
      ...inputs,
      {
        worker: 'w8',
        lens: 'A',
        report: report(...inputs.flatMap((i) => (i.report as ReturnType<typeof report>).findings)),
      },
      { worker: 'w9', lens: 'z', report: 'nope' },
    ];
    const expected = JSON.stringify(merge(pooled));
    expect(expected).not.toBe(baseline);
    for (let seed = 1; seed <= 40; seed++) {
      const shuffle = shuffler(seed);
      const shuffled = shuffle(pooled).map((i) =>
        typeof i.report === 'string'
          ? i
          : { ...i, report: report(...shuffle((i.report as ReturnType<typeof report>).findings)) },
      );
      expect(JSON.stringify(merge(shuffled))).toBe(expected);
    }
  });
});
