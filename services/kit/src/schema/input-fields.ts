import { IsISO8601, IsOptional, Matches, Min } from 'class-validator';
import { SafeIntResolver } from 'graphql-scalars';
import { Field } from 'type-graphql';

function combine(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** An optional amount in minor units (kopecks), never negative. */
export function OptionalAmountMinorField(description = 'Amount in minor units (kopecks), >= 0'): PropertyDecorator {
  return combine(Field(() => SafeIntResolver, { nullable: true, description }), IsOptional(), Min(0, { message: 'Amount cannot be negative' }));
}

/** An optional ISO 4217 currency code; the service defaults it to RUB. */
export function OptionalCurrencyField(): PropertyDecorator {
  return combine(
    Field(() => String, { nullable: true, description: 'ISO 4217 code of the amount; RUB when omitted' }),
    IsOptional(),
    Matches(/^[A-Z]{3}$/, { message: 'Currency must be an ISO 4217 code of three capital letters, e.g. RUB' }),
  );
}

/** An optional calendar date as `YYYY-MM-DD` that must exist (no 2025-02-30). */
export function OptionalIsoDateField(description: string): PropertyDecorator {
  return combine(
    Field(() => String, { nullable: true, description }),
    IsOptional(),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'Enter the date as YYYY-MM-DD, e.g. 2025-03-31' }),
    IsISO8601({ strict: true }, { message: 'This date does not exist' }),
  );
}
