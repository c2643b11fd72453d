import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton } from '../helpers/cli.js';
import { dryRunFixture } from '../helpers/dryrun.js';
import { tempDir } from '../helpers/tmp.js';

const { home, engine, dry } = await dryRunFixture();
const work = tempDir('baton-work-');

function codex(label: string, task: string, extra: Record<string, unknown> = {}) {
  const cwd = path.join(work, label);
  mkdirSync(cwd, { recursive: true });
  return engine.spawn({ label, task, cwd, env: dry.env, model: dry.model, role: 'implementer', ...extra });
}

describe('codex workers against the scripted model', () => {
  it('runs eight workers concurrently; each runs a command, applies a patch, and returns its final message', async () => {
    const labels = Array.from({ length: 8 }, (_, i) => `E${i + 1}`);
    for (const label of labels) codex(label, `SCENARIO=edit NAME=${label} make two files`);
    const { satisfied, workers } = await engine.wait(labels, { mode: 'all', timeoutMs: 60_000 });
    expect(satisfied).toBe(true);
    for (const w of workers) {
      expect(w.state, w.reason ?? '').toBe('succeeded');
      const cwd = path.join(work, w.label);
      expect(readFileSync(path.join(cwd, `${w.label}.txt`), 'utf8').trim()).toBe(w.label);
      expect(readFileSync(path.join(cwd, `${w.label}-patched.txt`), 'utf8')).toContain(
        `patched by ${w.label}`,
      );
      const r = baton(['result', w.label], { env: { BATON_HOME: home } });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`FINAL ${w.label} done\n`);
    }
    // Concurrency: every worker started before the first one ended.
    const firstEnd = Math.min(...workers.map((w) => w.endedAt ?? Infinity));
    const lastStart = Math.max(...workers.map((w) => w.startedAt ?? 0));
    expect(lastStart).toBeLessThan(firstEnd);
  });

  it('stores normalized events and the thread usage', async () => {
    const events = engine.events('E1').map((e) => e.event.type);
    expect(events).toEqual(
      expect.arrayContaining([
        'worker.started',
        'thread.started',
        'command.started',
        'command.completed',
        'file_change',
        'message',
        'turn.completed',
        'worker.ended',
      ]),
    );
    const w = engine.get('E1');
    expect(w.threadId).toMatch(/^[0-9a-f-]{36}$/);
    expect(w.usage?.inputTokens).toBeGreaterThan(0);
    expect(w.usage?.outputTokens).toBeGreaterThan(0);
  });

  it('ends model errors as failed or timed_out within the timeout, and siblings still succeed', async () => {
    const cases: Record<string, string> = {
      F500: 'SCENARIO=http500',
      F429: 'SCENARIO=http429',
      FMAL: 'SCENARIO=malformed',
      FNOC: 'SCENARIO=nocompleted',
      FRSP: 'SCENARIO=failed',
    };
    for (const [label, task] of Object.entries(cases)) codex(label, task);
    codex('FHANG', 'SCENARIO=hang', { timeoutMs: 2000, graceMs: 500 });
    codex('OKSIB', 'SCENARIO=say TEXT=sibling-fine');
    // Connection refused: codex retries forever, so only baton's timeout can end it.
    const deadHome = path.join(home, 'dead-codex-home');
    mkdirSync(deadHome, { recursive: true });
    const config = readFileSync(path.join(dry.env['CODEX_HOME'] ?? '', 'config.toml'), 'utf8');
    writeFileSync(path.join(deadHome, 'config.toml'), config.replace(/127\.0\.0\.1:\d+/, '127.0.0.1:9'));
    codex('FREF', 'SCENARIO=say', {
      env: { ...dry.env, CODEX_HOME: deadHome },
      timeoutMs: 3000,
      graceMs: 500,
    });
    const labels = [...Object.keys(cases), 'FHANG', 'OKSIB', 'FREF'];
    const t0 = Date.now();
    const { workers } = await engine.wait(labels, { mode: 'all', timeoutMs: 30_000 });
    expect(Date.now() - t0).toBeLessThan(15_000);
    // A rate-limited worker is retried (RATE_LIMIT_ATTEMPTS in all): the record is its last attempt.
    const byLabel = Object.fromEntries(workers.map((w) => [w.attemptOf ?? w.label, w]));
    for (const label of Object.keys(cases)) {
      expect(byLabel[label]?.state).toBe('failed');
      expect(byLabel[label]?.reason).toBeTruthy();
    }
    expect(byLabel['F500']?.reason).toMatch(/demand|500/);
    expect(byLabel['F429']?.reason).toMatch(/429/);
    expect(byLabel['F429']?.attempt).toBe(4);
    expect(byLabel['FMAL']?.reason).toMatch(/stream/);
    expect(byLabel['FHANG']?.state).toBe('timed_out');
    expect(byLabel['FREF']?.state).toBe('timed_out');
    expect(byLabel['OKSIB']?.state).toBe('succeeded');
    expect(byLabel['OKSIB']?.finalMessage).toBe('sibling-fine');
  });

  it('validates --schema output itself: matching JSON succeeds, a mismatch fails with a clear reason', async () => {
    const schema = path.join(work, 'schema.json');
    writeFileSync(
      schema,
      JSON.stringify({
        type: 'object',
        properties: { ok: { type: 'boolean' } },
        required: ['ok'],
        additionalProperties: false,
      }),
    );
    codex('S1', 'SCENARIO=json', { schemaFile: schema });
    codex('S2', `SCENARIO=json JSON={"ok":"yes"}`, { schemaFile: schema });
    codex('S3', 'SCENARIO=badjson', { schemaFile: schema });
    const { workers } = await engine.wait(['S1', 'S2', 'S3'], { mode: 'all', timeoutMs: 30_000 });
    const [s1, s2, s3] = workers;
    expect(s1?.state, s1?.reason ?? '').toBe('succeeded');
    expect(s2?.state).toBe('failed');
    expect(s2?.reason).toMatch(/does not match --schema: \/ok must be boolean/);
    expect(s3?.state).toBe('failed');
    expect(s3?.reason).toMatch(/not JSON/);
    // codex received the schema: it sends it to the model as the response format.
    const sent = dry.server.requests.find((r) => r.lastUserText.includes('SCENARIO=json') && r.step === 0);
    expect(JSON.stringify(sent?.body)).toContain('codex_output_schema');
  });

  it('gives reviewers and verifiers their shipped schema, passed to codex and validated by baton', async () => {
    const findings = JSON.stringify({ summary: 's', findings: [] });
    codex('SREV', `SCENARIO=json JSON='${findings}' marker-srev`, { role: 'reviewer' });
    codex('SVER', `SCENARIO=json JSON='{"verdict":"maybe","summary":"s","issues":[]}' marker-sver`, {
      role: 'verifier',
    });
    const { workers } = await engine.wait(['SREV', 'SVER'], { mode: 'all', timeoutMs: 30_000 });
    expect(workers[0]?.state, workers[0]?.reason ?? '').toBe('succeeded');
    expect(workers[1]?.state).toBe('failed');
    expect(workers[1]?.reason).toMatch(/\/verdict must be equal to one of the allowed values/);
    const sent = dry.server.requests.find((r) => r.lastUserText.includes('marker-srev'));
    const format = JSON.stringify((sent?.body as { text?: unknown } | undefined)?.text);
    expect(format).toContain('codex_output_schema');
    expect(format).toContain('"findings"');
  });

  it('runs reader roles read-only and implementers workspace-write, as codex reports to the model', async () => {
    codex('RREV', 'SCENARIO=say TEXT=reviewed marker-reviewer', { role: 'reviewer', freeForm: true });
    codex('RIMP', 'SCENARIO=say TEXT=implemented marker-implementer', { role: 'implementer' });
    codex('RSCO', 'SCENARIO=say TEXT=scouted marker-scout', { role: 'scout' });
    await engine.wait(['RREV', 'RIMP', 'RSCO'], { mode: 'all', timeoutMs: 30_000 });
    const modeOf = (marker: string) =>
      dry.server.requests.find((r) => r.lastUserText.includes(marker))?.sandboxMode;
    expect(modeOf('marker-reviewer')).toBe('read-only');
    expect(modeOf('marker-scout')).toBe('read-only');
    expect(modeOf('marker-implementer')).toBe('workspace-write');
    expect(engine.get('RREV').sandbox).toBe('read-only');
  });

  it('never trusts a stale result: a failed turn does not report an earlier message file', async () => {
    codex('STALE', 'SCENARIO=http500');
    await engine.wait(['STALE'], { mode: 'all', timeoutMs: 30_000 });
    const r = baton(['result', 'STALE'], { env: { BATON_HOME: home } });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^baton: STALE failed: /);
    expect(existsSync(path.join(home, 'workers', 'STALE', 'stdout'))).toBe(true);
  });
});
