import { describe, expect, it } from 'vitest';
import {
  mergeResearch,
  renderResearchMarkdown,
  type Claim,
  type Confidence,
  type ResearchInput,
} from '../../src/merge/research.js';
import { shuffler } from './fixtures.js';

const claim = (text: string, confidence: Confidence, ...refs: string[]): Claim => ({
  claim: text,
  confidence,
  sources: refs.map((ref) => ({ ref, note: ref.includes('nodejs.org') ? 'official docs' : null })),
});
const brief = (claims: Claim[], disagreements: string[] = [], open: string[] = []) => ({
  summary: 'summary',
  claims,
  disagreements,
  open_questions: open,
});
const nextStepOf = (md: string) => md.split('## One recommended next step\n')[1]?.trim() ?? '';

const inputs: ResearchInput[] = [
  {
    worker: 'r1',
    angle: 'official docs',
    report: brief(
      [
        claim(
          'Node 20 supports require() of ES modules behind a flag',
          'high',
          'https://nodejs.org/api/modules.html',
        ),
        claim('Bun loads ESM and CJS interchangeably', 'medium', 'https://bun.sh/docs'),
      ],
      [],
      ['Is the flag stable in Node 22?'],
    ),
  },
  {
    worker: 'r2',
    angle: 'community',
    report: brief(
      [
        claim(
          'Node 20 supports require() of ES modules behind a flag.',
          'high',
          'https://NODEJS.org/api/modules.html/',
          'https://github.com/nodejs/node/pull/51977?utm_source=x',
        ),
        claim('Deno has no require() at all', 'low'),
      ],
      [
        'Blogs disagree on whether Bun loads ESM and CJS interchangeably in every case',
        'Benchmarks vary by machine',
      ],
      ['Is the flag stable in Node 22 ?', 'What does Deno do?'],
    ),
  },
  {
    worker: 'r3',
    angle: 'benchmarks',
    report: brief([claim('Deno has no require() at all', 'high', 'https://docs.deno.com')]),
  },
  { worker: 'r4', angle: 'x', report: { summary: 's', claims: [], disagreements: [] } },
];

describe('mergeResearch', () => {
  const merged = mergeResearch(inputs);

  it('clusters duplicate claims across workers and keeps every source once', () => {
    const [top] = merged.claims;
    expect(top).toMatchObject({
      id: 'C1',
      confidence: 'high',
      workers: ['r1', 'r2'],
      agreement: 2,
      disputed: false,
    });
    expect(top?.sources).toEqual([
      { ref: 'https://nodejs.org/api/modules.html', note: 'official docs', workers: ['r1', 'r2'] },
      { ref: 'https://github.com/nodejs/node/pull/51977', note: null, workers: ['r2'] },
    ]);
    expect(merged.stats).toEqual({ raw: 5, merged: 3, disputed: 2 });
  });

  it('flags conflicting confidence (high vs low) and names who said what', () => {
    const deno = merged.claims.find((c) => c.claim.startsWith('Deno'));
    expect(deno).toMatchObject({ disputed: true, confidence: 'low', agreement: 2 });
    expect(deno?.disputes).toEqual(['confidence differs: high (r3) vs low (r2)']);
  });

  it('attaches an explicit disagreement to the claim it is about', () => {
    const bun = merged.claims.find((c) => c.claim.startsWith('Bun'));
    expect(bun?.disputed).toBe(true);
    expect(bun?.disputes[0]).toMatch(/^r2 notes: Blogs disagree/);
    expect(merged.disagreements).toEqual([
      { text: 'Benchmarks vary by machine', workers: ['r2'], about: [] },
      { text: expect.stringMatching(/^Blogs disagree/), workers: ['r2'], about: [bun?.id] },
    ]);
  });

  it('flags a claim stated both ways instead of counting it as agreement', () => {
    const both = mergeResearch([
      {
        worker: 'a',
        angle: 'x',
        report: brief([claim('Safari supports the View Transitions API', 'high', 'https://webkit.org')]),
      },
      {
        worker: 'b',
        angle: 'y',
        report: brief([claim('Safari does not support the View Transitions API', 'medium')]),
      },
    ]);
    expect(both.claims).toHaveLength(1);
    expect(both.claims[0]).toMatchObject({
      disputed: true,
      alsoStated: ['Safari does not support the View Transitions API'],
    });
    expect(both.claims[0]?.disputes).toEqual(['stated both ways: b says the opposite']);
    expect(both.claims[0]?.votes.map((v) => [v.worker, v.negated])).toEqual([
      ['a', false],
      ['b', true],
    ]);
  });

  it('dedupes open questions and lists rejected reports', () => {
    expect(merged.openQuestions).toEqual([
      { text: 'Is the flag stable in Node 22 ?', workers: ['r1', 'r2'], about: [] },
      { text: 'What does Deno do?', workers: ['r2'], about: [] },
    ]);
    expect(merged.rejected).toEqual([{ worker: 'r4', reason: expect.stringMatching(/open_questions/) }]);
  });

  it('ranks by agreement, then confidence, then sourced claims', () => {
    const ranked = mergeResearch([
      {
        worker: 'a',
        angle: 'x',
        report: brief([
          claim('Alpha is fast', 'low', 'u1'),
          claim('Beta is safe', 'high'),
          claim('Gamma is cheap', 'high', 'u2'),
        ]),
      },
      { worker: 'b', angle: 'y', report: brief([claim('Alpha is fast', 'low')]) },
    ]);
    expect(ranked.claims.map((c) => `${c.id} ${c.claim}`)).toEqual([
      'C1 Alpha is fast',
      'C2 Gamma is cheap',
      'C3 Beta is safe',
    ]);
  });

  it('gives the same output for any input order', () => {
    const expected = JSON.stringify(merged);
    for (let seed = 1; seed <= 30; seed++) {
      const shuffle = shuffler(seed);
      const shuffled = shuffle(inputs).map((i) => {
        const r = i.report as ReturnType<typeof brief>;
        return Array.isArray(r.claims) && r.open_questions
          ? { ...i, report: { ...r, claims: shuffle(r.claims), open_questions: shuffle(r.open_questions) } }
          : i;
      });
      expect(JSON.stringify(mergeResearch(shuffled))).toBe(expected);
    }
  });
});

describe('renderResearchMarkdown', () => {
  const meta = { question: 'Can we require() ESM?', angles: ['official docs', 'community', 'benchmarks'] };

  it('writes a decision-ready brief: key points with sources, disagreements, open questions', () => {
    const md = renderResearchMarkdown(mergeResearch(inputs), meta);
    expect(md.startsWith('# Research brief: Can we require() ESM?\n')).toBe(true);
    expect(md).toContain(
      '1. **C1** — Node 20 supports require() of ES modules behind a flag _(high confidence · 2 workers agree)_',
    );
    expect(md).toContain('     - <https://nodejs.org/api/modules.html> — official docs');
    expect(md).toContain('## Disagreements');
    expect(md).toMatch(
      /- \*\*C\d\*\* \(Deno has no require\(\) at all\): confidence differs: high \(r3\) vs low \(r2\)/,
    );
    expect(md).toContain('## Open questions\n\n- Is the flag stable in Node 22 ? _(r1, r2)_');
    expect(md).toContain('## Rejected reports');
    expect(md.match(/Blogs disagree/g)).toHaveLength(1);
    expect(md).toContain('- Benchmarks vary by machine _(r2)_');
  });

  it('ends with one step: settle a disagreement near the top, confirm a weak lead, or proceed', () => {
    expect(nextStepOf(renderResearchMarkdown(mergeResearch(inputs), meta))).toMatch(
      /^Settle C2 before deciding/,
    );
    const solid = mergeResearch([
      { worker: 'a', angle: 'x', report: brief([claim('Use X', 'high', 'https://x.dev')]) },
    ]);
    expect(nextStepOf(renderResearchMarkdown(solid, meta))).toBe(
      'Proceed on C1 (high confidence; see <https://x.dev>): Use X',
    );
    const weak = mergeResearch([{ worker: 'a', angle: 'x', report: brief([claim('Use Y', 'high')]) }]);
    expect(nextStepOf(renderResearchMarkdown(weak, meta))).toBe(
      'Confirm C1 against a primary source before acting on it: Use Y',
    );
    expect(nextStepOf(renderResearchMarkdown(mergeResearch([]), meta))).toBe(
      'No claims came back: re-run the research with a narrower question.',
    );
    for (const md of [
      renderResearchMarkdown(mergeResearch(inputs), meta),
      renderResearchMarkdown(solid, meta),
    ]) {
      expect(nextStepOf(md).split('\n')).toHaveLength(1);
    }
  });
});
