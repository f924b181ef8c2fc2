import type { GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { ValidationError } from 'class-validator';
import { isDatabaseUnavailable } from './database-unavailable';
import { DomainError } from './domain-errors';

const PASSTHROUGH_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
  'SERVICE_UNAVAILABLE',
]);

function firstViolation(errors: ValidationError[], prefix = ''): { field: string; message: string } | null {
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      const message = Object.values(error.constraints)[0];
      if (message) return { field: path, message };
    }
    if (error.children?.length) {
      const nested = firstViolation(error.children, path);
      if (nested) return nested;
    }
  }
  return null;
}

/** Strips an argument wrapper class name (`input`) from validation paths so `field` names the input field. */
function stripArgumentName(field: string): string {
  return field.replace(/^input\./, '');
}

/**
 * The argument named by graphql-js's own refusal of an argument value at execution time: an explicit `null`
 * variable for a non-null argument that has a default (`counterparties(first: $first)` with `first: null`
 * passes validation, then execution refuses it). A request error, not a bug: BAD_USER_INPUT on that field.
 */
function refusedArgument(error: unknown): string | null {
  const inner = (error as { originalError?: unknown } | null)?.originalError ?? error;
  if (!(inner instanceof Error) || inner.name !== 'GraphQLError' || (inner as { originalError?: unknown }).originalError) return null;
  return /^Argument "([^"]+)" (?:of non-null type "[^"]+" must not be null|has invalid value)/.exec(inner.message)?.[1] ?? null;
}

/**
 * True for an error no typed code explains — a bug or an outage, logged with its stack (formatError hides it
 * from the client as INTERNAL_SERVER_ERROR); false for domain errors, validation failures and request errors.
 */
export function isInternalError(error: unknown): boolean {
  const original = unwrapResolverError(error);
  if (original instanceof ArgumentValidationError || original instanceof DomainError || refusedArgument(original)) return false;
  const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  return !(typeof code === 'string' && PASSTHROUGH_CODES.has(code));
}

export type FormatErrorOptions = { exposeInternals: boolean; onInternalError?: (error: unknown) => void };

/**
 * graphql-js suggests names in some messages (`Value "LETTER" does not exist in "DocumentType" enum. Did you mean
 * the enum value "OTHER"?`), which tells a stranger the schema piece by piece: production drops the suggestion.
 */
export const withoutSuggestion = (message: string): string => message.replace(/\s*Did you mean [^?]*\?\s*$/, '');

/**
 * Maps every error leaving a server to the public shape: domain errors keep their code and extensions,
 * class-validator failures become BAD_USER_INPUT with `field`, everything else becomes a bare
 * INTERNAL_SERVER_ERROR (details only in development). Stack traces never leave; nor, in production, do
 * graphql-js's name suggestions.
 */
export function createFormatError(options: FormatErrorOptions) {
  const format = formatWithSuggestions(options);
  if (options.exposeInternals) return format;
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = format(formatted, error);
    return { ...result, message: withoutSuggestion(result.message) };
  };
}

function formatWithSuggestions(options: FormatErrorOptions) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof ArgumentValidationError) {
      const violation = firstViolation(original.extensions.validationErrors as unknown as ValidationError[]);
      return {
        message: violation?.message ?? 'Invalid input',
        path: formatted.path,
        extensions: { code: 'BAD_USER_INPUT', field: violation ? stripArgumentName(violation.field) : undefined },
      };
    }
    if (original instanceof DomainError) {
      const { stacktrace: _s, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
      return { message: formatted.message, path: formatted.path, locations: formatted.locations, extensions };
    }
    const argument = refusedArgument(original);
    if (argument) return { message: formatted.message, path: formatted.path, extensions: { code: 'BAD_USER_INPUT', field: argument } };
    const code = (formatted.extensions?.code as string | undefined) ?? 'INTERNAL_SERVER_ERROR';
    if (PASSTHROUGH_CODES.has(code)) {
      const { stacktrace: _s, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions };
    }
    options.onInternalError?.(original);
    if (isDatabaseUnavailable(original)) {
      return { message: 'The service cannot reach its database right now; try again shortly', path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE' } };
    }
    return {
      message: options.exposeInternals ? formatted.message : 'Internal server error',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
