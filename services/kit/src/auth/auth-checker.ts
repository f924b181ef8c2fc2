import type { AuthCheckerFn } from 'type-graphql';
import { ForbiddenError, UnauthenticatedError } from '../errors/domain-errors';
import { hasPermission, type AuthenticatedIdentity, type Identity } from './identity';
import type { Permission } from './permissions';

export type HasIdentity = { identity: Identity };

/**
 * `@Authorized('counterparties:read')` means: authenticated and holding that permission (all listed ones).
 * `@Authorized()` means: any authenticated caller. Anonymous callers get UNAUTHENTICATED, others FORBIDDEN.
 */
export const authChecker: AuthCheckerFn<HasIdentity, Permission> = ({ context }, permissions) => {
  requirePermissions(context.identity, permissions);
  return true;
};

/** The same rule for code paths outside type-graphql resolvers (reference resolvers, services). */
export function requirePermissions(identity: Identity, permissions: readonly Permission[]): AuthenticatedIdentity {
  if (identity.kind === 'anonymous') throw new UnauthenticatedError();
  for (const permission of permissions) {
    if (!hasPermission(identity, permission)) throw new ForbiddenError(`Missing permission ${permission}`);
  }
  return identity;
}
