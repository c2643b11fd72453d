import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** baton's install folder: this file is `<root>/{src,dist}/mcp/package-root.{ts,js}`. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The CLI entry a client must run to start the server (`node <this> mcp`). */
export const BATON_BIN = path.join(PACKAGE_ROOT, 'bin', 'baton.js');

/** baton's version, from its package.json (reported to MCP clients). */
export function batonVersion(): string {
  try {
    const pkg = z
      .object({ version: z.string() })
      .safeParse(JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')));
    return pkg.success ? pkg.data.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
