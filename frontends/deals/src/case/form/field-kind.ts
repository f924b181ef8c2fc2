import { isControl, Resolve, type JsonSchema, type TesterContext, type UISchemaElement } from '@jsonforms/core';
import { FIELD_TYPES, type FieldOption, type FieldType } from '../../model/template-definition';

/**
 * Which of the template's field types a control of the server's JSON Schema + UI schema shows. The server
 * may say it (UI schema option `fieldType`, or an `x-fieldType` schema keyword); else the version's
 * definition does (form config `fieldTypes`, by field key); else the schema's shape decides.
 */

/** The JSON Forms `config` of a case form. */
export type CaseFormConfig = {
  /** Field key → type, from the template version's definition. */
  fieldTypes?: Record<string, FieldType>;
  /** Field key → options of a select, from the definition (labels when the schema has only `enum`). */
  fieldOptions?: Record<string, FieldOption[]>;
};

type SchemaLike = JsonSchema & Record<string, unknown>;

const asFieldType = (value: unknown): FieldType | null =>
  typeof value === 'string' && (FIELD_TYPES as readonly string[]).includes(value.toUpperCase()) ? (value.toUpperCase() as FieldType) : null;

/** `#/properties/budget` → `budget` (nested: `#/properties/a/properties/b` → `a.b`). */
export const keyOfScope = (scope: string): string =>
  scope
    .replace(/^#\/?/, '')
    .split('/')
    .filter((part, i) => !(part === 'properties' && i % 2 === 0))
    .join('.');

const hasType = (schema: SchemaLike, type: string): boolean => schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type as never));

const isMoneyShape = (schema: SchemaLike): boolean => {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  return hasType(schema, 'object') && 'currency' in properties;
};

const isOptionsShape = (schema: SchemaLike | undefined): boolean =>
  Boolean(schema && (Array.isArray(schema.enum) || (Array.isArray(schema.oneOf) && schema.oneOf.every((entry) => typeof entry === 'object' && entry !== null && 'const' in entry))));

/** The type of the field a control shows (null: not a control of a case form). */
export const fieldKindOf = (uischema: UISchemaElement, schema: JsonSchema, context: TesterContext): FieldType | null => {
  if (!isControl(uischema)) return null;
  const options = (uischema.options ?? {}) as Record<string, unknown>;
  const resolved = (Resolve.schema(schema, uischema.scope, context?.rootSchema) ?? {}) as SchemaLike;
  const config = (context?.config ?? {}) as CaseFormConfig;
  const key = keyOfScope(uischema.scope);
  const declared =
    asFieldType(options.fieldType) ??
    asFieldType(resolved['x-fieldType']) ??
    asFieldType(resolved['x-field-type']) ??
    asFieldType(resolved['x-kartoteka-type']) ??
    asFieldType(resolved['x-type']) ??
    config.fieldTypes?.[key] ??
    null;
  if (declared) return declared;
  if (hasType(resolved, 'boolean')) return 'BOOLEAN';
  if (hasType(resolved, 'array')) return 'MULTI_SELECT';
  if (isMoneyShape(resolved)) return 'MONEY';
  if (isOptionsShape(resolved)) return 'SELECT';
  if (hasType(resolved, 'number') || hasType(resolved, 'integer')) return 'NUMBER';
  if (resolved.format === 'date' || options.format === 'date') return 'DATE';
  if (hasType(resolved, 'string')) return options.multi === true ? 'LONG_TEXT' : 'TEXT';
  return null;
};

/** Options of a select: `oneOf` of `{ const, title }`, or `enum` named by the definition (or by themselves). */
export const optionsOf = (schema: JsonSchema | undefined, key: string, config: CaseFormConfig | undefined): FieldOption[] => {
  const source = (schema ?? {}) as SchemaLike;
  const named = new Map((config?.fieldOptions?.[key] ?? []).map((option) => [option.value, option.label]));
  if (Array.isArray(source.oneOf)) {
    return source.oneOf
      .filter((entry): entry is SchemaLike => typeof entry === 'object' && entry !== null && 'const' in entry)
      .map((entry) => ({ value: String(entry.const), label: typeof entry.title === 'string' ? entry.title : (named.get(String(entry.const)) ?? String(entry.const)) }));
  }
  if (Array.isArray(source.enum)) return source.enum.map((value) => ({ value: String(value), label: named.get(String(value)) ?? String(value) }));
  return config?.fieldOptions?.[key] ?? [];
};
