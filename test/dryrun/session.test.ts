import { createServer, type Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine, isEnded, startDryRun, type Scenario } from '../../src/index.js';
import { tempDir } from '../helpers/tmp.js';

// One dry run serves every agent backend: three fakes started, their env merged, scenarios given
// once reaching all of them, and all three closed (also when one of them cannot start).

const AGENTS = ['codex', 'claude', 'gemini', 'opencode'] as const;

function listen(port: number): Promise<Server | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port P with P, P+1 and P+2 free just now. */
async function freeTriple(): Promise<number> {
  for (let tries = 0; tries < 20; tries++) {
    const probe = await listen(0);
    const address = probe?.address();
    if (!probe || typeof address !== 'object' || address === null) continue;
    await close(probe);
    const held = await Promise.all([0, 1, 2].map((i) => listen(address.port + i)));
    await Promise.all(held.map((s) => (s ? close(s) : undefined)));
    if (held.every((s) => s !== null) && address.port + 2 <= 65535) return address.port;
  }
  throw new Error('no three free ports in a row');
}

async function isListening(origin: string): Promise<boolean> {
  try {
    await fetch(origin, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

describe('startDryRun', () => {
  it('starts the codex, Anthropic and Gemini fakes on a port and the next two, and closes all three', async () => {
    const port = await freeTriple();
    const dry = await startDryRun(tempDir('baton-dry-ports-'), { port });
    const origins = [`http://127.0.0.1:${port}`, dry.anthropic.origin, dry.gemini.origin];
    expect([dry.server.port, dry.anthropic.port, dry.gemini.port]).toEqual([port, port + 1, port + 2]);
    for (const origin of origins) expect(await isListening(origin)).toBe(true);

    // Each backend has its own variables; together they are the env every worker gets.
    expect(Object.keys(dry.envByBackend).sort()).toEqual([...AGENTS].sort());
    const keys = Object.values(dry.envByBackend).flatMap((env) => Object.keys(env));
    expect(new Set(keys).size).toBe(keys.length);
    expect(Object.assign({}, ...Object.values(dry.envByBackend))).toEqual(dry.env);
    expect(dry.envByBackend.codex).toHaveProperty('CODEX_HOME');
    expect(dry.envByBackend.claude['ANTHROPIC_BASE_URL']).toBe(dry.anthropic.origin);
    expect(dry.envByBackend.gemini['GOOGLE_GEMINI_BASE_URL']).toBe(dry.gemini.origin);
    expect(dry.envByBackend.opencode['OPENCODE_CONFIG_CONTENT']).toContain(dry.anthropic.origin);

    await dry.close();
    for (const origin of origins) expect(await isListening(origin)).toBe(false);
  });

  it('closes the fakes that started when another cannot', async () => {
    const port = await freeTriple();
    const taken = await listen(port + 2);
    if (!taken) throw new Error(`port ${port + 2} was taken meanwhile`);
    try {
      await expect(startDryRun(tempDir('baton-dry-busy-'), { port })).rejects.toThrow(/EADDRINUSE/);
      const reuse = await Promise.all([listen(port), listen(port + 1)]);
      expect(reuse.map((s) => s !== null)).toEqual([true, true]);
      await Promise.all(reuse.map((s) => (s ? close(s) : undefined)));
    } finally {
      await close(taken);
    }
  });
});

describe('scenarios given to a dry run', () => {
  const home = tempDir('baton-dry-scen-');
  const engine = new Engine({ home });
  const scenarios: Record<string, Scenario> = {
    custom: [{ say: (ctx) => `custom reply to ${ctx.vars.WHO ?? '?'}` }],
  };
  const started = startDryRun(home, { scenarios });
  afterAll(async () => {
    const live = engine.list().filter((w) => !isEnded(w.state));
    await engine.stop(
      live.map((w) => w.label),
      { graceMs: 500 },
    );
    engine.close();
    await (await started).close();
  });

  it('reach every backend through its own fake', async () => {
    const dry = await started;
    const cwd = tempDir('baton-dry-scen-cwd-');
    for (const backend of AGENTS) {
      engine.spawn({
        label: `custom-${backend}`,
        backend,
        cwd,
        task: `SCENARIO=custom WHO=${backend}`,
        env: { ...dry.env, PYENV_REHASH_TIMEOUT: '1' },
        model: dry.model,
      });
    }
    const labels = AGENTS.map((b) => `custom-${b}`);
    const { workers } = await engine.wait(labels, { mode: 'all', timeoutMs: 110_000 });
    for (const [i, w] of workers.entries()) {
      expect(w.state, `${w.backend}: ${w.reason ?? ''}`).toBe('succeeded');
      expect(w.finalMessage).toBe(`custom reply to ${AGENTS[i]}`);
    }
    const fakes = { codex: dry.server, claude: dry.anthropic, opencode: dry.anthropic, gemini: dry.gemini };
    for (const backend of AGENTS) {
      const seen = fakes[backend].requests.filter((r) => r.scenario === 'custom');
      expect(
        seen.some((r) => r.lastUserText.includes(`WHO=${backend}`)),
        backend,
      ).toBe(true);
    }
  }, 120_000);
});
