import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { loadAjv } from '../util/lazy.js';
import { BatonError, badInput } from '../errors.js';

function compile(schema: unknown): ValidateFunction {
  const { Ajv } = loadAjv();
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema as object);
}

/**
 * Reads and checks a `--schema` file before anything is spawned: it must exist, be JSON, and be a
 * JSON Schema ajv can compile. Returns the parsed schema.
 */
export function loadSchemaFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new BatonError('NOT_FOUND', `--schema: cannot read ${file}; give a path to a JSON Schema file`);
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (cause) {
    throw badInput(`--schema: ${file} is not valid JSON (${(cause as Error).message})`);
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw badInput(`--schema: ${file} must hold a JSON Schema object, e.g. {"type":"object",...}`);
  }
  try {
    compile(schema);
  } catch (cause) {
    throw badInput(`--schema: ${file} is not a usable JSON Schema (${(cause as Error).message})`);
  }
  return schema;
}

/**
 * Codex passes `--output-schema` to the model but does not check the reply; baton does.
 * Returns null when the message is JSON matching the schema, else the reason it does not.
 */
export function checkAgainstSchema(schemaFile: string, message: string | null): string | null {
  if (message === null || message.trim() === '') return 'final message is empty, but --schema requires JSON';
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return `final message is not JSON, but --schema requires it: ${message.slice(0, 120)}`;
  }
  const validate = compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
  if (validate(value)) return null;
  const errors = (validate.errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
    .join('; ');
  return `final message does not match --schema: ${errors}`;
}
