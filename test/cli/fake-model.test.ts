import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { batonAsync } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

// `baton fake-model` serves a scripted model for every agent API until Ctrl+C, and says how to
// point each backend at its model.

describe('baton fake-model', () => {
  it('prints the env for every backend, serves until SIGINT, then cleans up', async () => {
    const home = tempDir('baton-fake-model-');
    const child = batonAsync(['fake-model'], { env: { BATON_HOME: home, BATON_WORKER: undefined } });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const printed = new Promise<void>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        if (stdout.includes('needs none of this')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await Promise.race([printed, exited]);
    expect(stdout, stderr).toContain('needs none of this');

    for (const [backend, variable] of [
      ['codex', 'CODEX_HOME='],
      ['claude', 'ANTHROPIC_BASE_URL='],
      ['gemini', 'GOOGLE_GEMINI_BASE_URL='],
      ['opencode', 'OPENCODE_CONFIG_CONTENT='],
    ] as const) {
      const section = stdout.split(`\n${backend}:\n`)[1]?.split('\n').slice(0, 2).join('\n') ?? '';
      expect(section, backend).toContain(variable);
      expect(section, backend).toContain(`baton spawn --backend ${backend} -m `);
    }
    const envFile = /\( \. (\S+\.env) &&/.exec(stdout)?.[1];
    expect(envFile).toBeDefined();
    expect(existsSync(path.resolve(envFile ?? ''))).toBe(true);

    // Still serving a moment later: every printed address answers.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const urls = [...stdout.matchAll(/(http:\/\/127\.0\.0\.1:\d+)(?:\/v1)?\n/g)].map((m) => m[1] ?? '');
    expect(urls).toHaveLength(3);
    for (const url of urls) {
      const res = await fetch(`${url}/nowhere`, { signal: AbortSignal.timeout(5000) });
      expect(res.status, url).toBe(404);
    }

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(path.resolve(envFile ?? ''))).toBe(false);
    for (const url of urls) await expect(fetch(url)).rejects.toThrow();
  });
});
