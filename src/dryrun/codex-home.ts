import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Why: a catalog slug gives codex its freeform apply_patch tool and no "model metadata not found" error item.
export const DRYRUN_MODEL = 'gpt-5.5';

// Why: codex refuses to call a provider whose env_key variable is unset; any value works for the fake server.
export const DRYRUN_KEY_ENV = 'BATON_DRYRUN_KEY';

const PROVIDER = 'baton_dryrun';

function tomlString(value: string): string {
  return JSON.stringify(value).replace(/\u007f/g, '\\u007f');
}

function renderConfig(baseUrl: string, idleTimeoutMs: number): string {
  return [
    '# Written by baton for dry runs: codex talks to a scripted local fake model, never to OpenAI.',
    `model = ${tomlString(DRYRUN_MODEL)}`,
    `model_provider = ${tomlString(PROVIDER)}`,
    'check_for_update_on_startup = false',
    '',
    '[analytics]',
    'enabled = false',
    '',
    `[model_providers.${PROVIDER}]`,
    'name = "baton dry-run"',
    `base_url = ${tomlString(baseUrl)}`,
    'wire_api = "responses"',
    `env_key = ${tomlString(DRYRUN_KEY_ENV)}`,
    'request_max_retries = 0',
    'stream_max_retries = 0',
    `stream_idle_timeout_ms = ${Math.max(1, Math.round(idleTimeoutMs))}`,
    '',
  ].join('\n');
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

// Why: codex reads its provider from CODEX_HOME/config.toml; no retries and a short idle timeout keep failures fast.
export function writeDryRunCodexHome(
  dir: string,
  baseUrl: string,
  opts: { idleTimeoutMs?: number } = {},
): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'config.toml');
  const config = renderConfig(baseUrl, opts.idleTimeoutMs ?? 5000);
  if (readOrEmpty(path) === config) return dir;
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, config);
  renameSync(temp, path);
  return dir;
}
