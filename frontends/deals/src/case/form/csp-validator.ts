import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import type { ErrorTranslator } from '@jsonforms/core';

/**
 * The JSON Schema validator of case forms. JSON Forms validates with ajv, which compiles every schema into
 * code (`new Function`) — refused by the portal's Content Security Policy (no `unsafe-eval`). This adapter gives
 * JSON Forms the part of ajv's interface it uses (`compile`, `validate`) over @cfworker/json-schema, an
 * interpreting validator of the same JSON Schema drafts: the very schema the server checks with ajv, checked
 * here without code generation. Its results become ajv-style errors (`instancePath`, `keyword`, `params`,
 * `parentSchema`) so JSON Forms places them at their controls.
 */

type AjvError = Parameters<ErrorTranslator>[0];
type ValidateFunction = ((data: unknown) => boolean) & { errors: AjvError[] | null; schema: unknown };

/** Keywords that only say "something below failed": the failure below is the one to show. */
const WRAPPERS = new Set(['properties', 'items', 'additionalItems', 'allOf', 'anyOf', '$ref', 'if', 'then', 'else', 'contains', 'dependentSchemas', 'patternProperties', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', '$recursiveRef', '$dynamicRef']);
const LIMITS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'multipleOf']);

const decodePointer = (part: string): string => {
  let text = part;
  try {
    text = decodeURIComponent(part);
  } catch {
    // keep as it is
  }
  return text.replace(/~1/g, '/').replace(/~0/g, '~');
};

/** `#/properties/a/minimum` → the schema holding `minimum` (`…/a`). */
const parentSchemaOf = (root: unknown, keywordLocation: string): Record<string, unknown> | undefined => {
  const parts = keywordLocation.replace(/^#\/?/, '').split('/').filter((part) => part !== '').map(decodePointer);
  parts.pop();
  let node: unknown = root;
  for (const part of parts) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node !== null && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
};

const quoted = (text: string): string | undefined => /"((?:[^"\\]|\\.)*)"/.exec(text)?.[1];

const toAjvError = (root: unknown, unit: OutputUnit): AjvError => {
  const parentSchema = parentSchemaOf(root, unit.keywordLocation);
  const instancePath = unit.instanceLocation.replace(/^#/, '');
  const params: Record<string, unknown> = {};
  if (unit.keyword === 'required') params.missingProperty = quoted(unit.error) ?? '';
  else if (unit.keyword === 'additionalProperties') params.additionalProperty = quoted(unit.error) ?? '';
  else if (LIMITS.has(unit.keyword)) params.limit = parentSchema?.[unit.keyword];
  else if (unit.keyword === 'pattern') params.pattern = parentSchema?.pattern;
  else if (unit.keyword === 'format') params.format = parentSchema?.format;
  else if (unit.keyword === 'type') params.type = parentSchema?.type;
  return { instancePath, schemaPath: unit.keywordLocation, keyword: unit.keyword, params, message: unit.error, parentSchema } as AjvError;
};

/** The failures a person can act on: no wrappers, no per-option `const` misses of a `oneOf` list (its `oneOf` error says it). */
const meaningful = (unit: OutputUnit): boolean => !WRAPPERS.has(unit.keyword) && !/\/oneOf\/\d+\/(const|enum|type)$/.test(unit.keywordLocation);

const compile = (schema: unknown): ValidateFunction => {
  const validator = new Validator(schema as Schema, '7', false);
  const validate = ((data: unknown) => {
    const result = validator.validate(data);
    validate.errors = result.valid ? null : result.errors.filter(meaningful).map((unit) => toAjvError(schema, unit));
    return result.valid;
  }) as ValidateFunction;
  validate.errors = null;
  validate.schema = schema;
  return validate;
};

/** What JSON Forms calls on its `ajv` (compile for validation, validate for rule conditions). */
export const cspValidator = {
  compile,
  validate: (schema: unknown, data: unknown): boolean => compile(schema)(data),
};
