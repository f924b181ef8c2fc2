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
 * THE readable-document rule, as the set of people (user ids, nulls included) who may read the restricted
 * documents row aliased `alias`, besides administrators: its author and responsible, everyone on its approval
 * routes (assignees, deciders, delegators) and everyone on its acknowledgement lists. `readableSql` asks whether
 * the caller is among them; the live stream lists them to tell who may hear of a change.
 */
export function personalReadersSql(alias: string): string {
  return `select ${alias}.author_id as user_id
      union all select ${alias}.responsible_id
      union all select unnest(s.assignee_ids || array[s.decided_by_id, s.delegated_by_id]) from approval_steps s where s.document_id = ${alias}.id
      union all select a.user_id from acknowledgements a where a.document_id = ${alias}.id`;
}

/**
 * SQL condition (for a documents row aliased `alias`) that the caller may read the row: an ordinary document
 * everyone may; a restricted one administrators and its personal readers (`personalReadersSql`); partner systems
 * (API keys) never see restricted documents.
 */
export function readableSql(alias: string, identity: Identity): { sql: string; params: string[] } {
  if (isDocumentsAdmin(identity)) return { sql: 'true', params: [] };
  if (identity.kind !== 'user') return { sql: `${alias}.restricted = false`, params: [] };
  return {
    sql: `(${alias}.restricted = false or exists (select 1 from (${personalReadersSql(alias)}) readers where readers.user_id = ?::uuid))`,
    params: [identity.id],
  };
}

/** Whether the caller is the author or the responsible employee of the document. */
export function isOwner(identity: Identity, document: Document): boolean {
  return identity.kind !== 'anonymous' && (document.authorId === identity.id || document.responsibleId === identity.id);
}
