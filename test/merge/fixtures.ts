import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Evidence, Finding, Severity } from '../../src/merge/findings.js';
import { tempDir } from '../helpers/tmp.js';

/** A small project to cite: src/db.ts has the SQL on line 12, src/auth.ts a token check on 20. */
export function projectRoot(): string {
  const root = tempDir('baton-merge-review-');
  mkdirSync(path.join(root, 'src'), { recursive: true });
  const db = Array.from({ length: 40 }, (_, i) => `// db line ${i + 1}`);
  db[11] = 'const rows = db.query(`SELECT * FROM users WHERE name = ${name}`);';
  db[29] = 'catch (e) { /* ignored */ }';
  writeFileSync(path.join(root, 'src/db.ts'), db.join('\n') + '\n');
  const auth = Array.from({ length: 30 }, (_, i) => `// auth line ${i + 1}`);
  auth[19] = 'if (token == expected) return true;';
  writeFileSync(path.join(root, 'src/auth.ts'), auth.join('\r\n'));
  writeFileSync(path.join(root, 'README.md'), '# demo\n\nRun `npm start`.\n');
  return root;
}

export const ev = (p: string, line: number | null = null, quote: string | null = null): Evidence => ({
  path: p,
  line,
  quote,
});

export const finding = (
  title: string,
  severity: Severity,
  evidence: Evidence[],
  recommendation = `Fix: ${title}`,
): Finding => ({ title, severity, evidence, recommendation });

export const report = (...findings: Finding[]) => ({ summary: 'done', findings });

/** Deterministic pseudo-random shuffles (mulberry32), so a failing order can be replayed. */
export function shuffler(seed: number): <T>(items: readonly T[]) => T[] {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return <T>(items: readonly T[]) => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };
}
