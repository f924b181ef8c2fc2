import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  AdminVerifyCounterpartyHistoryDocument,
  AdminVerifyDealHistoryDocument,
  AdminVerifyDocumentsAuditDocument,
  type AdminVerifyDocumentsAuditQuery,
  type AdminVerifyDocumentsAuditQueryVariables,
} from './__generated__/audit';

/**
 * Every chain's query reads its verification under the alias `result` with one shape (audit.graphql): the documents
 * chain's generated type stands for all of them, and AUDIT_CHAINS is checked against it.
 */
export type AuditVerificationData = AdminVerifyDocumentsAuditQuery;
export type AuditVerification = AuditVerificationData['result'];

/**
 * The histories whose hash chain can be verified, one query each (a full walk: run on demand): the documents' audit
 * chain, the counterparties' and the deals' histories. A service that gains a `verify…History` field with the same
 * result shape is one more query in audit.graphql and one more entry here (and a name under `audit.chain` in the
 * i18n files).
 */
export const AUDIT_CHAINS: { key: string; query: TypedDocumentNode<AuditVerificationData, AdminVerifyDocumentsAuditQueryVariables> }[] = [
  { key: 'documents', query: AdminVerifyDocumentsAuditDocument },
  { key: 'counterparties', query: AdminVerifyCounterpartyHistoryDocument },
  { key: 'deals', query: AdminVerifyDealHistoryDocument },
];
