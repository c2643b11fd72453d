import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinScenarios, loadWorkflow, runWorkflow, type Scenario } from '../../src/index.js';
import { patternFixture, requestsWith } from './fixture.js';

const roles = builtinScenarios['default'] as Exclude<Scenario, readonly unknown[]>;
const fail = {
  verdict: 'fail',
  summary: 'still broken',
  issues: [{ title: 'x undefined', repro: 'run it', fix: 'define x' }],
};

const fx = await patternFixture({
  default: (ctx) => {
    // The fix loop's verifier fails its first round and passes the second.
    if (ctx.task.includes('TASK KIND: Verify') && ctx.task.includes('FIXLOOP') && ctx.requestCount === 1) {
      return { say: JSON.stringify(fail) };
    }
    // Researchers disagree on one claim.
    if (ctx.task.includes('TASK KIND: Research')) {
      const angle = /ANGLE: (.*)/.exec(ctx.task)?.[1] ?? '';
      const fast = angle.startsWith('speed');
      return {
        say: JSON.stringify({
          summary: `view from ${angle}`,
          claims: [
            {
              claim: 'better-sqlite3 is the fastest binding',
              confidence: fast ? 'high' : 'low',
              sources: [{ ref: `https://example.org/${fast ? 'bench' : 'notes'}`, note: angle }],
            },
          ],
          disagreements: fast ? [] : ['benchmarks disagree on whether better-sqlite3 is fastest'],
          open_questions: [],
        }),
      };
    }
    // The options judge picks option 2.
    if (ctx.task.includes('CHOOSE ONE OF THESE'))
      return { say: JSON.stringify({ choice: 2, why: 'cheapest to run' }) };
    if (/PROPOSE OPTION|Propose option/.test(ctx.task)) {
      const n = /Propose option (\d)/.exec(ctx.task)?.[1];
      return { say: `OPTION-TEXT-${n}: cache by content hash` };
    }
    return roles(ctx);
  },
});

describe('pattern B: review → fix → verify', () => {
  it('loops until the verifier passes; one writer owns the paths, reviewer and verifier read-only', async () => {
    const r = await runWorkflow(
      fx.engine,
      loadWorkflow('fix'),
      { paths: ['src/a.ts'], rounds: 3, lens: 'FIXLOOP' },
      {
        ...fx.opts,
        runId: 'fix1',
      },
    );
    expect(r.state).toBe('succeeded');
    expect(r.steps['loop']).toMatchObject({ rounds: 2, passed: true });
    const workers = fx.engine.list().filter((w) => w.runId === 'fix1');
    expect(workers.map((w) => w.label)).toEqual([
      'fix1-review',
      'fix1-fix',
      'fix1-verify',
      'fix1-review-r2',
      'fix1-fix-r2',
      'fix1-verify-r2',
    ]);
    const fixer = workers.find((w) => w.label === 'fix1-fix');
    expect(fixer?.sandbox).toBe('workspace-write');
    expect(fixer?.writes).toEqual([path.join(fx.project, 'src/a.ts')]);
    expect(workers.filter((w) => w.role !== 'implementer').every((w) => w.sandbox === 'read-only')).toBe(
      true,
    );
    expect(
      requestsWith(fx.dry, 'TASK KIND: Implement').every((q) => q.sandboxMode === 'workspace-write'),
    ).toBe(true);
    // Round 2's fixer saw round 1's verifier report.
    expect(
      requestsWith(fx.dry, 'TASK KIND: Implement').some((q) => q.lastUserText.includes('x undefined')),
    ).toBe(true);
  });

  it('fails honestly when the rounds run out', async () => {
    const r = await runWorkflow(
      fx.engine,
      loadWorkflow('fix'),
      { paths: ['src/b.ts'], rounds: 1, lens: 'FIXLOOP' },
      {
        ...fx.opts,
        runId: 'fix2',
      },
    );
    expect(r.state).toBe('failed');
    expect(r.failure).toMatch(/still not done after 1 round/);
    expect(r.report).toMatch(/## One recommended next step\n\nFix "x undefined": define x/);
  });
});

describe('pattern C: scout → act → verify', () => {
  it("hands the scout's condensed context to the implementer and the success check to the verifier", async () => {
    const r = await runWorkflow(
      fx.engine,
      loadWorkflow('task'),
      { goal: 'Document the pool', scope: ['docs'], success: 'docs mention the pool size' },
      { ...fx.opts, runId: 'task1' },
    );
    expect(r.state).toBe('succeeded');
    const scoutSaid = fx.engine.get('task1-scout').finalMessage ?? '';
    expect(scoutSaid).toMatch(/\[dry-run\] scout: \d+ entries/);
    const implementer = requestsWith(fx.dry, 'GOAL: Document the pool').find((q) =>
      q.lastUserText.includes('TASK KIND: Implement'),
    );
    expect(implementer?.lastUserText).toContain(scoutSaid);
    expect(requestsWith(fx.dry, 'SUCCESS CHECK: docs mention the pool size').length).toBeGreaterThan(0);
    expect(fx.engine.get('task1-act').writes).toEqual([path.join(fx.project, 'docs')]);
  });
});

describe('pattern D: split by sections', () => {
  it('gives each section its own owner and write scope, then runs a consistency pass', async () => {
    const r = await runWorkflow(
      fx.engine,
      loadWorkflow('split'),
      { task: 'Add a header comment', sections: ['src/a.ts', 'src/b.ts'] },
      { ...fx.opts, runId: 'split1' },
    );
    expect(r.state).toBe('succeeded');
    expect(fx.engine.get('split1-sections-1').writes).toEqual([path.join(fx.project, 'src/a.ts')]);
    expect(fx.engine.get('split1-sections-2').writes).toEqual([path.join(fx.project, 'src/b.ts')]);
    const a = fx.engine.get('split1-sections-1');
    const b = fx.engine.get('split1-sections-2');
    expect(Math.max(a.startedAt ?? 0, b.startedAt ?? 0)).toBeLessThan(
      Math.min(a.endedAt ?? 0, b.endedAt ?? 0),
    );
    expect(fx.engine.get('split1-consistency').role).toBe('verifier');
    expect(r.report).toContain('Verdict: pass');
  });
});

describe('pattern E: research → synthesis', () => {
  it('writes a brief with sources and calls out disagreements', async () => {
    const r = await runWorkflow(
      fx.engine,
      loadWorkflow('research'),
      { question: 'Which SQLite binding?', angles: ['speed benchmarks', 'maintenance'] },
      { ...fx.opts, runId: 'res1' },
    );
    expect(r.state).toBe('succeeded');
    expect(r.report).toContain('https://example.org/bench');
    expect(r.report).toContain('https://example.org/notes');
    expect(r.report).toMatch(/disagree/i);
    expect(r.report).toMatch(/## One recommended next step\n\n\S/);
  });
});

describe('pattern F: options sprint', () => {
  it('drafts options in parallel, selects one with why, and refines the chosen one', async () => {
    const r = await runWorkflow(
      fx.engine,
      loadWorkflow('options'),
      { problem: 'How to cache builds', n: 3 },
      {
        ...fx.opts,
        runId: 'opt1',
      },
    );
    expect(r.state).toBe('succeeded');
    expect(r.steps['select']).toMatchObject({ choice: 2, why: 'cheapest to run', options: 3 });
    const refine = requestsWith(fx.dry, 'Refine the chosen option')[0];
    expect(refine?.lastUserText).toContain('CHOSEN OPTION: OPTION-TEXT-2');
    expect(refine?.lastUserText).toContain('WHY IT WAS CHOSEN: cheapest to run');
    expect(r.report).toContain('Chose option 2 of 3: cheapest to run');
  });
});
