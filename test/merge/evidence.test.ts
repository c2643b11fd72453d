import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvidenceChecker, verifyEvidence } from '../../src/merge/findings.js';
import { MAX_FILE_BYTES, normalizeCitedPath, toTextFile } from '../../src/merge/files.js';
import { tempDir } from '../helpers/tmp.js';

const outside = tempDir('baton-merge-outside-');
const root = tempDir('baton-merge-evidence-');
const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n');
mkdirSync(path.join(root, 'src', 'deep'), { recursive: true });
writeFileSync(
  path.join(root, 'src/db.ts'),
  lines(10).replace('line 4', 'db.query(`SELECT * FROM users WHERE id = ${id}`);'),
);
writeFileSync(path.join(root, 'src/crlf.txt'), 'alpha\r\nbeta   gamma\r\ndelta\r\n');
writeFileSync(
  path.join(root, 'src/repeat.ts'),
  ['x();', 'retry();', 'a', 'b', 'c', 'd', 'retry();', 'x();'].join('\n'),
);
writeFileSync(
  path.join(root, 'src/multi.ts'),
  'function run(\n  input,\n  options,\n) {\n  return input;\n}\n',
);
writeFileSync(path.join(root, 'src/café.md'), 'Le café est prêt.\n');
writeFileSync(path.join(root, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0x0d, 0x0a]));
writeFileSync(path.join(root, 'empty.txt'), '');
writeFileSync(path.join(outside, 'secret.txt'), 'password = hunter2\n');
symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'leak.txt'));
symlinkSync(outside, path.join(root, 'src/deep/escape'));
symlinkSync(path.join(root, 'src/db.ts'), path.join(root, 'alias.ts'));

const check = (p: string, line: number | null = null, quote: string | null = null) =>
  verifyEvidence({ path: p, line, quote }, root);

describe('verifyEvidence: paths', () => {
  it('verifies an existing file, line and quote with no note', () => {
    expect(check('src/db.ts', 4, 'SELECT * FROM users')).toEqual({
      path: 'src/db.ts',
      line: 4,
      quote: 'SELECT * FROM users',
      verified: true,
      note: null,
      foundLine: 4,
    });
  });

  it('normalises ./, backslashes, duplicate slashes, backticks and absolute paths inside the root', () => {
    for (const p of [
      './src/db.ts',
      '`src/db.ts`',
      'src//db.ts',
      'src\\db.ts',
      path.join(root, 'src/db.ts'),
      ' src/./x/../db.ts ',
    ]) {
      expect(check(p, 2)).toMatchObject({ path: 'src/db.ts', verified: true, note: null });
    }
  });

  it('refuses paths outside the root without reading them', () => {
    expect(check('../secret.txt', 1)).toMatchObject({ verified: false, note: 'path is outside the root' });
    expect(check(path.join(outside, 'secret.txt'))).toMatchObject({
      verified: false,
      note: 'path is outside the root',
    });
    expect(check('src/../../x')).toMatchObject({ verified: false, note: 'path is outside the root' });
  });

  it('treats symlinks leaving the root as unverifiable, symlinks inside it as fine', () => {
    expect(check('leak.txt', 1, 'hunter2')).toMatchObject({
      verified: false,
      note: 'symlink points outside the root',
    });
    expect(check('src/deep/escape/secret.txt')).toMatchObject({
      verified: false,
      note: 'symlink points outside the root',
    });
    expect(check('alias.ts', 4, 'FROM users')).toMatchObject({ verified: true, note: null });
  });

  it('names missing files, directories, the root itself and empty paths', () => {
    expect(check('src/nope.ts', 1)).toMatchObject({ verified: false, note: 'file not found' });
    expect(check('src', 1)).toMatchObject({ verified: false, note: 'is a directory' });
    expect(check('src/')).toMatchObject({ path: 'src', verified: false, note: 'is a directory' });
    expect(check('.')).toMatchObject({ verified: false, note: 'is the root directory' });
    expect(check('   ')).toMatchObject({ verified: false, note: 'empty path' });
  });

  it('takes the line from a "path:12" or "path#L12" path when that file exists', () => {
    expect(check('src/db.ts:4', null, 'FROM users')).toMatchObject({
      path: 'src/db.ts',
      line: 4,
      verified: true,
      note: null,
    });
    expect(check('src/db.ts#L4-L6')).toMatchObject({ path: 'src/db.ts', line: 4, verified: true });
    expect(check('src/db.ts:99')).toMatchObject({ path: 'src/db.ts', line: 99, verified: false });
  });

  it('accepts a bare path to a binary file but cannot check a line or quote in it', () => {
    expect(check('logo.png')).toMatchObject({ verified: true, note: 'binary file' });
    expect(check('logo.png', 1, 'PNG')).toMatchObject({
      verified: false,
      note: 'binary file; line and quote not checked',
    });
  });

  it('reports a missing root instead of throwing', () => {
    expect(
      verifyEvidence({ path: 'a.ts', line: 1, quote: null }, path.join(root, 'no-such-dir')),
    ).toMatchObject({
      verified: false,
      note: 'root directory not found',
    });
  });
});

describe('verifyEvidence: lines and quotes', () => {
  it('rejects lines past the end, zero and negative lines', () => {
    expect(check('src/db.ts', 999)).toMatchObject({ verified: false, note: 'line 999 past end (10 lines)' });
    expect(check('src/db.ts', 0)).toMatchObject({ verified: false, note: 'line 0 is not a line number' });
    expect(check('src/db.ts', -3)).toMatchObject({ verified: false, note: 'line -3 is not a line number' });
    expect(check('empty.txt', 1)).toMatchObject({ verified: false, note: 'line 1 past end (0 lines)' });
    expect(check('empty.txt')).toMatchObject({ verified: true, note: null });
  });

  it('lets a quote that exists rescue a wrong line, saying where it really is', () => {
    expect(check('src/db.ts', 2, 'WHERE id =')).toMatchObject({
      verified: true,
      note: 'quote found at line 4 (cited 2)',
      foundLine: 4,
    });
    expect(check('src/db.ts', 999, 'WHERE id =')).toMatchObject({
      verified: true,
      note: 'line 999 past end (10 lines); quote found at line 4',
    });
  });

  it('prefers the occurrence nearest the cited line', () => {
    expect(check('src/repeat.ts', 7, 'retry();')).toMatchObject({ verified: true, note: null });
    expect(check('src/repeat.ts', 6, 'retry();').note).toBe('quote found at line 7 (cited 6)');
    expect(check('src/repeat.ts', 3, 'retry();').note).toBe('quote found at line 2 (cited 3)');
  });

  it('marks a quote that is nowhere in the file unverified, even when the line is real', () => {
    expect(check('src/db.ts', 4, 'DELETE FROM users')).toMatchObject({
      verified: false,
      note: 'quote not found in file',
    });
  });

  it('matches quotes whitespace-insensitively, across lines and CRLF endings', () => {
    expect(check('src/crlf.txt', 2, 'beta gamma')).toMatchObject({ verified: true, note: null });
    expect(check('src/crlf.txt', 3, 'gamma\ndelta')).toMatchObject({ verified: true, note: null });
    expect(check('src/crlf.txt', 4)).toMatchObject({ verified: false, note: 'line 4 past end (3 lines)' });
    expect(check('src/multi.ts', 2, 'function run( input, options, )')).toMatchObject({
      verified: true,
      note: null,
    });
  });

  it('accepts quotes wrapped in backticks or with "..." elisions, in order only', () => {
    expect(check('src/db.ts', 4, '`SELECT * FROM users`')).toMatchObject({ verified: true });
    expect(check('src/db.ts', 4, 'db.query(... WHERE id ...')).toMatchObject({ verified: true, note: null });
    expect(check('src/multi.ts', 1, 'function run( … return input;')).toMatchObject({
      verified: true,
      note: null,
    });
    expect(check('src/multi.ts', 1, 'return input; … function run(')).toMatchObject({ verified: false });
  });

  it('treats an empty or blank quote as no quote', () => {
    expect(check('src/db.ts', 4, '   ')).toEqual({
      path: 'src/db.ts',
      line: 4,
      quote: null,
      verified: true,
      note: null,
      foundLine: null,
    });
  });

  it('matches unicode in NFC or NFD form, in file names and quotes', () => {
    const nfd = 'café'.normalize('NFD');
    expect(check(`src/${nfd}.md`, 1, `Le ${nfd} est prêt`)).toMatchObject({
      path: 'src/café.md',
      verified: true,
    });
  });

  it('handles a huge quote without hanging', () => {
    const started = Date.now();
    expect(check('src/db.ts', 4, 'x'.repeat(200_000))).toMatchObject({
      verified: false,
      note: 'quote not found in file',
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('EvidenceChecker', () => {
  it('reads each file once however often it is cited', () => {
    const checker = new EvidenceChecker(root);
    for (let i = 1; i <= 10; i++)
      checker.check({ path: i % 2 ? 'src/db.ts' : './src/db.ts', line: i, quote: null });
    checker.check({ path: 'src/crlf.txt', line: 1, quote: 'alpha' });
    expect(checker.files.reads).toBe(2);
  });
});

describe('file helpers', () => {
  it('counts lines like an editor: no phantom last line, CR-only and BOM handled', () => {
    expect(toTextFile('a\nb\n').lineCount).toBe(2);
    expect(toTextFile('a\nb').lineCount).toBe(2);
    expect(toTextFile('a\rb\rc').lineCount).toBe(3);
    expect(toTextFile('\uFEFFa\n\n\nb\n').lineCount).toBe(4);
    expect(toTextFile('').lineCount).toBe(0);
  });

  it('normalises cited paths without the disk', () => {
    expect(normalizeCitedPath('"./a/b.ts"', ['/r'])).toEqual({ ok: true, rel: 'a/b.ts' });
    expect(normalizeCitedPath('/r/a.ts', ['/r'])).toEqual({ ok: true, rel: 'a.ts' });
    expect(normalizeCitedPath('/real/a.ts', ['/r', '/real'])).toEqual({ ok: true, rel: 'a.ts' });
    expect(normalizeCitedPath('a\0b', ['/r'])).toMatchObject({ ok: false, note: 'invalid path' });
  });
});

describe('verifyEvidence: large files', () => {
  it('does not read files over the size cap, but still knows they exist', () => {
    writeFileSync(path.join(root, 'big.log'), Buffer.alloc(MAX_FILE_BYTES + 1, 'a'));
    expect(check('big.log')).toMatchObject({
      verified: true,
      note: expect.stringMatching(/^file too large to check/),
    });
    expect(check('big.log', 1, 'aaa')).toMatchObject({
      verified: false,
      note: expect.stringMatching(/line and quote not checked$/),
    });
  });
});
