import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { UserInputError } from '@kartoteka/kit';
import type { CaseDefinition, FieldOption, FormField } from './case-template.definition';

/** A JSON value as form data holds it. */
export type FormValue = string | number | boolean | null | FormValue[] | { [key: string]: FormValue };
export type FormData = { [key: string]: FormValue };
export type JsonSchemaObject = { [key: string]: unknown };

const CURRENCY_PATTERN = '^[A-Z]{3}$';

function options(list: FieldOption[] | null | undefined): { const: string; title: string }[] {
  return (list ?? []).map((option) => ({ const: option.value, title: option.label }));
}

function definedOnly(schema: Record<string, unknown>): JsonSchemaObject {
  return Object.fromEntries(Object.entries(schema).filter(([, value]) => value !== null && value !== undefined));
}

/** The JSON Schema of one field's value. */
function fieldSchema(field: FormField): JsonSchemaObject {
  const title = field.label;
  switch (field.type) {
    case 'TEXT':
    case 'LONG_TEXT':
      return definedOnly({ type: 'string', title, minLength: field.minLength, maxLength: field.maxLength, pattern: field.pattern });
    case 'NUMBER':
      return definedOnly({ type: 'number', title, minimum: field.min, maximum: field.max });
    case 'MONEY':
      return {
        type: 'object',
        title,
        properties: {
          amountMinor: definedOnly({ type: 'integer', title: 'Amount (minor units)', minimum: Math.max(0, field.min ?? 0), maximum: field.max }),
          currency: { type: 'string', title: 'Currency', pattern: CURRENCY_PATTERN, default: 'RUB' },
        },
        required: ['amountMinor', 'currency'],
        additionalProperties: false,
      };
    case 'DATE':
      return { type: 'string', title, format: 'date' };
    case 'SELECT':
      return { type: 'string', title, oneOf: options(field.options) };
    case 'MULTI_SELECT':
      return definedOnly({ type: 'array', title, uniqueItems: true, items: { type: 'string', oneOf: options(field.options) }, minItems: field.min, maxItems: field.max });
    case 'BOOLEAN':
      return { type: 'boolean', title };
    case 'CONTACT':
    case 'USER':
    case 'FILE':
      return { type: 'string', title, format: 'uuid' };
  }
}

/**
 * The JSON Schema of a deal's form data (draft-07): the same document drives the portal's JSON Forms and the
 * server's ajv. MONEY is `{ amountMinor, currency }`, DATE a `YYYY-MM-DD` string, CONTACT/USER/FILE uuids.
 * `required` lists the always-required fields; per-stage requirements are checked when a deal moves.
 */
export function formJsonSchema(definition: CaseDefinition): JsonSchemaObject {
  const required = definition.form.fields.filter((field) => field.required).map((field) => field.key);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: Object.fromEntries(definition.form.fields.map((field) => [field.key, fieldSchema(field)])),
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
}

/** The JSON Forms UI schema: a vertical layout of one group per section, a control per field (LONG_TEXT multi-line). */
export function formUiSchema(definition: CaseDefinition): JsonSchemaObject {
  const byKey = new Map(definition.form.fields.map((field) => [field.key, field]));
  return {
    type: 'VerticalLayout',
    elements: definition.form.sections.map((section) => ({
      type: 'Group',
      label: section.title,
      elements: section.fields.map((key) => {
        const field = byKey.get(key);
        return { type: 'Control', scope: `#/properties/${key}`, label: field?.label ?? key, ...(field?.type === 'LONG_TEXT' ? { options: { multi: true } } : {}) };
      }),
    })),
  };
}

const formAjv = new Ajv({ allErrors: false, strict: false });
addFormats(formAjv, ['date', 'uuid']);

/** Compiled validators of immutable template versions, by version id (bounded). */
const validators = new Map<string, ValidateFunction>();
const MAX_CACHED = 500;

function validatorFor(cacheKey: string | null, definition: CaseDefinition): ValidateFunction {
  const cached = cacheKey ? validators.get(cacheKey) : undefined;
  if (cached) return cached;
  const validate = formAjv.compile(formJsonSchema(definition));
  if (cacheKey) {
    if (validators.size >= MAX_CACHED) validators.delete(validators.keys().next().value as string);
    validators.set(cacheKey, validate);
  }
  return validate;
}

/** Whether a value counts as filled in: not empty, and a checkbox only when ticked. */
export function isFilled(field: Pick<FormField, 'type'>, value: FormValue | undefined): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (field.type === 'BOOLEAN') return value === true;
  return true;
}

/** Drops empty values (null, '', []), so "cleared" and "never filled" are the same. */
export function compactFormData(data: Record<string, unknown>): FormData {
  const result: FormData = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    result[key] = value as FormValue;
  }
  return result;
}

function messageOf(field: FormField | undefined, error: ErrorObject): string {
  const label = field ? `«${field.label}»` : 'This field';
  const limit = String(error.params.limit ?? '');
  switch (error.keyword) {
    case 'required':
      return `Fill in ${label}`;
    case 'additionalProperties':
      return 'There is no such field in the form';
    case 'type':
      return `${label} must be ${error.params.type === 'integer' ? 'a whole number' : `a ${String(error.params.type)}`}`;
    case 'minimum':
      return `${label} must be at least ${limit}`;
    case 'maximum':
      return `${label} must be at most ${limit}`;
    case 'minLength':
      return `${label} must be at least ${limit} characters long`;
    case 'maxLength':
      return `${label} must be at most ${limit} characters long`;
    case 'pattern':
      return error.params.pattern === CURRENCY_PATTERN ? `${label}: the currency must be an ISO 4217 code, e.g. RUB` : `${label} does not match the required format`;
    case 'format':
      return error.params.format === 'date' ? `${label} must be a date, YYYY-MM-DD` : `${label} must be an id (uuid)`;
    case 'const':
    case 'oneOf':
    case 'enum':
      return `${label}: choose one of the options`;
    case 'minItems':
      return `${label}: choose at least ${limit}`;
    case 'maxItems':
      return `${label}: choose at most ${limit}`;
    case 'uniqueItems':
      return `${label}: choose each option once`;
    default:
      return `${label}: ${error.message ?? 'invalid value'}`;
  }
}

/**
 * Validates form data against a template version's schema; throws BAD_USER_INPUT with `field` =
 * `formData.<key>` and a message naming the field. Returns the compacted data that is stored.
 */
export function validateFormData(definition: CaseDefinition, data: Record<string, unknown>, cacheKey: string | null): FormData {
  const compacted = compactFormData(data);
  const validate = validatorFor(cacheKey, definition);
  const byKey = new Map(definition.form.fields.map((field) => [field.key, field]));
  if (!validate(compacted)) {
    const error = validate.errors?.[0];
    if (!error) throw new UserInputError('formData', 'The form data is not valid');
    const key = error.keyword === 'required' ? String(error.params.missingProperty) : error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : error.instancePath.split('/')[1];
    const field = key ? byKey.get(key) : undefined;
    throw new UserInputError(key ? `formData.${key}` : 'formData', messageOf(field, error), { rule: error.keyword });
  }
  for (const field of definition.form.fields) {
    if (field.required && !isFilled(field, compacted[field.key])) throw new UserInputError(`formData.${field.key}`, `Fill in «${field.label}»`, { rule: 'required' });
  }
  return compacted;
}

/** Keys of the fields among `keys` that are not filled in. */
export function missingFields(definition: CaseDefinition, keys: readonly string[], data: FormData): string[] {
  const byKey = new Map(definition.form.fields.map((field) => [field.key, field]));
  return keys.filter((key) => {
    const field = byKey.get(key);
    return !field || !isFilled(field, data[key]);
  });
}
