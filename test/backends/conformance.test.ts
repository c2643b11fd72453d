import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SpawnInput, WorkerRecord } from '../../src/index.js';
import { agentFixture, AGENT_BACKENDS, type AgentBackend } from './fixture.js';
import { tempDir } from '../helpers/tmp.js';

// One suite every agent backend passes against its scripted fake model: a final message after a
// real tool call, usage, server errors and a hung server ended within the timeout, the reader rule,
// and bad input refused before anything runs. (Stopping: conformance-stop.test.ts.)
const fx = await agentFixture();
const work = tempDir('baton-conf-');

const CASES = {
  exec: { task: "SCENARIO=exec CMD='echo ran-by-{b} > proof.txt && cat proof.txt'", role: 'implementer' },
  http500: { task: 'SCENARIO=http500 marker-500-{b}', role: 'implementer' },
  http429: { task: 'SCENARIO=http429 marker-429-{b}', role: 'implementer' },
  hang: { task: 'SCENARIO=hang marker-hang-{b}', role: 'implementer', timeoutMs: 5000, graceMs: 500 },
  readGrep: { task: "SCENARIO=exec CMD='grep -rn TODO .' marker-grep-{b}", role: 'reviewer' },
  readWrite: { task: "SCENARIO=exec CMD='touch written-by-reader.txt' marker-ro-{b}", role: 'reviewer' },
} satisfies Record<string, Partial<SpawnInput>>;
type CaseName = keyof typeof CASES;

const label = (b: AgentBackend, c: string) => `${c}-${b}`;
const cwdOf = (b: AgentBackend, c: string) => path.join(work, label(b, c));
const results = new Map<string, WorkerRecord>();

function spawn(b: AgentBackend, c: string, input: Partial<SpawnInput>): void {
  const cwd = cwdOf(b, c);
  mkdirSync(cwd, { recursive: true });
  writeFileSync(path.join(cwd, 'notes.txt'), '// TODO: conformance marker\n');
  const task = (input.task ?? '').replaceAll('{b}', b);
  fx.engine.spawn({
    ...input,
    label: label(b, c),
    backend: b,
    task,
    cwd,
    env: fx.env,
    model: fx.model,
    freeForm: true,
  });
}

function result(b: AgentBackend, c: CaseName): WorkerRecord {
  const w = results.get(label(b, c));
  if (!w) throw new Error(`no result for ${label(b, c)}`);
  return w;
}

beforeAll(async () => {
  for (const b of AGENT_BACKENDS) for (const [c, input] of Object.entries(CASES)) spawn(b, c, input);
  const labels = AGENT_BACKENDS.flatMap((b) => Object.keys(CASES).map((c) => label(b, c)));
  // Alone this takes ~30 s; the margin is for a busy machine (the whole suite runs files in parallel).
  const { satisfied, workers } = await fx.engine.wait(labels, { mode: 'all', timeoutMs: 150_000 });
  expect(satisfied).toBe(true);
  // Keyed by the label spawned: a rate-limited worker's record is its last attempt.
  for (const w of workers) results.set(w.attemptOf ?? w.label, w);
}, 160_000);

describe.each(AGENT_BACKENDS)('%s backend against its fake model', (b) => {
  it('runs a real command through its tool and returns the final message', () => {
    const w = result(b, 'exec');
    expect(w.state, w.reason ?? '').toBe('succeeded');
    expect(readFileSync(path.join(cwdOf(b, 'exec'), 'proof.txt'), 'utf8').trim()).toBe(`ran-by-${b}`);
    // codex runs a login shell, whose profile may print first.
    expect(w.finalMessage).toMatch(new RegExp(`^FINAL exec: ([^]*\\n)?ran-by-${b}$`));
    expect(w.threadId).toBeTruthy();
    const events = fx.engine.events(w.label).map((e) => e.event);
    const started = events.find((e) => e.type === 'command.started');
    expect(started?.type === 'command.started' && started.command).toContain(`echo ran-by-${b}`);
    const done = events.find((e) => e.type === 'command.completed');
    expect(done?.type === 'command.completed' && done.output).toContain(`ran-by-${b}`);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['thread.started', 'message', 'turn.completed']),
    );
  });

  it('reports token usage, and cost where the CLI prices requests', () => {
    const usage = result(b, 'exec').usage;
    expect(usage?.inputTokens).toBeGreaterThan(0);
    expect(usage?.outputTokens).toBeGreaterThan(0);
    expect(typeof usage?.costUsd).toBe(b === 'claude' || b === 'opencode' ? 'number' : 'undefined');
    if (b !== 'codex') {
      // The run's total (claude and gemini report it, opencode each step, which baton adds up) is
      // the sum of what the fake reported for each request: here the tool call and the answer.
      const seen = fx.requests(b, `ran-by-${b}`);
      const sum = (k: 'input' | 'output') =>
        seen.reduce((n, r) => n + ('usage' in r && r.usage ? r.usage[k] : 0), 0);
      expect(seen.length).toBe(2);
      expect(usage?.inputTokens).toBe(sum('input'));
      expect(usage?.outputTokens).toBe(sum('output'));
    }
  });

  it('fails on a server error, with the status in the reason', () => {
    const e500 = result(b, 'http500');
    expect(e500.state).toBe('failed');
    expect(e500.reason).toMatch(/500|internal|high demand/i);
    const e429 = result(b, 'http429');
    expect(e429.state).toBe('failed');
    // The words baton's retry policy treats as a rate limit.
    expect(e429.reason).toMatch(/\b429\b|rate.?limit/i);
    // A rate limit is retried after the backend's pause (3 times), then the worker fails for good.
    expect(e429.attempt).toBe(4);
  });

  it('ends a hung server within the timeout', () => {
    const w = result(b, 'hang');
    expect(w.state).toBe('timed_out');
    // SIGINT at 5 s, SIGKILL after the 0.5 s grace; the rest is margin for a busy machine.
    expect((w.endedAt ?? 0) - (w.startedAt ?? 0)).toBeLessThan(5000 + 15_000);
  });

  it('lets readers run read-only commands but not write', () => {
    const grep = result(b, 'readGrep');
    expect(grep.state, grep.reason ?? '').toBe('succeeded');
    expect(grep.finalMessage).toContain('TODO: conformance marker');
    const ro = result(b, 'readWrite');
    expect(ro.sandbox).toBe('read-only');
    expect(existsSync(path.join(cwdOf(b, 'readWrite'), 'written-by-reader.txt'))).toBe(false);
  });

  it('refuses bad input before anything runs', () => {
    const before = readdirSync(path.join(fx.home, 'workers')).length;
    const cwd = cwdOf(b, 'exec');
    expect(() => fx.engine.spawn({ label: `bad-${b}`, backend: b, task: '  ', cwd })).toThrow(/needs a task/);
    const variable = `BATON_${b.toUpperCase()}_BIN`;
    process.env[variable] = '/nonexistent/agent';
    try {
      expect(() => fx.engine.spawn({ label: `bad-${b}`, backend: b, task: 'x', cwd })).toThrow(
        expect.objectContaining({ code: 'BACKEND_UNAVAILABLE', message: expect.stringContaining(variable) }),
      );
    } finally {
      delete process.env[variable];
    }
    const args = `BATON_${b.toUpperCase()}_ARGS`;
    process.env[args] = '--not-json';
    try {
      expect(() => fx.engine.spawn({ label: `bad-${b}`, backend: b, task: 'x', cwd })).toThrow(
        expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringContaining(args) }),
      );
    } finally {
      delete process.env[args];
    }
    expect(readdirSync(path.join(fx.home, 'workers')).length).toBe(before);
  });
});
