import { IsInt, IsObject, IsOptional, Matches, Max, Min, ValidateBy, type ValidationOptions } from 'class-validator';
import { GraphQLJSONObject, SafeIntResolver } from 'graphql-scalars';
import { Field } from 'type-graphql';
import { isCalendarDate, isIsoDateTime, JSON_INPUT_LIMITS } from './input-values';
import { MAX_AMOUNT_MINOR } from './money';

function combine(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

export const DATE_MESSAGE = 'Enter a real calendar date as YYYY-MM-DD, e.g. 2025-03-31';
export const DATE_TIME_MESSAGE = 'Enter a real date-time in ISO 8601 with its offset, e.g. 2026-03-31T09:00:00Z';
export const AMOUNT_MESSAGE = `An amount is a whole number of minor units (kopecks) from 0 to ${MAX_AMOUNT_MINOR} (${MAX_AMOUNT_MINOR / 100} in major units)`;

/** class-validator rule: a real calendar day as `YYYY-MM-DD` (see isCalendarDate). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isCalendarDate', validator: { validate: (value) => isCalendarDate(value), defaultMessage: () => DATE_MESSAGE } }, options);
}

/** class-validator rule: an ISO 8601 date-time with an offset on a real day (see isIsoDateTime). */
export function IsIsoDateTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isIsoDateTime', validator: { validate: (value) => isIsoDateTime(value), defaultMessage: () => DATE_TIME_MESSAGE } }, options);
}

/** An amount in minor units: a whole number from 0 to MAX_AMOUNT_MINOR (see money.ts for why that bound). */
export function AmountMinorField(description = 'Amount in minor units (kopecks), >= 0'): PropertyDecorator {
  return combine(
    Field(() => SafeIntResolver, { description }),
    IsInt({ message: AMOUNT_MESSAGE }),
    Min(0, { message: 'Amount cannot be negative' }),
    Max(MAX_AMOUNT_MINOR, { message: AMOUNT_MESSAGE }),
  );
}

/** An optional amount in minor units (kopecks): a whole number from 0 to MAX_AMOUNT_MINOR. */
export function OptionalAmountMinorField(description = 'Amount in minor units (kopecks), >= 0'): PropertyDecorator {
  return combine(
    Field(() => SafeIntResolver, { nullable: true, description }),
    IsOptional(),
    IsInt({ message: AMOUNT_MESSAGE }),
    Min(0, { message: 'Amount cannot be negative' }),
    Max(MAX_AMOUNT_MINOR, { message: AMOUNT_MESSAGE }),
  );
}

/** An optional ISO 4217 currency code; the service defaults it to RUB. */
export function OptionalCurrencyField(): PropertyDecorator {
  return combine(
    Field(() => String, { nullable: true, description: 'ISO 4217 code of the amount; RUB when omitted' }),
    IsOptional(),
    Matches(/^[A-Z]{3}$/, { message: 'Currency must be an ISO 4217 code of three capital letters, e.g. RUB' }),
  );
}

/** A required calendar date as `YYYY-MM-DD` that must exist (no 2025-02-30, no 2025-13-01). */
export function IsoDateField(description: string): PropertyDecorator {
  return combine(Field(() => String, { description }), IsCalendarDate());
}

/** An optional calendar date as `YYYY-MM-DD` that must exist (no 2025-02-30, no 2025-13-01). */
export function OptionalIsoDateField(description: string): PropertyDecorator {
  return combine(Field(() => String, { nullable: true, description }), IsOptional(), IsCalendarDate());
}

/** An optional ISO 8601 date-time with its offset, on a real day (e.g. a deadline). */
export function OptionalIsoDateTimeField(description: string): PropertyDecorator {
  return combine(Field(() => String, { nullable: true, description }), IsOptional(), IsIsoDateTime());
}

/**
 * A free-form JSON object (a template definition, form data, an imported file). Every JSON input is held to
 * JSON_INPUT_LIMITS — depth, size, storable text — by the schema-wide guard (input-guard.ts), whichever
 * argument or input field it arrives in; this decorator adds only "must be an object".
 */
export function JsonObjectField(options: { description?: string; nullable?: boolean; message?: string } = {}): PropertyDecorator {
  const limits = `at most ${JSON_INPUT_LIMITS.maxDepth} levels deep and ${JSON_INPUT_LIMITS.maxBytes / 1024} KiB`;
  const field = Field(() => GraphQLJSONObject, { nullable: options.nullable ?? false, description: options.description });
  const object = IsObject({ message: options.message ?? `Must be a JSON object (${limits})` });
  return options.nullable ? combine(field, IsOptional(), object) : combine(field, object);
}
