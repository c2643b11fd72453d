import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { BatonError } from '../../index.js';
import { claudeConfigDir, homeDir, readIfExists, writeAtomic, type InstallChange } from './files.js';
import { looksLikeBaton, serverLaunch } from './launch.js';

/** Where Claude Code reads MCP servers: the project's `.mcp.json`, or the user's `.claude.json`. */
export type ClaudeScope = 'project' | 'user';

export function claudeConfigFile(scope: ClaudeScope, env: NodeJS.ProcessEnv, projectDir: string): string {
  if (scope === 'project') return path.join(path.resolve(projectDir), '.mcp.json');
  return env['CLAUDE_CONFIG_DIR']
    ? path.join(claudeConfigDir(env), '.claude.json')
    : path.join(homeDir(env), '.claude.json');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseConfig(text: string, file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new BatonError(
      'CONFLICT',
      `${file} is not valid JSON (${String(error)}); fix it first, baton will not rewrite it`,
    );
  }
  if (!isRecord(doc))
    throw new BatonError('CONFLICT', `${file} is not a JSON object; baton will not rewrite it`);
  return doc;
}

/** The indentation the file already uses (Claude Code writes two spaces). */
function indentOf(text: string): string | number {
  const m = /\n([ \t]+)"/.exec(text);
  return m?.[1] ?? 2;
}

/**
 * Registers baton's server for Claude Code as `mcpServers.baton`; every other key and server is
 * kept in place. An existing `baton` that does not run baton is left alone unless forced.
 */
export function installClaudeServer(opts: {
  env: NodeJS.ProcessEnv;
  scope: ClaudeScope;
  projectDir: string;
  force?: boolean;
}): InstallChange {
  const file = claudeConfigFile(opts.scope, opts.env, opts.projectDir);
  const text = readIfExists(file);
  const doc = text === null || text.trim() === '' ? {} : parseConfig(text, file);
  const servers = doc['mcpServers'] ?? {};
  if (!isRecord(servers)) {
    throw new BatonError(
      'CONFLICT',
      `${file}: "mcpServers" is not an object; fix it first, baton will not rewrite it`,
    );
  }
  const launch = serverLaunch();
  const entry = { type: 'stdio', command: launch.command, args: launch.args, env: {} };
  const existing = servers['baton'];
  const written = JSON.stringify({ baton: entry }, null, 2);
  const change = { for: 'claude', what: 'mcp-server', file, written } as const;
  if (isDeepStrictEqual(existing, entry)) return { ...change, action: 'unchanged' };
  if (existing !== undefined && !opts.force) {
    const ours = isRecord(existing) && looksLikeBaton(existing['command'], existing['args']);
    if (!ours) {
      throw new BatonError(
        'CONFLICT',
        `${file} already has an mcpServers.baton that does not run baton; rename it, or rerun with --force to replace it`,
      );
    }
  }
  const next = { ...doc, mcpServers: { ...servers, baton: entry } };
  const trailing = text === null || text.endsWith('\n') ? '\n' : '';
  writeAtomic(file, `${JSON.stringify(next, null, text === null ? 2 : indentOf(text))}${trailing}`);
  return { ...change, action: existing === undefined ? 'added' : 'updated' };
}
