import { isBlank } from './digits';
import { requisiteIssue, type RequisiteIssue } from './issues';
import type { CounterpartyKindCode } from './kind';

/**
 * KPP: 4 digits (tax office code), 2 characters of reason code (digits or capital Latin letters),
 * 3 digits (sequence number).
 */
export const KPP_PATTERN = /^\d{4}[\dA-Z]{2}\d{3}$/;

/**
 * Validates a KPP for the given counterparty kind.
 * - LEGAL_ENTITY: required, must match `KPP_PATTERN`.
 * - SOLE_PROPRIETOR / INDIVIDUAL: must be absent (null, undefined or '').
 * The value is not trimmed or upper-cased: pass exactly what will be stored.
 */
export const validateKpp = (
  value: string | null | undefined,
  kind: CounterpartyKindCode,
): RequisiteIssue | null => {
  if (kind !== 'LEGAL_ENTITY') {
    return isBlank(value) ? null : requisiteIssue('kpp.notAllowed');
  }
  if (isBlank(value)) return requisiteIssue('kpp.required');
  if (!KPP_PATTERN.test(value)) return requisiteIssue('kpp.format');
  return null;
};
