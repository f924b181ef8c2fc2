import { apiErrorsOf, hasApiErrorCode, isNetworkFailure, type ApiError } from '@kartoteka/portal-api';

type Translate = (key: string, params?: Record<string, unknown>) => string;

/**
 * Stable reasons (`extensions.reason`) the EDMS pages say in the UI language; other errors show the
 * API's message. Keys are i18n paths under `edms.reason`.
 */
const REASON_KEYS: Record<string, string> = {
  'document.not-editable': 'notEditable',
  'document.already-registered': 'alreadyRegistered',
  'document.cancelled': 'cancelled',
  'document.status-transition': 'statusTransition',
  'document.details-type-mismatch': 'detailsMismatch',
  'approval.use-resubmit': 'useResubmit',
  'approval.not-draft': 'notDraft',
  'approval.no-version': 'noVersion',
  'approval.template-not-found': 'templateNotFound',
  'approval.template-type': 'templateType',
  'approval.approver-unavailable': 'approverUnavailable',
  'approval.role-empty': 'roleEmpty',
  'approval.step-decided': 'stepDecided',
  'approval.step-not-pending': 'stepNotPending',
  'approval.not-rejected': 'notRejected',
  'approval.no-new-version': 'noNewVersion',
  'approval.not-active': 'notActive',
  'approver.unknown': 'approverUnknown',
  'approver.not-allowed': 'approverNotAllowed',
  'acknowledgement.no-version': 'ackNoVersion',
  'acknowledgement.unknown-user': 'ackUnknownUser',
  'acknowledgement.already': 'ackAlready',
  'version.on-approval': 'versionOnApproval',
  'version.after-signature': 'versionAfterSignature',
  'version.cancelled': 'versionCancelled',
  'file.empty': 'fileEmpty',
  'file.too-many': 'fileTooMany',
  'file.not-found': 'fileNotFound',
  'link.other-counterparty': 'linkOtherCounterparty',
  'link.kind-mismatch': 'linkKindMismatch',
  'link.duplicate': 'linkDuplicate',
  'link.target-not-found': 'linkTargetNotFound',
};

/** One error in the UI language where its reason is known, else the API's own message. */
export const errorText = (error: ApiError, t: Translate): string => {
  const key = error.reason ? REASON_KEYS[error.reason] : undefined;
  if (key) return t(`edms.reason.${key}`);
  if (error.code === 'FORBIDDEN') return t('edms.common.forbidden');
  if (error.code === 'CONFLICT') return t('edms.common.conflict');
  if (error.code === 'NOT_FOUND') return t('edms.common.notFound');
  return error.message;
};

/** One line for a failed request. */
export const describeError = (error: unknown, t: Translate): string => {
  if (!error) return '';
  if (isNetworkFailure(error)) return t('edms.common.networkError');
  if (hasApiErrorCode(error, 'FORBIDDEN')) return t('edms.common.forbidden');
  const first = apiErrorsOf(error)[0];
  if (first) return errorText(first, t);
  return t('edms.common.failed', { message: error instanceof Error ? error.message : String(error) });
};
