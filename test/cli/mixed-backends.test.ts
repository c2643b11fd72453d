import { describe, expect, it } from 'vitest';
import { Engine, type WorkerRecord } from '../../src/index.js';
import { sampleProject } from '../patterns/fixture.js';
import { baton, batonAsync, type CliResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

// `--backend` lists from the command line: a dry-run review spread over every agent backend, each
// CLI against its own scripted model, and a bad list refused before anything starts.

const AGENTS = ['codex', 'claude', 'gemini', 'opencode'];
const LENSES = ['correctness', 'security', 'clarity', 'performance'];

/**
 * State outside the project (so reviewers never see it), outside any worker. A login shell here
 * runs `pyenv rehash`, whose lock can outlive a killed shell; without a timeout it waits 60 s.
 */
function cliEnv(home: string): NodeJS.ProcessEnv {
  return {
    BATON_HOME: home,
    BATON_WORKER: undefined,
    BATON_ALLOW_NESTED: undefined,
    PYENV_REHASH_TIMEOUT: '1',
  };
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CliResult> {
  const child = batonAsync(args, { cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** The workers and runs a state dir holds, read the way any baton command would. */
function stateOf(home: string): { workers: WorkerRecord[]; runs: number } {
  const engine = new Engine({ home });
  try {
    return { workers: engine.list(), runs: engine.runs.list().length };
  } finally {
    engine.close();
  }
}

interface ReviewJson {
  runId: string;
  state: string;
  failure: string | null;
  report: string;
  workers: { label: string; ok: boolean }[];
  steps: {
    report?: {
      merge?: {
        findings: { agreement: number; verified: boolean; workers: string[] }[];
        stats: { raw: number; merged: number; unverified: number };
      };
    };
  };
}

describe('baton review --backend codex,claude,gemini,opencode --dry-run', () => {
  it('runs one reviewer per backend and merges their findings', async () => {
    const home = tempDir('baton-mixed-cli-home-');
    const project = sampleProject(tempDir('baton-mixed-cli-proj-'));
    const args = ['review', 'src', '--backend', AGENTS.join(','), '--lenses', LENSES.join(',')];
    // Alone this takes ~15 s (opencode is the slowest to start); the margin is for a busy machine.
    const r = await run([...args, '--dry-run', '--json'], project, cliEnv(home), 170_000);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as ReviewJson;
    expect(out.state, out.failure ?? '').toBe('succeeded');
    expect(out.workers).toHaveLength(4);
    expect(out.workers.every((w) => w.ok)).toBe(true);

    // Reviewer i ran on backend i (round-robin), read-only, and succeeded.
    const reviewers = stateOf(home)
      .workers.filter((w) => w.runId === out.runId)
      .sort((a, b) => a.label.localeCompare(b.label));
    expect(reviewers.map((w) => w.backend)).toEqual(AGENTS);
    for (const w of reviewers) {
      expect(w.state, `${w.backend}: ${w.reason ?? ''}`).toBe('succeeded');
      expect(w.sandbox).toBe('read-only');
    }

    // Every reviewer found the same two markers; the merge clusters them with all four agreeing.
    const merge = out.steps.report?.merge;
    expect(merge?.stats).toEqual({ raw: 8, merged: 2, unverified: 0 });
    for (const finding of merge?.findings ?? []) {
      expect(finding).toMatchObject({ agreement: 4, verified: true });
      expect([...finding.workers].sort()).toEqual(reviewers.map((w) => w.label));
    }
    expect(out.report).toMatch(/src\/b\.ts:1/);
    expect(out.report).toMatch(/src\/a\.ts:2/);
  }, 180_000);
});

describe('a bad --backend list', () => {
  const cases = [
    { name: 'an unknown name', args: ['review', 'src', '--backend', 'codex,nope', '--dry-run'], bad: 'nope' },
    {
      name: 'shell, which takes no task',
      args: ['fix', 'src', '--backend', 'claude,shell', '--dry-run'],
      bad: 'shell',
    },
    { name: 'an empty list', args: ['review', 'src', '--backend', ' , ', '--dry-run'], bad: '--backend' },
    {
      name: 'a backend=model pair without a model',
      args: ['review', 'src', '--backend', 'codex,claude=', '--dry-run'],
      bad: '"claude=" names no model',
    },
    { name: 'an unknown name for the demo', args: ['demo', '--backend', 'gemini,codx'], bad: 'codx' },
  ];
  it.each(cases)('is refused before anything starts: $name', ({ args, bad }) => {
    const home = tempDir('baton-badlist-home-');
    const project = sampleProject(tempDir('baton-badlist-proj-'));
    const r = baton(args, { cwd: project, env: cliEnv(home) });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^baton: --backend: [^\n]+\n$/);
    expect(r.stderr).toContain(bad);
    for (const name of AGENTS) expect(r.stderr).toContain(name);
    expect(stateOf(home)).toEqual({ workers: [], runs: 0 });
  });
});

describe('pattern help', () => {
  it('says --backend takes a list spread round-robin over fan-outs', () => {
    const r = baton(['review', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--backend <names>\s+backend, or a comma list spread round-robin/);
    expect(r.stdout).toContain('baton review src --backend codex,claude,gemini,opencode --dry-run');
  });
});
