import Ajv, { type JSONSchemaType, type ValidateFunction } from 'ajv';
import type { BusEvent } from '../event-bus';
import { isCalendarDate, isIsoDateTime } from '../../schema/input-values';

/**
 * One validator for every contract: JSON Schema (draft-07) checked by ajv. `allErrors` stays off (the first
 * problem is enough to park an event), extra properties are allowed so a producer may add a field before its
 * consumers read it. Made, like each contract's compiled schema, on first use: compiling every contract when kit
 * loads cost each process (and each test file) ~0.2 s, most of it for topics that process never reads.
 */
let ajv: Ajv | undefined;

export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** ISO-8601 date-time as `Date.toISOString()` writes it (a UTC offset is accepted too). */
export const DATE_TIME_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$';

/** A calendar date (no time), YYYY-MM-DD. */
export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/** The outcome of reading a payload: the typed value, or why it is malformed. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * The contract of one or more event topics sharing one payload: the producer builds a `T` and publishes it; the
 * consumer parses what arrives with `parse` and parks what does not fit (never trusts the bus).
 */
export type EventContract<T> = {
  topics: readonly string[];
  /** Checks a payload against the schema (and `refine`); ids are lower-cased by the caller's schema rules. */
  parse: (event: Pick<BusEvent, 'payload'>) => ParseResult<T>;
  /** The JSON Schema of the wire payload (read by the compatibility check of the contracts, never changed). */
  schema: Readonly<Record<string, unknown>>;
};

function describe(validate: ValidateFunction): string {
  const [first] = validate.errors ?? [];
  return first ? `${first.instancePath || 'payload'} ${first.message ?? 'is invalid'}` : 'payload is invalid';
}

/**
 * Declares a contract over the wire shape `W` (optional keys allowed). `refine` runs after the schema matched, for rules JSON Schema cannot say (a real
 * calendar date), and may normalize (e.g. lower-case ids); it returns an error message or the value.
 */
export function defineContract<T, W = T>(topics: readonly string[], schema: JSONSchemaType<W>, refine: (value: W) => T | string): EventContract<T> {
  let validate: ValidateFunction<W> | undefined;
  return {
    topics,
    schema: schema as unknown as Record<string, unknown>,
    parse: (event) => {
      const payload: unknown = event.payload;
      validate ??= (ajv ??= new Ajv({ allErrors: false, strict: true })).compile(schema);
      if (!validate(payload)) return { ok: false, error: describe(validate) };
      const refined = refine(structuredClone(payload) as W);
      return typeof refined === 'string' ? { ok: false, error: refined } : { ok: true, value: refined };
    },
  };
}

/** The payload as it may arrive: the keys `K` (nullable in `T`) may also be missing. */
export type WireOf<T, K extends keyof T> = Omit<T, K> & { [P in K]?: T[P] };

/** `true` when `value` is a date-time a `Date` can hold (the pattern alone accepts 2026-02-31T…): the inputs' rule. */
export function isRealDateTime(value: string): boolean {
  return isIsoDateTime(value);
}

/** `true` when `value` (YYYY-MM-DD) is a real calendar date (the pattern alone accepts 2026-02-31): the inputs' rule. */
export function isRealDate(value: string): boolean {
  return isCalendarDate(value);
}
