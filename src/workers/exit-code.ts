import { constants } from 'node:os';

const SIGNAL_NAMES = new Map<number, string>(
  Object.entries(constants.signals).map(([name, num]) => [num, name] as [number, string]),
);

/** "exited with code 3" or "killed by SIGKILL": sh reports death by signal N as 128 + N. */
export function describeExitCode(code: number): string {
  if (code > 128 && code < 128 + 65) {
    const name = SIGNAL_NAMES.get(code - 128);
    if (name) return `killed by ${name}`;
  }
  return `exited with code ${code}`;
}
