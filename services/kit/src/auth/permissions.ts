/**
 * Staff roles. A role is a named set of permissions; authorization always checks permissions. LAWYER,
 * ACCOUNTANT and DIRECTOR are positions that approval routes address ("a role resolved at start").
 */
export const ROLES = ['ADMIN', 'MANAGER', 'APPROVER', 'VIEWER', 'LAWYER', 'ACCOUNTANT', 'DIRECTOR'] as const;
export type RoleCode = (typeof ROLES)[number];

export const PERMISSIONS = [
  'users:read',
  'users:manage',
  'apikeys:manage',
  'counterparties:read',
  'counterparties:write',
  'documents:read',
  'documents:write',
  'documents:approve',
  'deals:read',
  'deals:write',
  /** Configure the EDMS: registration journals, route templates. ADMIN only; never an API key scope. */
  'documents:configure',
  /** Verify the integrity of the documents audit chain. ADMIN only; never an API key scope. */
  'audit:verify',
  /** Read contract execution, payments and counterparty ratings (every role; an API key scope). */
  'finance:read',
  /** Enter contract terms: payment schedule and direction. */
  'finance:write',
  /** Import bank statements. */
  'payments:import',
  /** Match and unmatch payments by hand. */
  'payments:match',
  /** Change the rating weights (a new method version). ADMIN only; never an API key scope. */
  'rating:configure',
  /** List and requeue the domain events a service parked (could not handle). ADMIN only; never an API key scope. */
  'events:manage',
  /** Read projects (every role). */
  'projects:read',
  /** Create and change projects: their team, counterparties, budget, linked deals and documents. */
  'projects:write',
  /** Read general tasks (every role). */
  'tasks:read',
  /**
   * Create tasks and change any task. A task's author and assignee may change it without this permission
   * (except a read-only role: VIEWER has neither).
   */
  'tasks:write',
  /** Read offer mailings, their recipients and the suppression list (every role). */
  'mailings:read',
  /** Create, change, submit, start, pause, resume and cancel offer mailings; add suppressions. */
  'mailings:manage',
  /** Upload and version document templates (DOCX) per document type. ADMIN only; never an API key scope. */
  'templates:manage',
  /** Import counterparties, their contacts and bank accounts from spreadsheets (XLSX, CSV). */
  'counterparties:import',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * Scopes a partner API key may carry: a subset of the permissions. Never user or key management, configuration
 * (`documents:configure`, `rating:configure`), audit verification, event administration, approval decisions
 * (`documents:approve` is a person's decision) or hand matching of payments (`payments:match` is a judgement).
 * Partner systems may read and write projects and tasks (a project tool or help desk syncing its work), and
 * import bank statements (`payments:import`: the bank-client robot that uploads the daily 1CClientBankExchange
 * file; its payments are still matched or reviewed by staff).
 */
export const API_KEY_SCOPES = [
  'users:read',
  'counterparties:read',
  'counterparties:write',
  'documents:read',
  'documents:write',
  'deals:read',
  'deals:write',
  'finance:read',
  'projects:read',
  'projects:write',
  'tasks:read',
  'tasks:write',
  'payments:import',
  'mailings:read',
  'counterparties:import',
] as const satisfies readonly Permission[];
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const READ_ALL: Permission[] = ['users:read', 'counterparties:read', 'documents:read', 'deals:read', 'finance:read', 'projects:read', 'tasks:read', 'mailings:read'];

export const ROLE_PERMISSIONS: Record<RoleCode, readonly Permission[]> = {
  ADMIN: PERMISSIONS,
  MANAGER: [...READ_ALL, 'counterparties:write', 'counterparties:import', 'documents:write', 'deals:write', 'finance:write', 'projects:write', 'tasks:write', 'mailings:manage'],
  APPROVER: [...READ_ALL, 'documents:approve', 'tasks:write'],
  VIEWER: READ_ALL,
  LAWYER: [...READ_ALL, 'documents:approve', 'tasks:write'],
  ACCOUNTANT: [...READ_ALL, 'documents:write', 'documents:approve', 'finance:write', 'payments:import', 'payments:match', 'tasks:write'],
  DIRECTOR: [...READ_ALL, 'documents:approve', 'projects:write', 'tasks:write'],
};

export function isRole(value: string): value is RoleCode {
  return (ROLES as readonly string[]).includes(value);
}

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(value);
}

export function permissionsOfRoles(roles: readonly RoleCode[]): Permission[] {
  return [...new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role] ?? []))];
}
