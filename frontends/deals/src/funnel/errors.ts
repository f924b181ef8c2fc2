import { apiErrorsOf, hasApiErrorCode, isNetworkFailure } from '@kartoteka/portal-api';

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** One line for a failed request, in the UI language where the kind of failure is known. */
export const describeError = (error: unknown, t: Translate): string => {
  if (!error) return '';
  if (isNetworkFailure(error)) return t('funnel.common.networkError');
  if (hasApiErrorCode(error, 'FORBIDDEN')) return t('funnel.common.forbidden');
  const first = apiErrorsOf(error)[0];
  if (first?.code === 'NOT_FOUND') return t('funnel.common.notFound');
  if (first?.code === 'CONFLICT') return t('funnel.move.conflict');
  if (first) return first.message;
  return t('funnel.common.failed', { message: error instanceof Error ? error.message : String(error) });
};

/** Why the server refused to move a deal. */
export type MoveRefusal = {
  /** `requirements`: required fields or actions of the current stage are missing; `conflict`: the deal changed meanwhile. */
  kind: 'requirements' | 'conflict' | 'reason' | 'other';
  message: string;
  missingFields: string[];
  missingActions: string[];
};

const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/**
 * Reads a refused `moveDeal`: `BAD_USER_INPUT` on `stageKey` with `extensions.missingFields` /
 * `missingActions` (keys of the template), on `closeReason` when a lost deal needs a reason, or `CONFLICT`
 * when the card's version is stale.
 */
export const moveRefusalOf = (error: unknown, t: Translate): MoveRefusal => {
  const first = apiErrorsOf(error)[0];
  const message = describeError(error, t);
  if (!first) return { kind: 'other', message, missingFields: [], missingActions: [] };
  if (first.code === 'CONFLICT') return { kind: 'conflict', message, missingFields: [], missingActions: [] };
  const missingFields = stringList(first.details.missingFields);
  const missingActions = stringList(first.details.missingActions);
  if (missingFields.length > 0 || missingActions.length > 0) return { kind: 'requirements', message, missingFields, missingActions };
  if (first.code === 'BAD_USER_INPUT' && first.field === 'closeReason') return { kind: 'reason', message, missingFields, missingActions };
  return { kind: 'other', message, missingFields, missingActions };
};
