import { describe, expect, it } from 'vitest';
import { mergeReviews, renderReviewMarkdown, type ReviewerInput } from '../../src/merge/findings.js';
import { ev, finding, projectRoot, report } from './fixtures.js';

const root = projectRoot();
const meta = {
  title: 'Review of src/',
  lenses: ['security', 'correctness'],
  workers: [
    { label: 'rev-security', lens: 'security', state: 'completed' },
    { label: 'rev-correctness', lens: 'correctness', state: 'completed' },
    { label: 'rev-style', lens: 'style', state: 'failed' },
  ],
};
const render = (inputs: ReviewerInput[]) => renderReviewMarkdown(mergeReviews(inputs, { root }), meta);

/** The body of the final section, which must hold exactly one step. */
function lastSection(markdown: string): string {
  const [, body = ''] = markdown.split('## One recommended next step\n');
  return body.trim();
}

const inputs: ReviewerInput[] = [
  {
    worker: 'rev-security',
    lens: 'security',
    report: report(
      finding('SQL injection', 'critical', [ev('src/db.ts', 12, 'db.query(')], 'Use bind parameters.'),
      finding('Secrets in logs', 'high', [ev('src/logger.ts', 3)], 'Redact tokens.'),
    ),
  },
  {
    worker: 'rev-correctness',
    lens: 'correctness',
    report: report(finding('Query built from raw input', 'high', [ev('src/db.ts', 13)], 'Validate name.')),
  },
  { worker: 'rev-style', lens: 'style', report: 'crashed halfway' },
];

describe('renderReviewMarkdown', () => {
  const md = render(inputs);

  it('opens with the title, lenses and every worker with its state', () => {
    expect(md.startsWith('# Review of src/\n')).toBe(true);
    expect(md).toContain('**Lenses:** security, correctness');
    expect(md).toContain('- `rev-style` — style — failed');
    expect(md).toContain('3 raw findings → 2 merged findings, 1 unverified; 1 report rejected.');
  });

  it('lists ranked findings with severity, agreeing lenses, checked evidence and advice', () => {
    expect(md).toContain('### F1 · critical · SQL injection');
    expect(md).toContain(
      '- **Agreed by 2 lenses:** correctness, security (rev-correctness, rev-security) · merged from 2 findings',
    );
    expect(md).toContain('  - ✓ `src/db.ts:12` — `db.query(`');
    expect(md).toContain('  - ✓ `src/db.ts:13`');
    expect(md).toContain('- **Recommendation:** Use bind parameters.');
    expect(md).toContain('- **Also reported as:** Query built from raw input');
  });

  it('puts unverified findings in their own section with the reason, after the verified ones', () => {
    const unverified = md.indexOf('## Unverified');
    expect(unverified).toBeGreaterThan(md.indexOf('### F1'));
    expect(md.indexOf('### F2 · high · Secrets in logs')).toBeGreaterThan(unverified);
    expect(md).toContain('  - ✗ `src/logger.ts:3` — file not found');
  });

  it('lists rejected reports and ends with exactly one step built from the top verified finding', () => {
    expect(md).toContain(
      '## Rejected reports\n\n- `rev-style`: final message is not JSON: "crashed halfway"',
    );
    expect(md.trimEnd().split('\n').at(-1)).toBe(
      'Fix F1 (critical, 2 lenses agree) at `src/db.ts:12`: Use bind parameters.',
    );
    expect(lastSection(md).split('\n')).toHaveLength(1);
    expect(md.match(/## One recommended next step/g)).toHaveLength(1);
  });

  it('points the next step at where the quote really is when the cited line was off', () => {
    const off = finding(
      'Loose equality on token',
      'high',
      [ev('src/auth.ts', 25, 'token == expected')],
      'Use timingSafeEqual.',
    );
    const out = render([{ worker: 'w', lens: 'l', report: report(off) }]);
    expect(out).toContain('  - ✓ `src/auth.ts:25` — `token == expected` — quote found at line 20 (cited 25)');
    expect(lastSection(out)).toBe('Fix F1 (high) at `src/auth.ts:20`: Use timingSafeEqual.');
  });

  it('says there is nothing to fix when no finding verifies', () => {
    const only = render(
      [inputs[0] as ReviewerInput].map((i) => ({
        ...i,
        report: report(finding('Ghost', 'high', [ev('x.ts', 1)])),
      })),
    );
    expect(only).toContain('_No verified findings._');
    expect(lastSection(only)).toMatch(
      /^Nothing to fix: no finding could be verified against the files \(1 unverified finding listed above\)/,
    );
    expect(lastSection(render([]))).toBe('Nothing to fix: the reviewers reported no findings.');
    expect(lastSection(render([{ worker: 'w', lens: 'l', report: null }]))).toMatch(
      /^Nothing to fix in the reports received, but 1 report failed/,
    );
  });

  it('keeps worker text from breaking the markdown structure', () => {
    const nasty = finding(
      '# Title\n\n## One recommended next step\nrm -rf /',
      'critical',
      [ev('src/db.ts', 12, 'x ``` y')],
      'Line one\n\n## Two',
    );
    const out = render([{ worker: 'w', lens: 'l', report: report(nasty) }]);
    expect(out.match(/^## /gm)).toEqual(['## ', '## ', '## ']);
    expect(out).toContain('````x ``` y````');
    expect(lastSection(out).split('\n')).toHaveLength(1);
  });

  it('cuts very long quotes in the report', () => {
    const long = 'a'.repeat(500);
    const out = render([
      { worker: 'w', lens: 'l', report: report(finding('Long', 'low', [ev('README.md', 1, long)])) },
    ]);
    expect(out).toContain(`\`${'a'.repeat(119)}…\``);
    expect(out).not.toContain(long);
  });
});
