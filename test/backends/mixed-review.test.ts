import { describe, expect, it } from 'vitest';
import { loadWorkflow, runWorkflow } from '../../src/index.js';
import { sampleProject } from '../patterns/fixture.js';
import { agentFixture, AGENT_BACKENDS } from './fixture.js';
import { tempDir } from '../helpers/tmp.js';

// One review with its lenses spread round-robin over every agent backend, each against its own
// scripted model: every reviewer greps the project read-only and returns schema-valid JSON (baton
// validates it; only codex is given the schema), and the merge agrees across the four.
const fx = await agentFixture();
const project = sampleProject(tempDir('baton-mixed-proj-'));
const lenses = ['correctness', 'security', 'clarity', 'performance'];

describe('a review mixing codex, claude, gemini and opencode', () => {
  it('spreads the lenses over the backends and merges their findings', async () => {
    const result = await runWorkflow(
      fx.engine,
      loadWorkflow('review'),
      { paths: ['src'], lenses: lenses.join(',') },
      // `backend=model` picks a reviewer's model; the others get the run's (the dry-run model).
      {
        cwd: project,
        backends: AGENT_BACKENDS.map((b) => (b === 'gemini' ? 'gemini=gemini-lens-model' : b)),
        env: fx.env,
        model: fx.model,
        runId: 'mixed',
      },
    );
    expect(result.state, result.failure ?? '').toBe('succeeded');
    const reviewers = fx.engine
      .list()
      .filter((w) => w.runId === 'mixed')
      .sort((a, b) => a.label.localeCompare(b.label));
    expect(reviewers.map((w) => w.backend)).toEqual([...AGENT_BACKENDS]);
    expect(reviewers.map((w) => w.model)).toEqual([fx.model, fx.model, 'gemini-lens-model', fx.model]);
    expect(
      fx.requests('gemini', 'LENS: clarity').some((r) => 'path' in r && r.path.includes('gemini-lens-model')),
    ).toBe(true);
    for (const [i, w] of reviewers.entries()) {
      expect(w.state, `${w.backend}: ${w.reason ?? ''}`).toBe('succeeded');
      expect(w.sandbox).toBe('read-only');
      const report = JSON.parse(w.finalMessage ?? '') as { findings: { evidence: { path: string }[] }[] };
      expect(report.findings.map((f) => f.evidence[0]?.path).sort(), w.backend).toEqual([
        'src/a.ts',
        'src/b.ts',
      ]);
      // Each backend's own fake served the lens it was given.
      const seen = fx.requests(w.backend as (typeof AGENT_BACKENDS)[number], `LENS: ${lenses[i]}`);
      expect(seen.length, w.backend).toBeGreaterThan(0);
    }
    const merge = result.steps['report']?.['merge'] as {
      findings: { agreement: number; verified: boolean; workers: string[] }[];
      stats: { raw: number; merged: number; unverified: number };
    };
    expect(merge.stats).toEqual({ raw: 8, merged: 2, unverified: 0 });
    for (const finding of merge.findings) {
      expect(finding).toMatchObject({ agreement: 4, verified: true });
      expect(finding.workers.sort()).toEqual(reviewers.map((w) => w.label));
    }
    expect(result.report).toMatch(/src\/b\.ts:1/);
    expect(result.report).not.toContain('"findings":');
  }, 150_000);
});
