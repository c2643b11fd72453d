import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import type { WorkersPage } from '../../src/ui/wire.js';
import { baton, batonAsync } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { http } from './http.js';

const home = tempDir('baton-ui-cmd-');

describe('baton ui: the command', () => {
  it('prints the address with its token, serves it, and exits cleanly on Ctrl-C', async () => {
    // A worker whose starting process (this `baton spawn`) is long gone.
    const spawned = baton(
      ['spawn', '--backend', 'shell', '-l', 'cli1', '--', 'sh', '-c', 'echo hi; sleep 1'],
      {
        env: { BATON_HOME: home },
      },
    );
    expect(spawned.code, spawned.stderr).toBe(0);
    const child = batonAsync(['ui'], { env: { BATON_HOME: home } });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /baton dashboard: (http:\/\/127\.0\.0\.1:\d+\/[\w-]+\/)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.on('exit', () => reject(new Error(`baton ui exited early: ${out}`)));
    });
    expect((await http(`${url}api/runs`)).status).toBe(200);
    await vi.waitFor(
      async () => {
        const page = JSON.parse((await http(`${url}api/workers?run=none`)).body) as WorkersPage;
        expect(page.workers.map((w) => [w.id, w.state])).toEqual([['cli1', 'succeeded']]);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect((await http(url.replace(/\/[\w-]+\/$/, '/api/runs'))).status).toBe(403);
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('refuses a port that is taken, or not a port, as bad input', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const taken = baton(['ui', '--port', String(port)], { env: { BATON_HOME: home } });
    blocker.close();
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/port \d+ is already in use/);
    const bad = baton(['ui', '--port', 'http'], { env: { BATON_HOME: home } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--port/);
  });
});
