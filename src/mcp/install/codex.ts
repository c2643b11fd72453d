import path from 'node:path';
import { BatonError } from '../../index.js';
import { codexHome, readIfExists, writeAtomic, type InstallChange } from './files.js';
import { looksLikeBaton, serverLaunch } from './launch.js';
import { findTable, getPath, parseToml, upsertTable } from './toml-table.js';

const TABLE = ['mcp_servers', 'baton'] as const;

/**
 * Codex starts MCP servers with a minimal environment. These reach the server (and through it the
 * workers) when set: baton's own settings, where codex keeps its config and login, API keys.
 */
export const FORWARDED_ENV = [
  'BATON_HOME',
  'BATON_WORKER',
  'BATON_ALLOW_NESTED',
  'BATON_MAX_PARALLEL',
  'BATON_MAX_PARALLEL_CODEX',
  'BATON_MAX_PARALLEL_SHELL',
  'BATON_CODEX_BIN',
  'CODEX_HOME',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY',
];

/** Long polls (wait_workers) need more than codex's default 60 s tool-call timeout. */
export const TOOL_TIMEOUT_SEC = 900;

const MARKER =
  '# Managed by `baton mcp install --for codex`: rerun it to update; delete this table to remove.';

function tomlString(value: string): string {
  return JSON.stringify(value);
}

/** Every `env_key` of the user's model providers: workers need the same keys codex uses. */
function providerKeys(doc: Record<string, unknown>): string[] {
  const providers = getPath(doc, ['model_providers']);
  if (providers === null || typeof providers !== 'object') return [];
  const keys = Object.keys(providers).map((name) => getPath(providers, [name, 'env_key']));
  return keys.filter((k): k is string => typeof k === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(k));
}

/** The `[mcp_servers.baton]` table baton writes. */
export function codexTable(envVars: readonly string[]): string {
  const launch = serverLaunch();
  return [
    '[mcp_servers.baton]',
    MARKER,
    `command = ${tomlString(launch.command)}`,
    `args = [${launch.args.map(tomlString).join(', ')}]`,
    `env_vars = [${envVars.map(tomlString).join(', ')}]`,
    'default_tools_approval_mode = "approve"',
    'startup_timeout_sec = 30',
    `tool_timeout_sec = ${TOOL_TIMEOUT_SEC}`,
    '',
  ].join('\n');
}

/**
 * Adds baton's server to `$CODEX_HOME/config.toml`. Replaces only an existing baton table (never
 * someone else's `baton` entry unless forced); everything else in the file stays byte for byte.
 */
export function installCodexServer(opts: { env: NodeJS.ProcessEnv; force?: boolean }): InstallChange {
  const file = path.join(codexHome(opts.env), 'config.toml');
  const text = readIfExists(file) ?? '';
  const doc = parseToml(text, file);
  const existing = getPath(doc, TABLE);
  const ours =
    existing === undefined ||
    text.includes(MARKER) ||
    looksLikeBaton(getPath(existing, ['command']), getPath(existing, ['args']));
  if (!ours && !opts.force) {
    throw new BatonError(
      'CONFLICT',
      `${file} already has an [mcp_servers.baton] that does not run baton; rename it, or rerun with --force to replace it`,
    );
  }
  const envVars = [...new Set([...FORWARDED_ENV, ...providerKeys(doc)])];
  const block = codexTable(envVars);
  const next = upsertTable(text, TABLE, block, file);
  const lines = next.split('\n');
  const span = findTable(lines, TABLE);
  const written = span ? lines.slice(span.start, span.end + 1).join('\n') : block;
  if (next === text) return { for: 'codex', what: 'mcp-server', file, action: 'unchanged', written };
  writeAtomic(file, next);
  const action = existing === undefined ? 'added' : 'updated';
  return { for: 'codex', what: 'mcp-server', file, action, written };
}
