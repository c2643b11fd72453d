import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/index.js';
import { tempDir } from '../helpers/tmp.js';

const home = tempDir('baton-prompts-');
const engine = new Engine({ home });
const preview = (input: Parameters<Engine['preview']>[0]) => engine.preview(input);

describe('worker prompts', () => {
  it('always starts with the worker preamble and ends with the task verbatim', () => {
    const task = 'Fix `a && b`; keep "quotes" and $(subshells) as they are';
    const { prompt } = preview({ role: 'worker', task });
    expect(prompt.startsWith('CONTEXT: WORKER\n')).toBe(true);
    expect(prompt).toContain('Do only the assigned task');
    expect(prompt).toContain('no other workers');
    expect(prompt.endsWith(`TASK:\n${task}`)).toBe(true);
  });

  it('gives a reviewer its lens, read-only scope and a structured output shape', () => {
    const { prompt, sandbox, schema } = preview({ role: 'reviewer', lens: 'security', task: 'Review src/' });
    expect(prompt).toContain('LENS: security');
    expect(prompt).toContain('SCOPE: read-only');
    expect(prompt).toContain('Reply with JSON only');
    expect(prompt).toMatch(/DO NOT:\n- Expand scope\n- Make edits/);
    expect(sandbox).toBe('read-only');
    expect(JSON.stringify(schema)).toContain('"findings"');
  });

  it('lets a reviewer answer in prose with --free-form (no schema)', () => {
    const { prompt, schema } = preview({ role: 'reviewer', freeForm: true, task: 'Review src/' });
    expect(prompt).toContain('- Top findings (ranked, brief)');
    expect(schema).toBeNull();
  });

  it('gives an implementer an explicit scope from --writes', () => {
    const { prompt, sandbox, writes } = preview({
      role: 'implementer',
      cwd: home,
      writes: ['src/a.ts'],
      task: 'Add x',
    });
    expect(prompt).toContain(`SCOPE: may edit only: ${path.join(home, 'src/a.ts')}`);
    expect(sandbox).toBe('workspace-write');
    expect(writes).toEqual([path.join(home, 'src/a.ts')]);
  });

  it('gives a verifier its success check, from --success or the context pack', () => {
    expect(preview({ role: 'verifier', success: 'npm test passes', task: 'Check' }).prompt).toContain(
      'SUCCESS CHECK: npm test passes',
    );
    const pack = path.join(home, 'pack.json');
    writeFileSync(pack, JSON.stringify({ goal: 'g', successCheck: ['tests pass', 'no new warnings'] }));
    const { prompt, schema } = preview({ role: 'verifier', contextFile: pack, task: 'Check' });
    expect(prompt).toContain('SUCCESS CHECK: tests pass; no new warnings');
    expect(JSON.stringify(schema)).toContain('"verdict"');
  });

  it('renders every part of a YAML context pack', () => {
    const pack = path.join(home, 'pack.yaml');
    writeFileSync(
      pack,
      [
        'goal: Faster start',
        'non_goals: [Rewrite the CLI]',
        'constraints:',
        '  - Node 20',
        'pointers: src/cli/main.ts',
        'prior_decisions: Lazy imports were tried',
        'success_check: cold start under 200 ms',
      ].join('\n'),
    );
    const { prompt } = preview({ role: 'implementer', contextFile: pack, task: 'Speed up' });
    for (const part of [
      'CONTEXT PACK:',
      'Goal: Faster start',
      'Non-goals:\n- Rewrite the CLI',
      'Constraints:\n- Node 20',
      'Pointers: src/cli/main.ts',
      'Prior decisions: Lazy imports were tried',
      'Success check: cold start under 200 ms',
    ]) {
      expect(prompt).toContain(part);
    }
    expect(prompt.indexOf('CONTEXT PACK:')).toBeLessThan(prompt.indexOf('TASK:'));
  });

  it('uses a markdown context pack as written', () => {
    const pack = path.join(home, 'pack.md');
    writeFileSync(pack, '## Goal\nShip it\n\n- Success check: the demo runs\n');
    const { prompt } = preview({ role: 'verifier', contextFile: pack, task: 'Check' });
    expect(prompt).toContain('CONTEXT PACK:\n## Goal\nShip it');
    expect(prompt).toContain('SUCCESS CHECK: the demo runs');
  });

  it('rejects a context pack with unknown fields, naming the allowed ones', () => {
    const pack = path.join(home, 'bad.json');
    writeFileSync(pack, JSON.stringify({ goal: 'x', mood: 'happy' }));
    expect(() => preview({ role: 'worker', contextFile: pack, task: 't' })).toThrow(
      /not a context pack; use the fields goal, non_goals, constraints, pointers, prior_decisions, success_check/,
    );
  });

  it('takes a project override from <state dir>/templates', () => {
    mkdirSync(path.join(home, 'templates'), { recursive: true });
    writeFileSync(path.join(home, 'templates', 'scout.md'), 'CUSTOM SCOUT {{scope}}\nOUTPUT:\n{{output}}');
    const { prompt } = preview({ role: 'scout', task: 'Map it' });
    expect(prompt).toContain('CUSTOM SCOUT read-only');
    expect(prompt.startsWith('CONTEXT: WORKER')).toBe(true);
  });
});
