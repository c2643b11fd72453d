import path from 'node:path';
import { BATON_BIN } from '../package-root.js';

/** How a client starts baton's server: absolute node and bin paths, so no PATH lookup is needed. */
export interface ServerLaunch {
  command: string;
  args: string[];
}

export function serverLaunch(): ServerLaunch {
  return { command: process.execPath, args: [BATON_BIN, 'mcp'] };
}

/** True if a configured server entry runs baton (so baton may replace it). */
export function looksLikeBaton(command: unknown, args: unknown): boolean {
  const words = [command, ...(Array.isArray(args) ? args : [])].filter((w) => typeof w === 'string');
  return words.some((w) => /^baton(\.js)?$/.test(path.basename(w)));
}
