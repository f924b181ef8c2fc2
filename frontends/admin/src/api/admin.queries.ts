import { gql, type DocumentNode } from '@apollo/client/core';

/** Services whose event consumer can park events; each has its own `<service>ParkedEvents` root field (kit's parked-events resolver). */
export const EVENT_SERVICES = ['documents', 'counterparties', 'deals', 'finance', 'mailings'] as const;
export type EventService = (typeof EVENT_SERVICES)[number];

export const ROLES = ['ADMIN', 'MANAGER', 'APPROVER', 'VIEWER', 'LAWYER', 'ACCOUNTANT', 'DIRECTOR'] as const;
export type Role = (typeof ROLES)[number];

export type AdminUser = { id: string; name: string; email: string; roles: Role[]; active: boolean; createdAt: string };
export type Connection<T> = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: T }[] };

const USER_FIELDS = 'id name email roles active createdAt';

export const USERS = gql`
  query AdminUsers($first: Int!, $after: String, $search: String) {
    users(first: $first, after: $after, search: $search) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${USER_FIELDS} } } }
  }
`;
export type UsersData = { users: Connection<AdminUser> };
export type UsersVars = { first: number; after?: string | null; search?: string | null };

export const ROLE_PERMISSIONS = gql`
  query AdminRolePermissions {
    rolePermissions { role permissions }
  }
`;
export type RolePermissionsData = { rolePermissions: { role: Role; permissions: string[] }[] };

export const CREATE_USER = gql`
  mutation AdminCreateUser($input: CreateUserInput!) {
    createUser(input: $input) { ${USER_FIELDS} }
  }
`;
export const UPDATE_USER = gql`
  mutation AdminUpdateUser($input: UpdateUserInput!) {
    updateUser(input: $input) { ${USER_FIELDS} }
  }
`;

export type ApiKey = { id: string; name: string; prefix: string; scopes: string[]; rateLimitPerMinute: number | null; lastUsedAt: string | null; revokedAt: string | null; createdAt: string };
const API_KEY_FIELDS = 'id name prefix scopes rateLimitPerMinute lastUsedAt revokedAt createdAt';

export const API_KEYS = gql`
  query AdminApiKeys {
    apiKeys { ${API_KEY_FIELDS} }
    apiKeyScopes
  }
`;
export type ApiKeysData = { apiKeys: ApiKey[]; apiKeyScopes: string[] };

export const CREATE_API_KEY = gql`
  mutation AdminCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { secret apiKey { ${API_KEY_FIELDS} } }
  }
`;
export type CreateApiKeyData = { createApiKey: { secret: string; apiKey: ApiKey } };

export const REVOKE_API_KEY = gql`
  mutation AdminRevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) { ${API_KEY_FIELDS} }
  }
`;

export type FailedEmail = { id: string; to: string; subject: string; attempts: number; lastError: string | null; createdAt: string };
export const FAILED_EMAILS = gql`
  query AdminFailedEmails($first: Int!) {
    failedEmails(first: $first) { id to subject attempts lastError createdAt }
  }
`;
export type FailedEmailsData = { failedEmails: FailedEmail[] };
export const RETRY_FAILED_EMAILS = gql`
  mutation AdminRetryFailedEmails($ids: [ID!]) {
    retryFailedEmails(ids: $ids)
  }
`;

export type ParkedEvent = { id: string; consumer: string; topic: string; producer: string; occurredAt: string; parkedAt: string; attempts: number; lastError: string | null; payload: string; payloadTruncated: boolean };

const parkedQueries = new Map<EventService, DocumentNode>();
const requeueMutations = new Map<EventService, DocumentNode>();

/** `<service>ParkedEvents` of one service, read under the alias `parked`. */
export const parkedEventsQuery = (service: EventService): DocumentNode => {
  let query = parkedQueries.get(service);
  if (!query) {
    query = gql(`query AdminParkedEvents_${service}($first: Int!, $after: String) {
      parked: ${service}ParkedEvents(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { id consumer topic producer occurredAt parkedAt attempts lastError payload payloadTruncated } }
      }
    }`);
    parkedQueries.set(service, query);
  }
  return query;
};
export type ParkedEventsData = { parked: Connection<ParkedEvent> };

/** `<service>RequeueParkedEvents` of one service, read under the alias `result`. */
export const requeueParkedMutation = (service: EventService): DocumentNode => {
  let mutation = requeueMutations.get(service);
  if (!mutation) {
    mutation = gql(`mutation AdminRequeueParked_${service}($input: RequeueParkedEventsInput!) { result: ${service}RequeueParkedEvents(input: $input) { requeued } }`);
    requeueMutations.set(service, mutation);
  }
  return mutation;
};
export type RequeueData = { result: { requeued: number } };

export type AuditVerification = { valid: boolean; checkedCount: number; firstBrokenSeq: number | null; firstBrokenRecordId: string | null; reason: string | null; headSeq: number | null; headHash: string | null };

/**
 * The histories whose hash chain can be verified, one query each (a full walk: run on demand): the documents' audit
 * chain, the counterparties' and the deals' histories. A service that gains a `verify…History` field with the same
 * result shape is one more entry here (and a name under `audit.chain` in the i18n files).
 */
const CHAIN_FIELDS = 'valid checkedCount firstBrokenSeq reason headSeq headHash';
export const AUDIT_CHAINS: { key: string; query: DocumentNode }[] = [
  { key: 'documents', query: gql`query AdminVerifyDocumentsAudit { result: verifyAuditChain { ${CHAIN_FIELDS} firstBrokenRecordId } }` },
  { key: 'counterparties', query: gql`query AdminVerifyCounterpartyHistory { result: verifyCounterpartyHistory { ${CHAIN_FIELDS} firstBrokenRecordId: firstBrokenId } }` },
  { key: 'deals', query: gql`query AdminVerifyDealHistory { result: verifyDealHistory { ${CHAIN_FIELDS} firstBrokenRecordId: firstBrokenId } }` },
];
export type AuditVerificationData = { result: AuditVerification };

/** Every service's operations built once (and seen by the portal-operations check of the test suite). */
export const PARKED_EVENTS_OPERATIONS = Object.fromEntries(EVENT_SERVICES.map((service) => [service, { list: parkedEventsQuery(service), requeue: requeueParkedMutation(service) }]));
