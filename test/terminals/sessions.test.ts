import { describe, expect, it } from 'vitest';
import { Engine, execCommand, writeStdin } from '../../src/index.js';
import { findTreeByCookie } from '../../src/workers/proc.js';
import { baton } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const home = tempDir('baton-terms-');
const engine = new Engine({ home });

/** Polls a session until its output (accumulated) matches, as an agent would. */
async function readUntil(sessionId: string, pattern: RegExp, first = ''): Promise<string> {
  let seen = first;
  const deadline = Date.now() + 15_000;
  while (!pattern.test(seen) && Date.now() < deadline) {
    seen += (await writeStdin(engine, { sessionId, yieldMs: 300 })).output;
  }
  return seen;
}

describe('background terminals', () => {
  it('returns the output and exit status of a command that ends within the yield', async () => {
    const r = await execCommand(engine, { command: ['echo out; echo err >&2; exit 3'], yieldMs: 5000 });
    expect(r.sessionId).toBeNull();
    expect(r.exitCode).toBe(3);
    expect(r.output).toBe('out\nerr\n');
  });

  it('returns a session id for a long command, then types into it and reads what came back', async () => {
    const r = await execCommand(engine, { command: ['cat'], yieldMs: 200 });
    expect(r.sessionId).toMatch(/^S\d+$/);
    const sid = r.sessionId ?? '';
    const w1 = await writeStdin(engine, { sessionId: sid, chars: 'hello\n', yieldMs: 300 });
    expect(await readUntil(sid, /hello\n/, w1.output)).toBe('hello\n');
    const w2 = await writeStdin(engine, { sessionId: sid, chars: 'again\n', yieldMs: 300 });
    // Only what is new since the last read comes back.
    expect(await readUntil(sid, /again\n/, w2.output)).toBe('again\n');
    const poll = await writeStdin(engine, { sessionId: sid, yieldMs: 100 });
    expect(poll.output).toBe('');
    await engine.stop([sid], { graceMs: 500 });
  });

  it('drives an interactive shell without a PTY', async () => {
    const r = await execCommand(engine, { command: ['bash', '--norc', '--noprofile'], yieldMs: 200 });
    const sid = r.sessionId ?? '';
    const w = await writeStdin(engine, { sessionId: sid, chars: 'echo $((6*7))\n', yieldMs: 300 });
    expect(await readUntil(sid, /42/, w.output)).toBe('42\n');
    const end = await writeStdin(engine, { sessionId: sid, chars: 'exit 4\n', yieldMs: 3000 });
    expect(end.sessionId).toBeNull();
    expect(end.exitCode).toBe(4);
  });

  it('drives python3 -i through a real PTY', async () => {
    const r = await execCommand(engine, { command: ['python3', '-i'], tty: true, yieldMs: 1500 });
    expect(r.output).toContain('>>>');
    const sid = r.sessionId ?? '';
    const w = await writeStdin(engine, { sessionId: sid, chars: 'print(6*7)\n', yieldMs: 1000 });
    expect(w.output).toMatch(/print\(6\*7\)\r\n42\r\n/);
    const tty = await writeStdin(engine, {
      sessionId: sid,
      chars: 'import os; print(os.isatty(0))\n',
      yieldMs: 1000,
    });
    expect(tty.output).toContain('True');
    await writeStdin(engine, { sessionId: sid, chars: 'exit()\n', yieldMs: 3000 });
    expect(engine.get(sid).state).toBe('succeeded');
  });

  it('ends a running sleep with Ctrl+C, with and without a PTY, leaving nothing behind', async () => {
    for (const tty of [false, true]) {
      const r = await execCommand(engine, { command: ['sleep', '60'], tty, yieldMs: 300 });
      const sid = r.sessionId ?? '';
      const t0 = Date.now();
      const w = await writeStdin(engine, { sessionId: sid, ctrlC: true, yieldMs: 5000 });
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(w.sessionId).toBeNull();
      expect(engine.get(sid).state).not.toBe('running');
      expect(findTreeByCookie(engine.home.workerDir(sid))).toEqual([]);
    }
  });

  it('bounds output, keeping the start and the end and saying how much was left out', async () => {
    const r = await execCommand(engine, { command: ['seq 1 100000'], yieldMs: 5000, maxOutputTokens: 100 });
    expect(r.output.startsWith('1\n2\n3\n')).toBe(true);
    expect(r.output.endsWith('99999\n100000\n')).toBe(true);
    expect(r.output).toMatch(/characters left out/);
    expect(r.omittedChars).toBeGreaterThan(500_000);
    expect(r.output.length).toBeLessThan(600);
  });

  it('loses no output tail in 100 fast PTY runs of a 10 KB write', async () => {
    let lost = 0;
    for (let i = 0; i < 100; i++) {
      const r = await execCommand(engine, {
        command: ["head -c 10240 /dev/zero | tr '\\0' a"],
        tty: true,
        yieldMs: 5000,
        maxOutputTokens: 10_000,
        label: `TT${i}`,
      });
      const count = (r.output.match(/a/g) ?? []).length;
      if (count !== 10240 || r.exitCode !== 0) lost++;
    }
    expect(lost).toBe(0);
  }, 120_000);

  it('keeps sessions alive after the calling process exits; they show in ps and stop like workers', async () => {
    const env = { BATON_HOME: home };
    const started = baton(
      ['exec', '--yield-ms', '200', '--label', 'BG', '--', 'sleep 1; echo late; sleep 60'],
      { env },
    );
    expect(started.code).toBe(0);
    expect(started.stderr).toMatch(/session BG still running/);
    const later = baton(['write', 'BG', '--yield-ms', '2500', '--json'], { env });
    expect(JSON.parse(later.stdout)).toMatchObject({ sessionId: 'BG', state: 'running', output: 'late\n' });
    expect(baton(['ps'], { env }).stdout).toMatch(/BG +shell +session:pipe +running/);
    expect(baton(['stop', 'BG', '--grace', '1s'], { env }).code).toBe(0);
    expect(engine.get('BG').state).toBe('cancelled');
    expect(findTreeByCookie(engine.home.workerDir('BG'))).toEqual([]);
  });

  it('refuses to type into a worker that is not a session', async () => {
    engine.spawn({ label: 'NOTERM', backend: 'shell', extraArgs: ['sleep', '5'] });
    await expect(writeStdin(engine, { sessionId: 'NOTERM', chars: 'x' })).rejects.toThrow(
      /not a terminal session/,
    );
    await engine.stop(['NOTERM'], { graceMs: 200 });
  });
});
