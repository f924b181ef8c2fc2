/**
 * The requisite validators of the API, used as is: the form checks INN, KPP, OGRN, BIK and accounts
 * with exactly the rules the counterparties subgraph applies (pure TypeScript, no dependencies).
 */
export {
  requisiteMessages,
  validateBik,
  validateCorrespondentAccount,
  validateInn,
  validateKpp,
  validateOgrn,
  validateSettlementAccount,
} from '../../../services/kit/src/requisites';
export type { RequisiteIssue, RequisiteIssueCode } from '../../../services/kit/src/requisites';
