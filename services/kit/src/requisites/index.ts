export type { CounterpartyKindCode } from './kind';
export { counterpartyKindCodes } from './kind';
export type { RequisiteIssue, RequisiteIssueCode, RequisiteMessageLanguage } from './issues';
export { requisiteIssue, requisiteIssueCodes, requisiteMessages } from './issues';
export { innLengthFor, isValidInn, makeInn10, makeInn12, validateInn } from './inn';
export { KPP_PATTERN, validateKpp } from './kpp';
export { makeOgrn, makeOgrnip, validateOgrn } from './ogrn';
export {
  makeCorrespondentAccount,
  makeSettlementAccount,
  validateBik,
  validateCorrespondentAccount,
  validateSettlementAccount,
} from './bank-account';
