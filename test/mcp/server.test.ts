import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine, isEnded, startDryRun } from '../../src/index.js';
import { baton } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { connect, serverEnv } from './mcp-client.js';

const home = tempDir('baton-mcp-');
const work = tempDir('baton-mcp-work-');
const dry = await startDryRun(home);
const engine = new Engine({ home });
const env = serverEnv({ BATON_HOME: home, ...dry.env });
const mcp = await connect(env);
afterAll(async () => {
  const running = engine.list().filter((w) => !isEnded(w.state));
  await engine.stop(
    running.map((w) => w.label),
    { graceMs: 300 },
  );
  engine.close();
  await dry.close();
});

const TOOL_NAMES = [
  'spawn_worker',
  'list_workers',
  'wait_workers',
  'get_result',
  'send_input',
  'stop_worker',
  'exec_command',
  'write_stdin',
];

describe('baton mcp over stdio (the SDK client)', () => {
  it('lists its tools with valid JSON Schemas and real descriptions', async () => {
    const { tools } = await mcp.client.listTools();
    // Later tools (plans, patterns) may join; these are the core ones, in this order.
    expect(tools.map((t) => t.name).filter((n) => TOOL_NAMES.includes(n))).toEqual(TOOL_NAMES);
    const ajv = new Ajv({ strict: false });
    for (const tool of tools) {
      expect(tool.description?.length, tool.name).toBeGreaterThan(60);
      expect(tool.inputSchema.type).toBe('object');
      expect(() => ajv.compile(tool.inputSchema), tool.name).not.toThrow();
    }
    const spawn = tools.find((t) => t.name === 'spawn_worker');
    expect(spawn?.inputSchema.required).toEqual(['task']);
    expect(Object.keys(spawn?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining([
        'task',
        'label',
        'role',
        'cwd',
        'sandbox',
        'writes',
        'context_file',
        'timeout_ms',
      ]),
    );
    const exec = tools.find((t) => t.name === 'exec_command');
    expect(Object.keys(exec?.inputSchema.properties ?? {})).toEqual([
      'cmd',
      'workdir',
      'tty',
      'yield_time_ms',
      'max_output_tokens',
    ]);
  });

  it('runs spawn → wait → get_result with real codex workers the CLI sees too', async () => {
    const a = await mcp.call('spawn_worker', {
      label: 'A1',
      task: 'SCENARIO=say TEXT=first-answer',
      cwd: work,
    });
    expect(a.isError, a.text).toBe(false);
    expect(a.data).toMatchObject({ label: 'A1', backend: 'codex', sandbox: 'read-only' });
    await mcp.call('spawn_worker', {
      label: 'A2',
      task: 'SCENARIO=slow MS=1500 TEXT=second-answer',
      cwd: work,
    });
    const any = await mcp.call('wait_workers', { labels: ['A1', 'A2'], mode: 'any', timeout_ms: 30_000 });
    expect(any.data).toMatchObject({ satisfied: true, ended: ['A1'], running: ['A2'] });
    const all = await mcp.call('wait_workers', { labels: ['A1', 'A2'], timeout_ms: 30_000 });
    expect(all.data).toMatchObject({ satisfied: true, ended: ['A1', 'A2'], running: [] });
    const r1 = await mcp.call('get_result', { label: 'A1' });
    expect(r1.text).toBe('first-answer');
    expect(r1.data).toMatchObject({ state: 'succeeded', final_message: 'first-answer' });
    expect((await mcp.call('get_result', { label: 'A2' })).text).toBe('second-answer');
    const listed = await mcp.call('list_workers', { state: 'ended' });
    expect(listed.text).toMatch(/^A1 succeeded · codex\/worker/m);
    const ps = baton(['ps', '--json'], { env: { BATON_HOME: home } });
    expect(ps.stdout).toContain('"label": "A2"');
  });

  it('turns bad arguments into tool errors and keeps serving', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['spawn_worker', {}, /task/],
      ['spawn_worker', { task: 42 }, /expected string/],
      ['spawn_worker', { task: 'x', role: 'wizard' }, /role/],
      ['spawn_worker', { task: 'x', cwd: '/does/not/exist' }, /NOT_FOUND: .*not an existing directory/],
      ['spawn_worker', { task: 'x', label: 'A1' }, /CONFLICT: label "A1" is already used/],
      ['get_result', { label: 'nope' }, /NOT_FOUND: no worker labelled "nope"/],
      ['wait_workers', { labels: ['nope'] }, /NOT_FOUND/],
      ['write_stdin', { session_id: 'A1' }, /BAD_INPUT: .*not a terminal session/],
      ['send_input', { label: 'A1', text: 'more' }, /not supported yet/],
      ['exec_command', { cmd: '' }, /cmd/],
      ['no_such_tool', {}, /not found/],
    ];
    for (const [tool, args, message] of cases) {
      const r = await mcp.call(tool, args);
      expect(r.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
      expect(r.text).toMatch(message);
    }
    expect((await mcp.call('list_workers', {})).isError).toBe(false);
  });

  it('gives background terminals with Codex semantics: output or a session id, then poll, type, Ctrl+C', async () => {
    const done = await mcp.call('exec_command', {
      cmd: 'echo out; exit 3',
      workdir: work,
      yield_time_ms: 5000,
    });
    expect(done.data).toMatchObject({ session_id: null, exit_code: 3, output: 'out\n' });
    expect(done.text).toMatch(
      /^Wall time: [\d.]+ seconds\nProcess exited with code 3 \(failed\)\nOutput:\nout\n$/,
    );
    const cat = await mcp.call('exec_command', { cmd: 'cat', yield_time_ms: 200 });
    const sid = String(cat.data['session_id']);
    expect(cat.text).toContain(`Process running with session ID ${sid}`);
    let seen = '';
    for (let i = 0; i < 20 && !seen.includes('hello'); i++) {
      const w = await mcp.call('write_stdin', {
        session_id: sid,
        chars: i === 0 ? 'hello\n' : '',
        yield_time_ms: 300,
      });
      seen += String(w.data['output']);
    }
    expect(seen).toBe('hello\n');
    const sent = await mcp.call('send_input', { label: sid, text: 'again\n', yield_time_ms: 500 });
    expect(sent.isError).toBe(false);
    const stop = await mcp.call('write_stdin', { session_id: sid, chars: '\u0003', yield_time_ms: 3000 });
    expect(stop.data['session_id']).toBeNull();
  });

  it('survives a worker that floods output, and keeps every reply within max_output_tokens', async () => {
    const flood = await mcp.call('exec_command', {
      cmd: 'yes flood',
      yield_time_ms: 500,
      max_output_tokens: 50,
    });
    const sid = String(flood.data['session_id']);
    expect(flood.isError).toBe(false);
    expect(String(flood.data['output']).length).toBeLessThanOrEqual(400);
    expect(Number(flood.data['omitted_chars'])).toBeGreaterThan(1000);
    const poll = await mcp.call('write_stdin', {
      session_id: sid,
      yield_time_ms: 500,
      max_output_tokens: 50,
    });
    expect(poll.text.length).toBeLessThan(600);
    const bigLine = await mcp.call('spawn_worker', {
      label: 'F1',
      backend: 'shell',
      task: "head -c 3000000 /dev/zero | tr '\\0' y",
    });
    expect(bigLine.isError, bigLine.text).toBe(false);
    await mcp.call('wait_workers', { labels: ['F1'], timeout_ms: 20_000 });
    const result = await mcp.call('get_result', { label: 'F1', max_output_tokens: 100 });
    expect(result.text.length).toBeLessThan(600);
    expect(result.data['truncated']).toBe(true);
    const listed = await mcp.call('list_workers', { max_output_tokens: 40 });
    expect(listed.text.length).toBeLessThan(400);
    const stopped = await mcp.call('stop_worker', { labels: [sid], grace_ms: 300 });
    expect(stopped.text).toMatch(new RegExp(`^${sid} cancelled`));
  });

  it('times out a wait without stopping the worker, and stops it on request', async () => {
    await mcp.call('spawn_worker', { label: 'L1', backend: 'shell', task: 'sleep 30' });
    const t0 = Date.now();
    const waited = await mcp.call('wait_workers', { labels: ['L1'], timeout_ms: 300 });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(waited.data).toMatchObject({ satisfied: false, running: ['L1'] });
    expect(waited.text).toMatch(/^timed out: 1 of 1 still running/);
    expect((await mcp.call('get_result', { label: 'L1' })).text).toBe(
      'L1 is still running; call wait_workers first',
    );
    const stopped = await mcp.call('stop_worker', { labels: ['L1'], grace_ms: 300 });
    expect(stopped.data).toMatchObject({ workers: [{ label: 'L1', state: 'cancelled' }] });
  });
});

describe('workers and the server process', () => {
  it('workers started through MCP outlive the server', async () => {
    const own = await connect(env);
    await own.call('spawn_worker', { label: 'Z1', backend: 'shell', task: 'sleep 1; echo outlived' });
    const pid = own.transport.pid ?? -1;
    expect(isAlive(pid)).toBe(true);
    await own.client.close();
    for (let i = 0; i < 50 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(pid)).toBe(false);
    expect(engine.get('Z1').state).toBe('running');
    const { workers } = await engine.wait(['Z1'], { mode: 'all', timeoutMs: 20_000 });
    expect(workers[0]).toMatchObject({ state: 'succeeded', finalMessage: 'outlived' });
  });

  it('refuses to spawn from inside a worker', async () => {
    const nested = await connect({ ...env, BATON_WORKER: `${home}/workers/A1` });
    const r = await nested.call('spawn_worker', { task: 'SCENARIO=say' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^NESTED_SPAWN: workers never spawn workers/);
    expect((await nested.call('list_workers', {})).isError).toBe(false);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
