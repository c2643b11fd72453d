import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Engine, startDryRun } from '../../src/index.js';
import { resolveCodexBinary } from '../../src/backends/codex/binary.js';
import { BATON_BIN, baton } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const home = tempDir('baton-orch-');
const work = tempDir('baton-orch-work-');
const dry = await startDryRun(home);
afterAll(() => dry.close());

const toml = (value: string) => JSON.stringify(value);

/**
 * The orchestrator's own CODEX_HOME: the scripted model, plus baton as its MCP server. Codex gives
 * MCP servers a minimal environment, so the workers' CODEX_HOME and key are passed in `env`.
 */
function orchestratorCodexHome(): string {
  const dir = path.join(home, 'orchestrator-codex');
  mkdirSync(dir, { recursive: true });
  const provider = readFileSync(path.join(dry.env['CODEX_HOME'] ?? '', 'config.toml'), 'utf8');
  const env = { BATON_HOME: home, ...dry.env };
  const envTable = Object.entries(env)
    .map(([k, v]) => `${k} = ${toml(v)}`)
    .join(', ');
  writeFileSync(
    path.join(dir, 'config.toml'),
    `${provider}
[mcp_servers.baton]
command = ${toml(process.execPath)}
args = [${toml(BATON_BIN)}, "mcp"]
env = { ${envTable} }
default_tools_approval_mode = "approve"
startup_timeout_sec = 60
tool_timeout_sec = 120
`,
  );
  return dir;
}

const itemCompleted = z.object({
  type: z.literal('item.completed'),
  item: z.looseObject({
    type: z.string(),
    text: z.string().optional(),
    tool: z.string().optional(),
    status: z.string().optional(),
  }),
});
type Item = z.infer<typeof itemCompleted>['item'];

/** Runs codex exec as a user would, without blocking this process (the fake model lives here). */
function codexExec(
  prompt: string,
  codexHome: string,
): Promise<{ code: number | null; items: Item[]; stderr: string }> {
  const bin = resolveCodexBinary(work);
  const child = spawn(bin, ['exec', '--json', '--skip-git-repo-check', '-C', work, prompt], {
    cwd: work,
    env: { ...process.env, CODEX_HOME: codexHome, BATON_DRYRUN_KEY: 'dry-run', BATON_HOME: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const items = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => itemCompleted.safeParse(JSON.parse(l)))
        .flatMap((e) => (e.success ? [e.data.item] : []));
      resolve({ code, items, stderr });
    });
  });
}

describe('a real codex orchestrating through baton mcp', () => {
  it('spawns three real codex workers, waits for them, and answers with their results', async () => {
    const run = await codexExec('SCENARIO=orchestrate TEXTS=alpha,beta,gamma', orchestratorCodexHome());
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const calls = run.items.filter((i) => i.type === 'mcp_tool_call');
    expect(calls.map((c) => `${c.tool}:${c.status}`)).toEqual([
      'spawn_worker:completed',
      'spawn_worker:completed',
      'spawn_worker:completed',
      'wait_workers:completed',
      'get_result:completed',
      'get_result:completed',
      'get_result:completed',
    ]);
    const final = run.items.filter((i) => i.type === 'agent_message').at(-1)?.text ?? '';
    expect(final).toBe('FINAL orchestrator\nO1: alpha\nO2: beta\nO3: gamma');

    // They are ordinary baton workers: real codex runs, visible to the CLI, ended on their own.
    const engine = new Engine({ home });
    const workers = engine.list().filter((w) => w.label.startsWith('O'));
    engine.close();
    expect(workers.map((w) => [w.label, w.backend, w.state, w.finalMessage])).toEqual([
      ['O1', 'codex', 'succeeded', 'alpha'],
      ['O2', 'codex', 'succeeded', 'beta'],
      ['O3', 'codex', 'succeeded', 'gamma'],
    ]);
    expect(workers.every((w) => w.threadId !== null)).toBe(true);
    expect(workers.map((w) => w.cwd)).toEqual([work, work, work]);
    const ps = baton(['ps'], { env: { BATON_HOME: home } });
    expect(ps.stdout).toMatch(/O1\s+codex\s+worker\s+succeeded/);
    // The workers talked to the scripted model through the CODEX_HOME the server passed on.
    const workerRequests = dry.server.requests.filter((r) => r.scenario === 'say');
    expect(workerRequests.length).toBe(3);
  });
});
