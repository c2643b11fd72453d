import { createRequire } from 'node:module';
import type * as AjvNs from 'ajv';
import type * as YamlNs from 'yaml';

const require = createRequire(import.meta.url);

type AjvModule = typeof AjvNs;
type YamlModule = typeof YamlNs;

let ajv: AjvModule | undefined;
let yaml: YamlModule | undefined;

/**
 * Heavy parsers load on first use, not at CLI start: most commands never validate a schema or
 * read YAML, and `baton ps` should stay small and fast.
 */
export function loadAjv(): AjvModule {
  ajv ??= require('ajv') as AjvModule;
  return ajv;
}

/** See loadAjv. */
export function loadYaml(): YamlModule {
  yaml ??= require('yaml') as YamlModule;
  return yaml;
}
