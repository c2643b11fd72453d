import { describe, expect, it } from 'vitest';
import { builtinScenarios, loadWorkflow, runWorkflow, type Scenario } from '../../src/index.js';
import { patternFixture, requestsWith } from './fixture.js';

const roles = builtinScenarios['default'] as Exclude<Scenario, readonly unknown[]>;

// Reviewers behave as the dry-run model does, except the security reviewer also invents one
// finding whose evidence does not exist: the merge must flag it and rank it last.
const fx = await patternFixture({
  default: (ctx) => {
    const step = roles(ctx);
    if (!ctx.task.includes('LENS: security') || ctx.step === 0 || !('say' in step)) return step;
    const report = JSON.parse(String(step.say)) as { summary: string; findings: unknown[] };
    report.findings.push({
      title: 'SQL injection in the query builder',
      severity: 'critical',
      evidence: [{ path: 'src/query.ts', line: 12, quote: 'db.raw(input)' }],
      recommendation: 'Use parameters.',
    });
    return { say: JSON.stringify(report) };
  },
});

describe('pattern A: triangulated review', () => {
  it('runs read-only reviewers in parallel and merges one ranked list with evidence checked', async () => {
    const result = await runWorkflow(
      fx.engine,
      loadWorkflow('review'),
      { paths: ['src'], lenses: 'correctness,security,clarity' },
      { ...fx.opts, runId: 'rev1' },
    );
    expect(result.state).toBe('succeeded');
    const reviewers = fx.engine.list().filter((w) => w.runId === 'rev1');
    expect(reviewers).toHaveLength(3);
    // Parallel: every reviewer started before the first one ended.
    const firstEnd = Math.min(...reviewers.map((w) => w.endedAt ?? Infinity));
    expect(Math.max(...reviewers.map((w) => w.startedAt ?? 0))).toBeLessThan(firstEnd);
    // Read-only, as codex told the model.
    for (const lens of ['correctness', 'security', 'clarity']) {
      const seen = requestsWith(fx.dry, `LENS: ${lens}`);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((r) => r.sandboxMode === 'read-only')).toBe(true);
    }
    // 3 lenses × 2 real findings + 1 invented = 7 raw → 3 merged; the invented one is last and unverified.
    const merge = result.steps['report']?.['merge'] as {
      findings: { title: string; verified: boolean; agreement: number; severity: string }[];
      stats: { raw: number; merged: number; unverified: number };
    };
    expect(merge.stats).toMatchObject({ raw: 7, merged: 3, unverified: 1 });
    expect(merge.findings.map((f) => [f.severity, f.agreement, f.verified])).toEqual([
      ['high', 3, true],
      ['medium', 3, true],
      ['critical', 1, false],
    ]);
    expect(result.report).toMatch(/## One recommended next step\n\n.*src\/b\.ts:1/);
    expect(result.report.trim().split('\n').at(-1)).toMatch(/FIXME|pool/i);
    expect(result.report).not.toContain('"findings":'); // no raw worker JSON in the report
  });

  it('keeps the run plan current, with every update in the history', () => {
    const plan = fx.engine.plans.show('rev1');
    expect(plan.steps.every((s) => s.status === 'completed')).toBe(true);
    const states = plan.history.map((h) => h.steps.map((s) => s.status[0]).join(''));
    expect(states[0]).toBe('ip'); // first step in progress, second pending
    expect(states).toContain('ci');
    expect(states.at(-1)).toBe('cc');
    expect(fx.engine.runs.get('rev1')).toMatchObject({ pattern: 'review', state: 'succeeded' });
  });
});
