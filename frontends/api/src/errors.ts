/** Error codes the gateway puts in `extensions.code`. */
export type ApiErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'RATE_LIMITED';

export type ApiError = {
  message: string;
  /** `extensions.code`, when present. */
  code: string | null;
  /** `extensions.field` of a BAD_USER_INPUT error: the input path, e.g. `inn` or `bankAccounts.0.account`. */
  field: string | null;
  /** `extensions.reason`: a stable code of the rule that failed (e.g. `inn.checksum`), for a localized message. */
  reason: string | null;
  /** The other `extensions` (e.g. `existingId`, `existingName` of a duplicate). */
  details: Record<string, unknown>;
};

type ErrorLike = { message?: unknown; extensions?: unknown };

const toApiError = (raw: ErrorLike): ApiError => {
  const ext = (typeof raw.extensions === 'object' && raw.extensions !== null ? raw.extensions : {}) as Record<string, unknown>;
  return {
    message: typeof raw.message === 'string' ? raw.message : '',
    code: typeof ext.code === 'string' ? ext.code : null,
    field: typeof ext.field === 'string' ? ext.field : null,
    reason: typeof ext.reason === 'string' ? ext.reason : null,
    details: ext,
  };
};

const asErrorList = (value: unknown): ErrorLike[] =>
  Array.isArray(value) ? value.filter((item): item is ErrorLike => typeof item === 'object' && item !== null) : [];

/**
 * The GraphQL errors inside anything Apollo may throw or return: an ApolloError (its graphQLErrors,
 * or the `errors` of a non-2xx response in networkError.result), or a plain list of GraphQL errors.
 */
export const apiErrorsOf = (error: unknown): ApiError[] => {
  if (Array.isArray(error)) return asErrorList(error).map(toApiError);
  if (typeof error !== 'object' || error === null) return [];
  const e = error as { graphQLErrors?: unknown; networkError?: unknown; errors?: unknown };
  const fromGraphQL = asErrorList(e.graphQLErrors ?? e.errors);
  const network = e.networkError as { result?: { errors?: unknown } } | null | undefined;
  const fromNetwork = asErrorList(network?.result?.errors);
  return [...fromGraphQL, ...fromNetwork].map(toApiError);
};

export const hasApiErrorCode = (error: unknown, code: ApiErrorCode): boolean =>
  apiErrorsOf(error).some((e) => e.code === code);

/** True when the request never got a GraphQL answer (gateway down, CORS, offline). */
export const isNetworkFailure = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { networkError?: unknown };
  return Boolean(e.networkError) && apiErrorsOf(error).length === 0;
};

/** The first GraphQL error's message, else the error's own message (for "failed: …" lines). */
export const apiErrorMessage = (error: { message: string }): string => apiErrorsOf(error)[0]?.message ?? error.message;
