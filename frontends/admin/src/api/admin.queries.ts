import type { AdminApiKeyFragment, AdminUserFragment, AdminUsersQuery, Role as SchemaRole } from './__generated__/admin';

/**
 * Users and roles, partner API keys and failed notification e-mails. The documents are in admin.graphql; their types
 * and typed document nodes are generated from the supergraph (`pnpm codegen`).
 */
export {
  AdminUsersDocument as USERS,
  AdminRolePermissionsDocument as ROLE_PERMISSIONS,
  AdminCreateUserDocument as CREATE_USER,
  AdminUpdateUserDocument as UPDATE_USER,
  AdminApiKeysDocument as API_KEYS,
  AdminCreateApiKeyDocument as CREATE_API_KEY,
  AdminRevokeApiKeyDocument as REVOKE_API_KEY,
  AdminFailedEmailsDocument as FAILED_EMAILS,
  /** `ids: null` retries every failed e-mail. */
  AdminRetryFailedEmailsDocument as RETRY_FAILED_EMAILS,
} from './__generated__/admin';

export type Role = SchemaRole;
/** The roles in the order the users page offers them (checkboxes). */
export const ROLES = ['ADMIN', 'MANAGER', 'APPROVER', 'VIEWER', 'LAWYER', 'ACCOUNTANT', 'DIRECTOR'] as const satisfies readonly Role[];

export type AdminUser = AdminUserFragment;
export type UsersData = AdminUsersQuery;

export type ApiKey = AdminApiKeyFragment;
