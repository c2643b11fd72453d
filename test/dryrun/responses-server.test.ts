import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRYRUN_KEY_ENV, DRYRUN_MODEL, writeDryRunCodexHome } from '../../src/dryrun/codex-home.js';
import { startFakeModel } from '../../src/dryrun/responses-server.js';
import type { FakeModelServer } from '../../src/dryrun/responses-server.js';
import { parseVars, summarizeTask } from '../../src/dryrun/transcript.js';

const CODEX = fileURLToPath(
  new URL(
    '../../node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex',
    import.meta.url,
  ),
);

interface CodexRun {
  code: number | null;
  events: { type: string; [key: string]: unknown }[];
  stderr: string;
  ms: number;
}

let server: FakeModelServer;
let root: string;
let home: string;

beforeAll(async () => {
  server = await startFakeModel();
  root = mkdtempSync(join(tmpdir(), 'baton-dryrun-test-'));
  home = writeDryRunCodexHome(join(root, 'codex-home'), server.baseUrl, { idleTimeoutMs: 1500 });
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

function workdir(): string {
  return mkdtempSync(join(root, 'wd-'));
}

function runCodex(dir: string, prompt: string, sandbox = 'workspace-write'): Promise<CodexRun> {
  const started = Date.now();
  const args = [
    'exec',
    '--json',
    '--skip-git-repo-check',
    '-C',
    dir,
    '-s',
    sandbox,
    '-m',
    DRYRUN_MODEL,
    prompt,
  ];
  const child = spawn(CODEX, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CODEX_HOME: home, [DRYRUN_KEY_ENV]: 'x' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      const events = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as CodexRun['events'][number]);
      resolve({ code, events, stderr, ms: Date.now() - started });
    });
  });
}

function agentMessages(run: CodexRun): string[] {
  return run.events.flatMap((event) => {
    const item = event.item as { type?: string; text?: string } | undefined;
    return event.type === 'item.completed' && item?.type === 'agent_message' ? [item.text ?? ''] : [];
  });
}

function requestsFor(marker: string) {
  return server.requests.filter((request) => request.lastUserText.includes(marker));
}

describe.skipIf(!existsSync(CODEX))('fake responses server driving real codex exec', () => {
  it('demo: runs a command, writes a file with apply_patch, reports the listing', async () => {
    const dir = workdir();
    const run = await runCodex(dir, 'Show the demo. SCENARIO=demo NAME=w1');
    expect(run.code, run.stderr).toBe(0);
    expect(agentMessages(run)).toEqual(['FINAL w1: listed 0 entries and wrote baton-demo-w1.md']);
    expect(readFileSync(join(dir, 'baton-demo-w1.md'), 'utf8')).toContain('worker w1');
    const types = run.events.map((event) => event.type);
    expect(types.at(0)).toBe('thread.started');
    expect(types.at(-1)).toBe('turn.completed');
    const usage = run.events.at(-1)?.usage as { input_tokens: number; output_tokens: number };
    expect(usage.input_tokens).toBeGreaterThan(1000);
    expect(usage.output_tokens).toBeGreaterThan(3);
    expect(requestsFor('NAME=w1').map((request) => request.step)).toEqual([0, 1, 2]);
  });

  it('edit: writes both files in the workdir', async () => {
    const dir = workdir();
    const run = await runCodex(dir, 'SCENARIO=edit NAME=e7');
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'e7.txt'), 'utf8')).toBe('e7\n');
    expect(readFileSync(join(dir, 'e7-patched.txt'), 'utf8')).toBe('patched by e7\n');
    expect(agentMessages(run)).toEqual(['FINAL e7 done']);
    const kinds = run.events.flatMap((event) =>
      event.type === 'item.completed' ? [(event.item as { type: string }).type] : [],
    );
    expect(kinds).toEqual(['command_execution', 'file_change', 'agent_message']);
  });

  it("exec: passes the command's output back into the final message", async () => {
    const run = await runCodex(workdir(), "SCENARIO=exec CMD='echo dry-run-exec-ok'");
    expect(run.code, run.stderr).toBe(0);
    expect(agentMessages(run).at(-1)).toMatch(/^FINAL exec: (.*\n)*dry-run-exec-ok$/);
  });

  it('http500: turn.failed and exit 1 without retries', async () => {
    const run = await runCodex(workdir(), 'SCENARIO=http500 ID=h1');
    expect(run.code).toBe(1);
    expect(run.events.at(-1)?.type).toBe('turn.failed');
    expect(requestsFor('ID=h1')).toHaveLength(1);
    expect(run.ms).toBeLessThan(5000);
  });

  it('hang: fails after the configured idle timeout', async () => {
    const run = await runCodex(workdir(), 'SCENARIO=hang ID=g1');
    expect(run.code).toBe(1);
    const failed = run.events.at(-1) as { type: string; error?: { message: string } };
    expect(failed.type).toBe('turn.failed');
    expect(failed.error?.message).toContain('idle timeout');
    expect(run.ms).toBeGreaterThan(1400);
    expect(run.ms).toBeLessThan(8000);
  });

  it('records the sandbox mode codex ran under', async () => {
    const dir = workdir();
    const writable = await runCodex(dir, 'SCENARIO=say TEXT=ww ID=s1');
    const readOnly = await runCodex(dir, 'SCENARIO=say TEXT=ro ID=s2', 'read-only');
    expect(agentMessages(writable)).toEqual(['ww']);
    expect(agentMessages(readOnly)).toEqual(['ro']);
    expect(requestsFor('ID=s1').map((request) => request.sandboxMode)).toEqual(['workspace-write']);
    expect(requestsFor('ID=s2').map((request) => request.sandboxMode)).toEqual(['read-only']);
  });

  it('default: answers with a summary of the task when there is no marker', async () => {
    const run = await runCodex(workdir(), 'Some context line\nTASK: count the widgets\nmore detail');
    expect(run.code, run.stderr).toBe(0);
    expect(agentMessages(run)).toEqual(['[dry-run] count the widgets']);
  });
});

function userMessage(text: string) {
  return { type: 'message', role: 'user', content: [{ type: 'input_text', text }] };
}

async function post(
  base: string,
  body: unknown,
): Promise<{ status: number; events: Record<string, unknown>[] }> {
  const response = await fetch(`${base}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const events = text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice('data: '.length)) as Record<string, unknown>);
  return { status: response.status, events };
}

function saidText(events: Record<string, unknown>[]): string | undefined {
  const done = events.filter((event) => event.type === 'response.output_item.done').at(-1);
  const item = done?.item as { content?: { text: string }[] } | undefined;
  return item?.content?.[0]?.text;
}

describe('fake responses server on its own', () => {
  it('answers 404 off-route and 400 on bad bodies, and keeps serving', async () => {
    expect((await fetch(`${server.baseUrl}/responses`)).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/models`, { method: 'POST' })).status).toBe(404);
    expect((await post(server.baseUrl, '{not json')).status).toBe(400);
    const reply = await post(server.baseUrl, { input: 'not an array' });
    expect(reply.status).toBe(200);
    expect(saidText(reply.events)).toBe('[dry-run] (empty task)');
    const completed = reply.events.at(-1) as { type: string; response: { usage: { total_tokens: number } } };
    expect(completed.type).toBe('response.completed');
    expect(completed.response.usage.total_tokens).toBeGreaterThan(1);
  });

  it('indexes steps by tool outputs and repeats the last say past the end', async () => {
    const output = { type: 'function_call_output', call_id: 'c', output: 'x' };
    const input = [userMessage('old SCENARIO=edit'), userMessage('SCENARIO=say TEXT=hi'), output, output];
    expect(saidText((await post(server.baseUrl, { input })).events)).toBe('hi');
    expect(server.requests.at(-1)).toMatchObject({ scenario: 'say', step: 2, sandboxMode: null });
  });

  it('merges custom scenarios and turns a throwing scenario into response.failed', async () => {
    const custom = await startFakeModel({
      scenarios: {
        say: [{ say: 'overridden' }],
        boom: () => {
          throw new Error('kaput');
        },
      },
    });
    try {
      const said = await post(custom.baseUrl, { input: [userMessage('SCENARIO=say')] });
      expect(saidText(said.events)).toBe('overridden');
      const boom = await post(custom.baseUrl, { input: [userMessage('SCENARIO=boom')] });
      expect(boom.events.at(-1)).toMatchObject({ type: 'response.failed' });
      expect(JSON.stringify(boom.events.at(-1))).toContain('kaput');
    } finally {
      await custom.close();
    }
  });

  it('close() ends hanging streams promptly', async () => {
    const hanging = await startFakeModel();
    const request = post(hanging.baseUrl, { input: [userMessage('SCENARIO=hang')] }).catch(() => null);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await hanging.close();
    await request;
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('parses vars and summarises tasks', () => {
    expect(parseVars("go NAME=w3 CMD='ls -la' lower=x X=1=2")).toEqual({
      NAME: 'w3',
      CMD: 'ls -la',
      X: '1=2',
    });
    expect(summarizeTask('intro\nTASK:\n\nfix the bug\n')).toBe('fix the bug');
    expect(summarizeTask('a\nb\n\n')).toBe('b');
    expect(summarizeTask('x'.repeat(300))).toHaveLength(200);
  });
});
