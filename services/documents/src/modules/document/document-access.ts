import { ForbiddenError, hasPermission, type Identity, UnauthenticatedError } from '@kartoteka/kit';
import type { Document } from './document.entity';

export type Actor = { actorId: string | null; actorKind: 'user' | 'apiKey' | 'system' };

/** Who did it, for the audit trail. */
export function actorOf(identity: Identity): Actor {
  if (identity.kind === 'anonymous') return { actorId: null, actorKind: 'system' };
  return { actorId: identity.id, actorKind: identity.kind };
}

/** Administrators see and may stop everything. */
export function isDocumentsAdmin(identity: Identity): boolean {
  return hasPermission(identity, 'documents:configure');
}

/** The calling staff member; approval decisions, acknowledgements and the inbox are personal. */
export function requireStaff(identity: Identity): Extract<Identity, { kind: 'user' }> {
  if (identity.kind === 'anonymous') throw new UnauthenticatedError();
  if (identity.kind !== 'user') throw new ForbiddenError('Only a staff member can do this');
  return identity;
}

/**
 * SQL condition (for a documents row aliased `alias`) that the caller may read the row. A restricted
 * document is visible to admins, its author and responsible, everyone on its approval routes and its
 * acknowledgement lists; partner systems (API keys) never see restricted documents.
 */
export function readableSql(alias: string, identity: Identity): { sql: string; params: string[] } {
  if (isDocumentsAdmin(identity)) return { sql: 'true', params: [] };
  if (identity.kind !== 'user') return { sql: `${alias}.restricted = false`, params: [] };
  const me = identity.id;
  return {
    sql: `(${alias}.restricted = false or ${alias}.author_id = ? or ${alias}.responsible_id = ?
      or exists (select 1 from approval_steps s where s.document_id = ${alias}.id and (?::uuid = any(s.assignee_ids) or s.decided_by_id = ? or s.delegated_by_id = ?))
      or exists (select 1 from acknowledgements a where a.document_id = ${alias}.id and a.user_id = ?))`,
    params: [me, me, me, me, me, me],
  };
}

/** Whether the caller is the author or the responsible employee of the document. */
export function isOwner(identity: Identity, document: Document): boolean {
  return identity.kind !== 'anonymous' && (document.authorId === identity.id || document.responsibleId === identity.id);
}
