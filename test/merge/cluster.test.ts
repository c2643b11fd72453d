import { describe, expect, it } from 'vitest';
import { mergeReviews, type ReviewerInput } from '../../src/merge/findings.js';
import { ev, finding, projectRoot, report } from './fixtures.js';

const root = projectRoot();
const merge = (inputs: ReviewerInput[]) => mergeReviews(inputs, { root });
const sqlQuote = 'SELECT * FROM users WHERE name = ${name}';

describe('mergeReviews: clustering', () => {
  it('merges findings whose evidence is within 3 lines of each other in the same file', () => {
    const result = merge([
      {
        worker: 'w1',
        lens: 'security',
        report: report(finding('Unsanitised SQL', 'high', [ev('src/db.ts', 12)])),
      },
      {
        worker: 'w2',
        lens: 'correctness',
        report: report(finding('Query built by hand', 'medium', [ev('./src/db.ts', 15)])),
      },
      {
        worker: 'w3',
        lens: 'perf',
        report: report(finding('Full table scan', 'low', [ev('src/db.ts', 19)])),
      },
    ]);
    expect(result.findings).toHaveLength(2);
    expect(result.findings[0]).toMatchObject({ title: 'Unsanitised SQL', mergedFrom: 2, agreement: 2 });
  });

  it('merges findings that quote the same code even when one cites the wrong line', () => {
    const result = merge([
      {
        worker: 'w1',
        lens: 'security',
        report: report(finding('Injection', 'critical', [ev('src/db.ts', 12, sqlQuote)])),
      },
      {
        worker: 'w2',
        lens: 'style',
        report: report(finding('Template literal SQL', 'low', [ev('src/db.ts', 30, sqlQuote)])),
      },
    ]);
    expect(result.findings).toHaveLength(1);
    // One place, cited twice: the citation at the right line wins the dedupe.
    expect(result.findings[0]?.evidence).toEqual([
      { path: 'src/db.ts', line: 12, quote: sqlQuote, verified: true, note: null, foundLine: 12 },
    ]);
  });

  it('merges near-identical titles with no shared evidence, and keeps distinct issues apart', () => {
    const result = merge([
      {
        worker: 'w1',
        lens: 'a',
        report: report(finding('Missing input validation', 'medium', [ev('src/db.ts', 1)])),
      },
      {
        worker: 'w2',
        lens: 'b',
        report: report(finding('Input validation is missing', 'medium', [ev('src/auth.ts', 1)])),
      },
      {
        worker: 'w3',
        lens: 'c',
        report: report(finding('Token compared with ==', 'high', [ev('src/auth.ts', 20)])),
      },
    ]);
    expect(result.findings.map((f) => [f.title, f.mergedFrom])).toEqual([
      ['Token compared with ==', 1],
      ['Missing input validation', 2],
    ]);
  });

  it('clusters transitively: A~B by evidence and B~C by title makes one finding', () => {
    const a = finding('Swallowed exception', 'medium', [ev('src/db.ts', 30)]);
    const b = finding('Errors are silently ignored', 'high', [ev('src/db.ts', 31)]);
    const c = finding('Errors silently ignored', 'low', [ev('README.md', 1)]);
    const result = merge([
      { worker: 'w1', lens: 'x', report: report(a) },
      { worker: 'w2', lens: 'y', report: report(b) },
      { worker: 'w3', lens: 'z', report: report(c) },
    ]);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ mergedFrom: 3, agreement: 3, severity: 'high' });
    expect(result.findings[0]?.alsoTitled).toEqual(['Errors silently ignored', 'Swallowed exception']);
  });

  it('never lets a failed citation merge by nearness into a verified one', () => {
    const result = merge([
      { worker: 'w1', lens: 'a', report: report(finding('SQL injection', 'high', [ev('src/db.ts', 12)])) },
      {
        worker: 'w2',
        lens: 'b',
        report: report(finding('Uses eval', 'critical', [ev('src/db.ts', 13, 'eval(x)')])),
      },
      {
        worker: 'w3',
        lens: 'c',
        report: report(finding('Dynamic eval call', 'high', [ev('src/db.ts', 11, 'eval(y)')])),
      },
    ]);
    expect(result.findings.map((f) => [f.title, f.verified, f.mergedFrom])).toEqual([
      ['SQL injection', true, 1],
      ['Uses eval', false, 2],
    ]);
  });

  it('does not merge unrelated findings that both cite unreadable paths', () => {
    const result = merge([
      { worker: 'w1', lens: 'a', report: report(finding('Leaks secrets', 'high', [ev('../etc/passwd', 1)])) },
      { worker: 'w2', lens: 'b', report: report(finding('Dead code', 'low', [ev('', null)])) },
      { worker: 'w3', lens: 'c', report: report(finding('Unused import', 'low', [ev('', null)])) },
    ]);
    expect(result.findings).toHaveLength(3);
  });
});
