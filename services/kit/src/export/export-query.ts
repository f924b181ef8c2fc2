import { validate } from 'class-validator';
import { UserInputError } from '../errors/domain-errors';
import { isUuid } from '../schema/ids';

/**
 * The filters an export accepts in its query string: the same names and values as the arguments of the list's
 * GraphQL query, so the portal sends the variables of the list it shows.
 */
export type ExportFilterSpec =
  | { type: 'text'; max?: number }
  | { type: 'uuid' }
  | { type: 'date' }
  | { type: 'number'; min?: number; max?: number }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'enum-list'; values: readonly string[]; max?: number };

export type ExportFilterValue = string | number | string[];

export type ExportFilterSpecs<Filter> = { readonly [Name in keyof Filter]-?: ExportFilterSpec };

/** What express (or node's querystring) makes of a query string. */
export type QueryValues = Record<string, unknown>;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function isCalendarDay(value: string): boolean {
  if (!ISO_DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const invalid = (field: string, message: string, extra: Record<string, unknown> = {}) => new UserInputError(field, message, { reason: 'export.invalid-filter', ...extra });

function textsOf(name: string, raw: unknown): string[] {
  const values = Array.isArray(raw) ? raw : [raw];
  if (!values.every((value) => typeof value === 'string')) throw invalid(name, `${name} is not a plain value`);
  return values as string[];
}

function single(name: string, raw: unknown): string {
  const values = textsOf(name, raw);
  if (values.length > 1) throw invalid(name, `${name} is given more than once`);
  return values[0];
}

function parseOne(name: string, spec: ExportFilterSpec, raw: unknown): ExportFilterValue | null {
  if (spec.type === 'enum-list') {
    const values = textsOf(name, raw)
      .flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .filter(Boolean);
    if (!values.length) return null;
    const unknown = values.find((value) => !spec.values.includes(value));
    if (unknown !== undefined) throw invalid(name, `${name} is one or more of ${spec.values.join(', ')}`, { allowed: spec.values });
    if (spec.max !== undefined && values.length > spec.max) throw invalid(name, `At most ${spec.max} values of ${name}`);
    return [...new Set(values)];
  }
  const value = single(name, raw).trim();
  if (!value) return null; // an empty filter in the URL is no filter (as on the list's page)
  switch (spec.type) {
    case 'text':
      if (value.length > (spec.max ?? 200)) throw invalid(name, `${name} must be at most ${spec.max ?? 200} characters long`);
      return value;
    case 'uuid':
      if (!isUuid(value)) throw invalid(name, `${name} is not a valid id`);
      return value.toLowerCase();
    case 'date':
      if (!isCalendarDay(value)) throw invalid(name, `${name} must be a date, YYYY-MM-DD`);
      return value;
    case 'number': {
      const number = Number(value);
      if (!Number.isFinite(number)) throw invalid(name, `${name} must be a number`);
      if ((spec.min !== undefined && number < spec.min) || (spec.max !== undefined && number > spec.max)) throw invalid(name, `${name} must be between ${spec.min ?? '-∞'} and ${spec.max ?? '∞'}`);
      return number;
    }
    case 'enum':
      if (!spec.values.includes(value)) throw invalid(name, `${name} is one of ${spec.values.join(', ')}`, { allowed: spec.values });
      return value;
  }
}

/**
 * Reads the filters of an export from its query string: every name must be one the list knows (an unknown one
 * is refused, not ignored — a typo would otherwise export everything), every value valid for its type; empty
 * values are left out. Throws UserInputError (`field` = the parameter, `reason` = `export.unknown-filter` or
 * `export.invalid-filter`).
 */
export function parseExportFilters<Filter>(query: QueryValues, specs: ExportFilterSpecs<Filter>): Partial<Filter> {
  const filter: Record<string, ExportFilterValue> = {};
  const known = specs as Readonly<Record<string, ExportFilterSpec>>;
  for (const [name, raw] of Object.entries(query)) {
    const spec = Object.hasOwn(known, name) ? known[name] : undefined;
    if (!spec) throw new UserInputError(name, `Unknown filter ${name}; known: ${Object.keys(known).join(', ')}`, { reason: 'export.unknown-filter', allowed: Object.keys(known) });
    const value = parseOne(name, spec, raw);
    if (value !== null) filter[name] = value;
  }
  return filter as Partial<Filter>;
}

/**
 * Holds the filters to the list's own argument class (its class-validator rules: the GraphQL query's
 * validation, applied the same way), so an export refuses what the list refuses. First problem → UserInputError.
 */
export async function validateExportFilters(type: new () => object, filter: Record<string, unknown>): Promise<void> {
  const instance = Object.assign(new type(), filter);
  const [error] = await validate(instance, { forbidUnknownValues: false, stopAtFirstError: true, skipMissingProperties: true });
  if (!error) return;
  const message = Object.values(error.constraints ?? {})[0] ?? `${error.property} is not valid`;
  throw new UserInputError(error.property, message, { reason: 'export.invalid-filter' });
}
