import type { Readable, Writable } from 'node:stream';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Engine } from '../index.js';
import { batonVersion } from './package-root.js';
import { TOOLS, type BatonTool } from './tools/index.js';

/** Read by clients before the tool list: the method in four lines. */
export const SERVER_INSTRUCTIONS = [
  'baton runs coding-agent workers in parallel, detached: they outlive this server and show in `baton ps`.',
  'Fan out only independent work: spawn_worker once per track (one job and its context each; many readers, one writer).',
  'Do not block: wait_workers with a modest timeout_ms, do other work, wait again. Then get_result reads only final messages.',
  'exec_command / write_stdin give background terminals (sessions S1, S2, …) with Codex semantics.',
].join('\n');

export interface McpServerOptions {
  /** Aborts long polls (wait_workers) when the server shuts down. */
  shutdown?: AbortSignal;
  /** The tools to offer (default: all of baton's). */
  tools?: readonly BatonTool[];
}

/**
 * An MCP server whose only state is the Engine: every fact lives in the state directory, so the
 * CLI, other servers and later sessions see the same workers.
 */
export function createMcpServer(engine: Engine, opts: McpServerOptions = {}): McpServer {
  const server = new McpServer(
    { name: 'baton', title: 'baton', version: batonVersion() },
    { instructions: SERVER_INSTRUCTIONS, capabilities: { tools: {} } },
  );
  const shutdown = opts.shutdown ?? new AbortController().signal;
  for (const tool of opts.tools ?? TOOLS) tool.register(server, engine, shutdown);
  return server;
}

/**
 * Serves MCP on stdin/stdout until the client hangs up (stdin ends or stdout breaks). Resolves
 * then; workers it started keep running.
 */
export async function serveStdio(
  engine: Engine,
  stdin: Readable = process.stdin,
  stdout: Writable = process.stdout,
): Promise<void> {
  const shutdown = new AbortController();
  const server = createMcpServer(engine, { shutdown: shutdown.signal });
  const transport = new StdioServerTransport(stdin, stdout);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => {
      shutdown.abort();
      resolve();
    };
  });
  const hangUp = () => void server.close().catch(() => undefined);
  stdin.once('end', hangUp);
  stdin.once('close', hangUp);
  stdout.on('error', hangUp);
  await server.connect(transport);
  await closed;
}
