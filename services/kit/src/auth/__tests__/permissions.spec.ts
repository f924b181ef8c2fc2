import { API_KEY_SCOPES, isApiKeyScope, permissionsOfRoles, ROLE_PERMISSIONS, ROLES } from '../permissions';

describe('permissions: finance (issue 9)', () => {
  it('every role reads finance; finance:read is an API key scope', () => {
    for (const role of ROLES) expect({ role, has: ROLE_PERMISSIONS[role].includes('finance:read') }).toEqual({ role, has: true });
    expect(isApiKeyScope('finance:read')).toBe(true);
  });

  it('finance:write for ADMIN, MANAGER, ACCOUNTANT only', () => {
    expect(ROLES.filter((role) => ROLE_PERMISSIONS[role].includes('finance:write'))).toEqual(['ADMIN', 'MANAGER', 'ACCOUNTANT']);
  });

  it('payments:import and payments:match for ADMIN and ACCOUNTANT only', () => {
    expect(ROLES.filter((role) => ROLE_PERMISSIONS[role].includes('payments:import'))).toEqual(['ADMIN', 'ACCOUNTANT']);
    expect(ROLES.filter((role) => ROLE_PERMISSIONS[role].includes('payments:match'))).toEqual(['ADMIN', 'ACCOUNTANT']);
  });

  it('rating:configure for ADMIN only and never an API key scope', () => {
    expect(ROLES.filter((role) => ROLE_PERMISSIONS[role].includes('rating:configure'))).toEqual(['ADMIN']);
    expect(isApiKeyScope('rating:configure')).toBe(false);
    for (const scope of ['finance:write', 'payments:match', 'audit:verify', 'documents:configure', 'documents:approve', 'users:manage', 'apikeys:manage', 'events:manage']) expect({ scope, ok: isApiKeyScope(scope) }).toEqual({ scope, ok: false });
    expect(API_KEY_SCOPES).toEqual([
      'users:read', 'counterparties:read', 'counterparties:write', 'documents:read', 'documents:write', 'deals:read', 'deals:write', 'finance:read',
      'projects:read', 'projects:write', 'tasks:read', 'tasks:write', 'payments:import', 'mailings:read', 'counterparties:import',
    ]);
  });

  it('a VIEWER and MANAGER keep what they had', () => {
    expect(permissionsOfRoles(['VIEWER']).sort()).toEqual(['counterparties:read', 'deals:read', 'documents:read', 'finance:read', 'mailings:read', 'projects:read', 'tasks:read', 'users:read']);
    expect(permissionsOfRoles(['MANAGER', 'VIEWER']).sort()).toEqual([
      'counterparties:import', 'counterparties:read', 'counterparties:write', 'deals:read', 'deals:write', 'documents:read', 'documents:write', 'finance:read', 'finance:write',
      'mailings:manage', 'mailings:read', 'projects:read', 'projects:write', 'tasks:read', 'tasks:write', 'users:read',
    ]);
  });
});

describe('permissions: projects and tasks (issue 11)', () => {
  it('partners may be given projects, tasks and statement import; events:manage is ADMIN only and never a scope', () => {
    for (const scope of ['projects:read', 'projects:write', 'tasks:read', 'tasks:write', 'payments:import']) expect({ scope, ok: isApiKeyScope(scope) }).toEqual({ scope, ok: true });
    expect(ROLES.filter((role) => ROLE_PERMISSIONS[role].includes('events:manage'))).toEqual(['ADMIN']);
    expect(isApiKeyScope('events:manage')).toBe(false);
  });

  it('every role reads projects and tasks; the viewer writes neither', () => {
    for (const role of ROLES) expect({ role, read: ['projects:read', 'tasks:read'].every((permission) => ROLE_PERMISSIONS[role].includes(permission as never)) }).toEqual({ role, read: true });
    expect(ROLE_PERMISSIONS.VIEWER.filter((permission) => permission.endsWith(':write'))).toEqual([]);
  });

  it('projects:write for ADMIN, MANAGER and DIRECTOR; tasks:write for every role but VIEWER', () => {
    expect(ROLES.filter((role) => ROLE_PERMISSIONS[role].includes('projects:write'))).toEqual(['ADMIN', 'MANAGER', 'DIRECTOR']);
    expect(ROLES.filter((role) => ROLE_PERMISSIONS[role].includes('tasks:write'))).toEqual(['ADMIN', 'MANAGER', 'APPROVER', 'LAWYER', 'ACCOUNTANT', 'DIRECTOR']);
  });
});

describe('permissions: outreach (issue 12)', () => {
  it('every role reads mailings; ADMIN and MANAGER manage them and import counterparties; templates are ADMIN only', () => {
    for (const role of ROLES) expect({ role, read: ROLE_PERMISSIONS[role].includes('mailings:read') }).toEqual({ role, read: true });
    expect(ROLES.filter((role) => ROLE_PERMISSIONS[role].includes('mailings:manage'))).toEqual(['ADMIN', 'MANAGER']);
    expect(ROLES.filter((role) => ROLE_PERMISSIONS[role].includes('counterparties:import'))).toEqual(['ADMIN', 'MANAGER']);
    expect(ROLES.filter((role) => ROLE_PERMISSIONS[role].includes('templates:manage'))).toEqual(['ADMIN']);
  });

  it('a partner may read mailings and import counterparties, never send mailings or change templates', () => {
    for (const scope of ['mailings:read', 'counterparties:import']) expect({ scope, ok: isApiKeyScope(scope) }).toEqual({ scope, ok: true });
    for (const scope of ['mailings:manage', 'templates:manage']) expect({ scope, ok: isApiKeyScope(scope) }).toEqual({ scope, ok: false });
  });
});
