import { accessSync, closeSync, constants, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatonError } from '../../errors.js';

/** Where an agent CLI may be installed, for one backend. */
export interface BinarySource {
  /** The backend's name, also the command looked up on PATH (claude, gemini, opencode). */
  name: string;
  /** The npm package that ships the CLI. */
  pkg: string;
  /**
   * Files inside installed packages to try, in order, given a resolver for package folders.
   * Each is the argv prefix that starts the CLI (a native binary, or node + a script).
   */
  candidates(packageDir: (pkg: string) => string | undefined): string[][];
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** True for an ELF or Mach-O file: an npm package's real binary, not its placeholder script. */
export function isNativeBinary(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(4);
    readSync(fd, head, 0, 4, 0);
    const magic = head.readUInt32BE(0);
    return magic === 0x7f454c46 || [0xcffaedfe, 0xcefaedfe, 0xfeedfacf, 0xfeedface].includes(magic);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

/** A resolver for `<pkg>/package.json` folders, searching from the project and from baton itself. */
function packageResolver(searchFrom: readonly string[]): (pkg: string) => string | undefined {
  return (pkg) => {
    for (const from of searchFrom) {
      try {
        const req = createRequire(path.join(from, 'noop.js'));
        return path.dirname(req.resolve(`${pkg}/package.json`));
      } catch {
        // not installed from here; try the next place
      }
    }
    return undefined;
  };
}

/** The `BATON_<NAME>_BIN` variable that overrides where a backend's CLI is. */
export function binVariable(name: string): string {
  return `BATON_${name.toUpperCase()}_BIN`;
}

/**
 * The argv prefix that starts an agent CLI: `BATON_<NAME>_BIN`, then the npm package installed in
 * the project (or beside baton), then `<name>` on PATH. A missing CLI is BACKEND_UNAVAILABLE with
 * the three ways to provide it.
 */
export function resolveAgentBinary(
  source: BinarySource,
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const variable = binVariable(source.name);
  const override = env[variable];
  if (override) {
    if (!isExecutable(override)) {
      throw new BatonError('BACKEND_UNAVAILABLE', `${variable}=${override} is not an executable file`);
    }
    return [override];
  }
  const here = path.dirname(fileURLToPath(import.meta.url));
  const resolve = packageResolver([cwd, here]);
  for (const argv of source.candidates(resolve)) {
    const file = argv.at(-1);
    if (file !== undefined && (argv.length > 1 ? isReadable(file) : isExecutable(file))) return argv;
  }
  const fromPath = onPath(source.name, env);
  if (fromPath) return [fromPath];
  throw new BatonError(
    'BACKEND_UNAVAILABLE',
    `${source.name} was not found: install it (npm install ${source.pkg}), put \`${source.name}\` on PATH, or set ${variable}`,
  );
}

function isReadable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
