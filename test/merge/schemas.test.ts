import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { reviewerReportSchema } from '../../src/merge/findings.js';
import { researchReportSchema } from '../../src/merge/research.js';

const load = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../assets/schemas/${name}`, import.meta.url), 'utf8'));

/** Codex's strict structured output: every object closed and every property required. */
function strictProblems(schema: unknown, where = '$'): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const problems: string[] = [];
  if (node['type'] === 'object') {
    const keys = Object.keys((node['properties'] ?? {}) as object).sort();
    const required = [...((node['required'] ?? []) as string[])].sort();
    if (node['additionalProperties'] !== false) problems.push(`${where}: additionalProperties must be false`);
    if (JSON.stringify(keys) !== JSON.stringify(required))
      problems.push(`${where}: every property must be required`);
  }
  for (const [key, child] of Object.entries(node)) {
    if (key === 'properties') {
      for (const [name, sub] of Object.entries(child as object))
        problems.push(...strictProblems(sub, `${where}.${name}`));
    } else if (typeof child === 'object') problems.push(...strictProblems(child, `${where}.${key}`));
  }
  return problems;
}

/** zod and the shipped JSON Schema must accept and refuse the same documents. */
function agree(file: string, zod: z.ZodType, samples: unknown[]): void {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(load(file));
  for (const sample of samples) {
    expect({ sample, zod: zod.safeParse(sample).success }).toEqual({ sample, zod: validate(sample) });
  }
}

const finding = {
  title: 't',
  severity: 'high',
  evidence: [{ path: 'a', line: 1, quote: null }],
  recommendation: 'r',
};
const claim = { claim: 'c', confidence: 'high', sources: [{ ref: 'https://x', note: null }] };
const research = { summary: 's', claims: [claim], disagreements: ['d'], open_questions: [] };

describe('schemas', () => {
  it('ships codex-strict JSON Schemas', () => {
    expect(strictProblems(load('research.json'))).toEqual([]);
    expect(strictProblems(load('reviewer.json'))).toEqual([]);
    expect(strictProblems({ type: 'object', properties: { a: { type: 'string' } }, required: [] })).toEqual([
      '$: additionalProperties must be false',
      '$: every property must be required',
    ]);
    expect(load('research.json')).toMatchObject({
      properties: {
        claims: {
          items: {
            properties: { sources: { items: { properties: { note: { type: ['string', 'null'] } } } } },
          },
        },
      },
    });
  });

  it('zod reviewerReportSchema matches assets/schemas/reviewer.json', () => {
    agree('reviewer.json', reviewerReportSchema, [
      { summary: 's', findings: [finding] },
      { summary: 's', findings: [] },
      { summary: 's', findings: [{ ...finding, evidence: [] }] },
      { summary: 's', findings: [{ ...finding, severity: 'major' }] },
      { summary: 's', findings: [{ ...finding, severity: 'High' }] },
      { summary: 's', findings: [{ ...finding, evidence: [{ path: 'a', line: 1.5, quote: null }] }] },
      { summary: 's', findings: [{ ...finding, evidence: [{ path: 'a', line: null }] }] },
      { summary: 's', findings: [{ ...finding, evidence: [{ path: 'a', line: 1e20, quote: null }] }] },
      { summary: 's', findings: [{ ...finding, evidence: [{ path: 'a', line: -4, quote: '' }] }] },
      { summary: 's', findings: [{ ...finding, extra: 1 }] },
      { summary: 's', findings: [finding], extra: 1 },
      { findings: [finding] },
      { summary: 's', findings: 'none' },
      null,
      [],
    ]);
  });

  it('zod researchReportSchema matches assets/schemas/research.json', () => {
    agree('research.json', researchReportSchema, [
      research,
      { ...research, claims: [] },
      { ...research, claims: [{ ...claim, sources: [{ ref: 'x', note: 'why' }] }] },
      { ...research, claims: [{ ...claim, confidence: 'certain' }] },
      { ...research, claims: [{ ...claim, sources: [{ ref: 'x' }] }] },
      { ...research, claims: [{ ...claim, sources: [{ ref: 'x', note: 1 }] }] },
      { ...research, open_questions: [1] },
      { ...research, extra: true },
      { summary: 's', claims: [], disagreements: [] },
      'text',
    ]);
  });
});
