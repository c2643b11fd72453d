import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { findTreeByCookie } from '../../src/workers/proc.js';
import { agentFixture, AGENT_BACKENDS, type AgentBackend } from './fixture.js';
import { tempDir } from '../helpers/tmp.js';

// The conformance suite's lifecycle cases, in their own file to keep each file short: every
// backend is stopped while its tool runs a long command and nothing carrying the worker's cookie
// survives; and a follow-up continues the same conversation.
const fx = await agentFixture();
const work = tempDir('baton-conf-stop-');
const label = (b: AgentBackend) => `stop-${b}`;
const cwdOf = (b: AgentBackend) => path.join(work, b);
const cookie = (b: AgentBackend) => path.join(fx.home, 'workers', label(b));

/** The command names of the live processes carrying a worker's cookie. */
function commandsOf(cookieOf: string): string[] {
  return findTreeByCookie(cookieOf).map((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      return '';
    }
  });
}

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('stops every backend mid-command and leaves no process behind', async () => {
  for (const b of AGENT_BACKENDS) {
    const cwd = cwdOf(b);
    mkdirSync(cwd, { recursive: true });
    // Claude Code refuses a standalone `sleep`, so the long command does a little more.
    const task = "SCENARIO=exec CMD='echo started && sleep 120 && echo end'";
    fx.engine.spawn({
      label: label(b),
      backend: b,
      role: 'implementer',
      task,
      cwd,
      env: fx.env,
      model: fx.model,
    });
  }
  for (const b of AGENT_BACKENDS) {
    await until(`${b} to run its sleep command`, () => commandsOf(cookie(b)).includes('sleep'), 90_000);
  }
  const t0 = Date.now();
  await fx.engine.stop(
    AGENT_BACKENDS.map((b) => label(b)),
    { graceMs: 1000 },
  );
  expect(Date.now() - t0).toBeLessThan(10_000);
  for (const b of AGENT_BACKENDS) {
    // SIGKILLed processes can take a moment to go on a busy machine; none may survive for long.
    await until(`${b}'s processes to go`, () => commandsOf(cookie(b)).length === 0, 5000).catch(
      () => undefined,
    );
    expect(commandsOf(cookie(b))).toEqual([]);
    expect(fx.engine.get(label(b)).state).toBe('cancelled');
  }
}, 150_000);

it('continues the conversation with a follow-up in the same thread', async () => {
  const labels = AGENT_BACKENDS.map((b) => `talk-${b}`);
  for (const b of AGENT_BACKENDS) {
    const task = 'SCENARIO=say TEXT=first-answer';
    fx.engine.spawn({ label: `talk-${b}`, backend: b, task, cwd: cwdOf(b), env: fx.env, model: fx.model });
  }
  const first = await fx.engine.wait(labels, { mode: 'all', timeoutMs: 90_000 });
  for (const w of first.workers) expect(w.state, `${w.label}: ${w.reason ?? ''}`).toBe('succeeded');
  for (const b of AGENT_BACKENDS) fx.engine.followup(`talk-${b}`, `SCENARIO=say TEXT=second-${b}`);
  const second = await fx.engine.wait(labels, { mode: 'all', timeoutMs: 90_000 });
  for (const [i, w] of second.workers.entries()) {
    const b = AGENT_BACKENDS[i] ?? 'codex';
    expect(w.state, `${w.label}: ${w.reason ?? ''}`).toBe('succeeded');
    expect(w.finalMessage).toBe(`second-${b}`);
    expect(w.threadId).toBe(first.workers[i]?.threadId);
    // The model saw the first answer again: the CLI resent the earlier conversation.
    const seen = fx.requests(b, `second-${b}`);
    expect(JSON.stringify(seen.at(-1)?.body)).toContain('first-answer');
  }
}, 200_000);
