import { describe, expect, it } from 'vitest';
import { batonEventSchema, getBackend, type BatonEvent, type Usage } from '../../src/index.js';
import type { WorkerFacts } from '../../src/backends/types.js';
import { foldEvent } from '../../src/workers/fold.js';
import { joinedAnswer } from '../../src/backends/gemini/events.js';

// The stream parsers on recorded lines (shapes taken from the pinned CLIs' real output).
const parse = (backend: string, value: unknown): BatonEvent[] =>
  getBackend(backend).parseLine(typeof value === 'string' ? value : JSON.stringify(value));

const facts = (over: Partial<WorkerFacts>): WorkerFacts => ({
  threadId: null,
  finalMessage: null,
  usage: null,
  turnStatus: null,
  turnError: null,
  ...over,
});

/** The usage a worker ends with after these events. */
const foldUsage = (events: BatonEvent[]): Usage | null =>
  events.reduce(foldEvent, { ...facts({}), lastActivity: null }).usage;

describe('claude stream-json', () => {
  it('maps the session, text, thinking and a Bash call', () => {
    expect(parse('claude', { type: 'system', subtype: 'init', session_id: 's1', tools: [] })).toEqual([
      { type: 'thread.started', threadId: 's1' },
      { type: 'turn.started' },
    ]);
    const assistant = {
      type: 'assistant',
      message: {
        content: [
          { type: 'thinking', thinking: 'hmm' },
          { type: 'text', text: 'Running it' },
          { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'ls -1' } },
        ],
        usage: { input_tokens: 5, output_tokens: 1 },
      },
    };
    expect(parse('claude', assistant)).toEqual([
      { type: 'reasoning', text: 'hmm' },
      { type: 'message', text: 'Running it' },
      { type: 'command.started', command: 'ls -1' },
    ]);
  });

  it('maps tool results: command output and exit code, file writes', () => {
    const failed = {
      type: 'user',
      message: {
        content: [{ type: 'tool_result', tool_use_id: 't1', content: 'Exit code 2\nnope', is_error: true }],
      },
      tool_use_result: { stdout: '', stderr: 'nope', interrupted: false },
    };
    expect(parse('claude', failed)).toEqual([
      { type: 'command.completed', command: '', exitCode: 2, status: 'failed', output: 'nope' },
    ]);
    const wrote = {
      type: 'user',
      message: { content: [{ type: 'tool_result', tool_use_id: 't2', content: 'File created' }] },
      tool_use_result: { type: 'create', filePath: '/w/a.txt', content: 'x' },
    };
    expect(parse('claude', wrote)).toEqual([
      { type: 'file_change', changes: [{ path: '/w/a.txt', kind: 'add' }], status: 'completed' },
    ]);
  });

  it('takes usage and cost from the result line, cache reads and writes counted as input', () => {
    const result = {
      type: 'result',
      subtype: 'success',
      is_error: false,
      result: 'done',
      total_cost_usd: 0.01,
      usage: {
        input_tokens: 10,
        cache_creation_input_tokens: 5,
        cache_read_input_tokens: 20,
        output_tokens: 7,
      },
      permission_denials: [],
    };
    expect(parse('claude', result)).toEqual([
      {
        type: 'turn.completed',
        usage: { inputTokens: 35, cachedInputTokens: 20, outputTokens: 7, reasoningTokens: 0, costUsd: 0.01 },
      },
    ]);
  });

  it('reports API errors as failures with their status, retries and denials as warnings', () => {
    const apiError = {
      type: 'assistant',
      message: { content: [{ type: 'text', text: 'API Error: Request rejected (429) · slow down' }] },
      error: 'rate_limit',
      is_api_error_message: true,
    };
    expect(parse('claude', apiError)).toEqual([
      { type: 'error', message: 'API Error: Request rejected (429) · slow down', fatal: false },
    ]);
    const result = {
      type: 'result',
      subtype: 'success',
      is_error: true,
      result: 'API Error: Request rejected (429)',
    };
    expect(parse('claude', result)).toEqual([
      { type: 'turn.failed', message: 'claude: API Error: Request rejected (429)' },
    ]);
    // A run that failed after spending still reports what it spent.
    const billed = { ...result, usage: { input_tokens: 10, output_tokens: 5 }, total_cost_usd: 0.02 };
    expect(parse('claude', billed)).toEqual([
      { type: 'usage', usage: expect.objectContaining({ inputTokens: 10, outputTokens: 5, costUsd: 0.02 }) },
      { type: 'turn.failed', message: 'claude: API Error: Request rejected (429)' },
    ]);
    const retry = { type: 'system', subtype: 'api_retry', attempt: 2, max_retries: 10, error_status: 500 };
    expect(parse('claude', retry)[0]).toMatchObject({
      type: 'error',
      fatal: false,
      message: expect.stringContaining('HTTP 500'),
    });
    const denied = {
      type: 'result',
      subtype: 'success',
      is_error: false,
      permission_denials: [{ tool_name: 'Bash', tool_use_id: 't', tool_input: { command: 'rm x' } }],
    };
    expect(parse('claude', denied)[0]).toMatchObject({
      type: 'error',
      message: expect.stringContaining('denied 1 tool call'),
    });
  });

  it('skips noise and new event types, and names a known event it cannot read', () => {
    expect(parse('claude', 'Warning: something')).toEqual([]);
    expect(parse('claude', { type: 'stream_event', event: {} })).toEqual([]);
    expect(parse('claude', { type: 'result' })[0]).toMatchObject({ type: 'error', fatal: false });
  });
});

describe('gemini stream-json', () => {
  it('maps a session with a shell call and its result', () => {
    expect(parse('gemini', { type: 'init', session_id: 'g1', model: 'm' })).toEqual([
      { type: 'thread.started', threadId: 'g1' },
      { type: 'turn.started' },
    ]);
    expect(parse('gemini', { type: 'message', role: 'user', content: 'hi' })).toEqual([]);
    expect(parse('gemini', { type: 'message', role: 'assistant', content: 'Hello', delta: true })).toEqual([
      { type: 'message', text: 'Hello' },
    ]);
    const use = {
      type: 'tool_use',
      tool_name: 'run_shell_command',
      tool_id: 'run_shell_command_1',
      parameters: { command: 'false' },
    };
    expect(parse('gemini', use)).toEqual([{ type: 'command.started', command: 'false' }]);
    const result = {
      type: 'tool_result',
      tool_id: 'run_shell_command_1',
      status: 'success',
      output: 'Command exited with code: 3',
    };
    expect(parse('gemini', result)).toEqual([
      {
        type: 'command.completed',
        command: '',
        exitCode: 3,
        status: 'completed',
        output: 'Command exited with code: 3',
      },
    ]);
  });

  it('maps the result: usage from stats, or the error', () => {
    const ok = {
      type: 'result',
      status: 'success',
      stats: { input_tokens: 111, output_tokens: 22, cached: 11 },
    };
    expect(parse('gemini', ok)).toEqual([
      {
        type: 'turn.completed',
        usage: { inputTokens: 111, cachedInputTokens: 11, outputTokens: 22, reasoningTokens: 0 },
      },
    ]);
    const bad = {
      type: 'result',
      status: 'error',
      error: { type: 'unknown', message: '[API Error: quota]' },
    };
    expect(parse('gemini', bad)).toEqual([{ type: 'turn.failed', message: 'gemini: [API Error: quota]' }]);
  });

  it('joins the answer pieces after the last tool call when the run ends', () => {
    const lines = [
      { type: 'init', session_id: 'g1', model: 'm' },
      { type: 'message', role: 'assistant', content: 'Let me ', delta: true },
      { type: 'message', role: 'assistant', content: 'look.', delta: true },
      {
        type: 'tool_use',
        tool_name: 'run_shell_command',
        tool_id: 'run_shell_command_1',
        parameters: { command: 'ls' },
      },
      { type: 'tool_result', tool_id: 'run_shell_command_1', status: 'success', output: 'a' },
      { type: 'message', role: 'assistant', content: '{"ok":', delta: true },
      { type: 'message', role: 'assistant', content: 'true}', delta: true },
      { type: 'result', status: 'success', stats: { input_tokens: 1, output_tokens: 1 } },
    ].map((l) => JSON.stringify(l));
    expect(joinedAnswer(lines.join('\n'))).toBe('{"ok":true}');
    // A tail that starts mid-line still yields the answer.
    expect(joinedAnswer(`ant","content":"x"}\n${lines.slice(5).join('\n')}`)).toBe('{"ok":true}');
    const done = facts({ turnStatus: 'completed', finalMessage: 'true}' });
    expect(
      getBackend('gemini').conclude(done, { exitCode: 0, stderrTail: '', stdoutTail: lines.join('\n') }),
    ).toEqual({ state: 'succeeded', reason: null, finalMessage: '{"ok":true}' });
  });

  it('adds the HTTP status Gemini CLI printed on stderr to a failure', () => {
    const verdict = getBackend('gemini').conclude(
      facts({ turnStatus: 'failed', turnError: 'gemini: [API Error: quota]' }),
      { exitCode: 1, stderrTail: '  retryDelayMs: undefined,\n  status: 429\n}', stdoutTail: '' },
    );
    expect(verdict).toMatchObject({ state: 'failed', reason: 'gemini: [API Error: quota] (HTTP 429)' });
  });
});

describe('opencode json', () => {
  it('maps steps, text and a finished bash call', () => {
    expect(parse('opencode', { type: 'step_start', sessionID: 'ses_1', part: {} })).toEqual([
      { type: 'thread.started', threadId: 'ses_1' },
      { type: 'turn.started' },
    ]);
    expect(
      parse('opencode', { type: 'text', sessionID: 'ses_1', part: { type: 'text', text: 'done' } }),
    ).toEqual([{ type: 'message', text: 'done' }]);
    const tool = {
      type: 'tool_use',
      part: {
        tool: 'bash',
        state: { status: 'completed', input: { command: 'ls' }, output: 'a\n', metadata: { exit: 0 } },
      },
    };
    expect(parse('opencode', tool)).toEqual([
      { type: 'command.started', command: 'ls' },
      { type: 'command.completed', command: 'ls', exitCode: 0, status: 'completed', output: 'a\n' },
    ]);
  });

  it('sums every step into the usage, completes the turn on a step that stops, maps errors', () => {
    const tokens = { total: 140, input: 100, output: 17, reasoning: 3, cache: { write: 5, read: 15 } };
    const step = (reason: string, cost?: number) =>
      parse('opencode', { type: 'step_finish', part: { reason, tokens, cost } });
    const events = [...step('tool-calls', 0.25), ...step('stop', 0.5)];
    const one = { inputTokens: 120, cachedInputTokens: 15, outputTokens: 20, reasoningTokens: 3 };
    expect(events).toEqual([
      { type: 'usage', usage: { ...one, costUsd: 0.25 } },
      { type: 'usage', usage: { ...one, costUsd: 0.5 } },
      { type: 'turn.completed', usage: null },
    ]);
    const both = { inputTokens: 240, cachedInputTokens: 30, outputTokens: 40, reasoningTokens: 6 };
    expect(foldUsage(events)).toEqual({ ...both, costUsd: 0.75 });
    expect(step('length')).toMatchObject([{ type: 'usage' }, { type: 'turn.failed' }]);
    const error = {
      type: 'error',
      error: { name: 'APIError', data: { message: 'slow down', statusCode: 429 } },
    };
    expect(parse('opencode', error)).toEqual([
      { type: 'turn.failed', message: 'opencode: APIError: slow down (HTTP 429)' },
    ]);
  });

  it('fails a run that ended without a final answer (e.g. an auto-rejected permission)', () => {
    const verdict = getBackend('opencode').conclude(facts({ finalMessage: 'Let me check' }), {
      exitCode: 0,
      stderrTail: 'permission requested: external_directory (/tmp/*); auto-rejecting',
      stdoutTail: '',
    });
    expect(verdict.state).toBe('failed');
    expect(verdict.reason).toMatch(/without a final answer: permission requested/);
  });
});

describe('usage across events', () => {
  const u = (n: number, cost?: number): Usage => ({
    ...{ inputTokens: n, cachedInputTokens: 0, outputTokens: n, reasoningTokens: 0 },
    ...(cost === undefined ? {} : { costUsd: cost }),
  });
  const spent = (n: number, cost?: number): BatonEvent => ({ type: 'usage', usage: u(n, cost) });
  const total = (usage: Usage | null): BatonEvent => ({ type: 'turn.completed', usage });

  it('adds per-request usage (cost only when reported) until a turn reports its total', () => {
    expect(foldUsage([spent(1), spent(2, 0.5)])).toEqual(u(3, 0.5));
    expect(foldUsage([spent(1), spent(2)])).toStrictEqual(u(3));
    expect(foldUsage([spent(1, 0.5), total(u(9))])).toEqual(u(9));
    expect(foldUsage([spent(1), total(null)])).toEqual(u(1));
    // Events stored before usage had a cost still parse.
    expect(batonEventSchema.parse(JSON.parse(JSON.stringify(total(u(4)))))).toStrictEqual(total(u(4)));
  });
});
