import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, type ConnectionShape, decodeCursor, encodeCursor, ForbiddenError, groupByKeys, isRole, isUuid, NotFoundError, type SubgraphContext, toConnection, UserInputError } from '@kartoteka/kit';
import { auditedTransaction, deferAudit } from '../audit/audited-transaction';
import { actorOf, readableSql, requireStaff } from '../document/document-access';
import { DocumentVersion } from '../document/document-version.entity';
import { Document, DocumentStatus } from '../document/document.entity';
import { DocumentReader } from '../document/document.reader';
import { NotificationService } from '../notification/notification.service';
import { StaffService } from '../staff/staff.service';
import { Acknowledgement } from './acknowledgement.entity';

type Context = Pick<SubgraphContext, 'em' | 'identity' | 'loaders'>;

export type AcknowledgementRequest = { documentId: string; userIds: string[]; roles: string[]; deadline: Date | null; comment: string | null };

/** Acknowledgement lists: staff confirm once that they have read a given version of a document. */
export class AcknowledgementService {
  constructor(private readonly context: Context) {}

  /** Sends the current version to users and the members of roles; those already asked for it are skipped. */
  async request(input: AcknowledgementRequest): Promise<Document> {
    const identity = this.context.identity;
    if (input.deadline && input.deadline.getTime() <= Date.now()) throw new UserInputError('deadline', 'The deadline must be in the future');
    for (const [index, role] of input.roles.entries()) if (!isRole(role)) throw new UserInputError(`roles.${index}`, `Unknown role ${role}`);
    await auditedTransaction(this.context.em, async (em) => {
      const document = await new DocumentReader({ ...this.context, em }).lockReadable(em, input.documentId);
      if (document.status === DocumentStatus.CANCELLED) throw new UserInputError('documentId', 'A cancelled document cannot be sent for acknowledgement');
      if (document.currentVersionNumber < 1) throw new UserInputError('documentId', 'Attach the document\'s file(s) first: staff acknowledge a version', { reason: 'acknowledgement.no-version' });
      const staff = new StaffService(em);
      const wanted = [...new Set(input.userIds.map((id) => id.toLowerCase()))];
      const members = await staff.findByIds(wanted);
      const active = new Set(members.filter((member) => member.active).map((member) => member.id));
      wanted.forEach((id, index) => {
        if (!active.has(id)) throw new UserInputError(`userIds.${index}`, 'This employee is not an active staff member', { reason: 'acknowledgement.unknown-user' });
      });
      for (const role of input.roles) for (const member of await staff.activeMembersOfRole(role)) active.add(member.id);
      if (!active.size) throw new UserInputError('userIds', 'Choose at least one employee or a role with members');
      const version = await em.findOneOrFail(DocumentVersion, { documentId: document.id, number: document.currentVersionNumber });
      const added = await this.addWithin(em, document, version, [...active], input.deadline, input.comment?.trim() || null);
      deferAudit(em, { documentId: document.id, action: 'ACKNOWLEDGEMENT_REQUESTED', ...actorOf(identity), versionId: version.id, details: { userIds: added, roles: input.roles, deadline: input.deadline?.toISOString() ?? null, versionNumber: version.number } });
      await new NotificationService(em).documentChanged(document.id);
    });
    return this.context.em.findOneOrFail(Document, { id: input.documentId }, { refresh: true });
  }

  /** The calling staff member confirms they have read the version; once. */
  async acknowledge(id: string): Promise<Acknowledgement> {
    const me = requireStaff(this.context.identity);
    if (!isUuid(id)) throw new NotFoundError('Acknowledgement', id);
    await auditedTransaction(this.context.em, async (em) => {
      const found = await em.findOne(Acknowledgement, { id });
      if (!found) throw new NotFoundError('Acknowledgement', id);
      if (found.userId !== me.id) throw new ForbiddenError('This acknowledgement was requested from someone else');
      const rows = await em.execute<{ id: string }[]>('update acknowledgements set acknowledged_at = now(), updated_at = now() where id = ? and acknowledged_at is null returning id', [id]);
      if (!rows.length) throw new ConflictError('You have already acknowledged this version', { reason: 'acknowledgement.already' });
      deferAudit(em, { documentId: found.documentId, action: 'DOCUMENT_ACKNOWLEDGED', ...actorOf(me), versionId: found.versionId, details: { acknowledgementId: id, versionNumber: found.versionNumber } });
      // Nothing more to read on this document: its acknowledgement requests are handled (and read).
      const open = await em.count(Acknowledgement, { documentId: found.documentId, userId: me.id, acknowledgedAt: null });
      if (open === 0) await new NotificationService(em).acknowledgementHandled(found.documentId, me.id, new Date());
      await new NotificationService(em).documentChanged(found.documentId);
    });
    return this.context.em.findOneOrFail(Acknowledgement, { id }, { refresh: true });
  }

  /** A new version that requires re-acknowledgement: everyone asked for an earlier version is asked again. */
  async requestAgainWithin(em: EntityManager, document: Document, version: DocumentVersion): Promise<void> {
    const earlier = await em.find(Acknowledgement, { documentId: document.id, versionNumber: { $lt: version.number } }, { orderBy: { versionNumber: 'desc' } });
    const latestByUser = new Map<string, Acknowledgement>();
    for (const row of earlier) if (!latestByUser.has(row.userId)) latestByUser.set(row.userId, row);
    if (!latestByUser.size) return;
    const userIds = [...latestByUser.keys()];
    // Keep the length of the earlier deadline, counted from now.
    const sample = [...latestByUser.values()].find((row) => row.deadline);
    const deadline = sample?.deadline ? new Date(Date.now() + Math.max(sample.deadline.getTime() - sample.createdAt.getTime(), 3_600_000)) : null;
    const added = await this.addWithin(em, document, version, userIds, deadline, null);
    deferAudit(em, { documentId: document.id, action: 'ACKNOWLEDGEMENT_REQUESTED', ...actorOf(this.context.identity), versionId: version.id, details: { userIds: added, reacknowledgement: true, versionNumber: version.number } });
  }

  /** Acknowledgements of a version (default: the current one) with who has and has not read it. */
  async ofDocument(document: Document, versionNumber: number | null): Promise<Acknowledgement[]> {
    // Keyed by document and version: the caller knows the version, so nothing is read twice.
    const key = `${document.id}:${versionNumber ?? document.currentVersionNumber}`;
    const rows = await this.context.loaders
      .get<Acknowledgement[]>('acknowledgements:of-version', async (keys) => {
        const wanted = keys.map((composite) => {
          const [documentId, number] = composite.split(':');
          return { documentId, versionNumber: Number(number) };
        });
        const found = await this.context.em.find(Acknowledgement, { $or: wanted }, { orderBy: { createdAt: 'asc' } });
        return groupByKeys(keys, found, (row) => `${row.documentId}:${row.versionNumber}`);
      })
      .load(key);
    return rows ?? [];
  }

  /** The caller's unconfirmed acknowledgement of a document's current version, if any (batched). */
  async myPendingOf(document: Document): Promise<Acknowledgement | null> {
    const identity = this.context.identity;
    if (identity.kind !== 'user') return null;
    const rows = await this.context.loaders
      .get<Acknowledgement[]>('acknowledgements:mine', async (ids) => groupByKeys(ids, await this.context.em.find(Acknowledgement, { documentId: { $in: [...ids] }, userId: identity.id, acknowledgedAt: null }), (row) => row.documentId))
      .load(document.id);
    return (rows ?? []).find((row) => row.versionNumber === document.currentVersionNumber) ?? null;
  }

  /** "My tasks": the caller's unconfirmed acknowledgements, oldest first. */
  async myTasks(first: number, after: string | null): Promise<ConnectionShape<Acknowledgement>> {
    const me = requireStaff(this.context.identity);
    const access = readableSql('d', me);
    let cursorSql = '';
    const cursorParams: string[] = [];
    if (after) {
      const [createdAt, id] = decodeCursor(after, ['timestamp', 'uuid']);
      if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)) || typeof id !== 'string' || !isUuid(id)) throw new UserInputError('after', 'The cursor is not valid for this list');
      cursorSql = 'and (a.created_at, a.id) > (?::timestamptz, ?::uuid)';
      cursorParams.push(createdAt, id);
    }
    const base = `from acknowledgements a join documents d on d.id = a.document_id where a.user_id = ? and a.acknowledged_at is null and a.version_number = d.current_version_number and ${access.sql}`;
    const connection = this.context.em.getConnection();
    const [rows, counts] = await Promise.all([
      connection.execute<Record<string, unknown>[]>(`select a.* ${base} ${cursorSql} order by a.created_at asc, a.id asc limit ?`, [me.id, ...access.params, ...cursorParams, first + 1]),
      connection.execute<{ total: number }[]>(`select count(*)::int as total ${base}`, [me.id, ...access.params]),
    ]);
    return toConnection(rows.map((row) => this.context.em.map(Acknowledgement, row)), first, counts[0]?.total ?? 0, (row) => encodeCursor([row.createdAt.toISOString(), row.id]));
  }

  /** Unconfirmed acknowledgements past their deadline, reported once to the employee and the requester. */
  async notifyOverdue(em: EntityManager, now: Date): Promise<number> {
    const rows = await em.execute<{ document_id: string; user_id: string; requested_by_id: string | null; deadline: Date }[]>(
      `update acknowledgements set overdue_notified_at = ? where acknowledged_at is null and deadline < ? and overdue_notified_at is null returning document_id, user_id, requested_by_id, deadline`,
      [now, now],
    );
    for (const row of rows) {
      const document = await em.findOne(Document, { id: row.document_id });
      if (!document) continue;
      await new NotificationService(em).notify({ userIds: [...new Set([row.user_id, row.requested_by_id].filter((id): id is string => Boolean(id)))], kind: 'DEADLINE_PASSED', documentId: document.id, documentTitle: document.title, documentNumber: document.number, dueAt: new Date(row.deadline) });
    }
    return rows.length;
  }

  private async addWithin(em: EntityManager, document: Document, version: DocumentVersion, userIds: string[], deadline: Date | null, comment: string | null): Promise<string[]> {
    const existing = new Set((await em.find(Acknowledgement, { versionId: version.id, userId: { $in: userIds } })).map((row) => row.userId));
    const fresh = userIds.filter((id) => !existing.has(id));
    const requestedById = this.context.identity.kind === 'user' ? this.context.identity.id : null;
    for (const userId of fresh) em.create(Acknowledgement, { documentId: document.id, versionId: version.id, versionNumber: version.number, userId, requestedById, deadline, comment });
    await em.flush();
    if (fresh.length) {
      await new NotificationService(em).notify({ userIds: fresh, kind: 'ACKNOWLEDGEMENT_REQUESTED', documentId: document.id, documentTitle: document.title, documentNumber: document.number, actorName: this.context.identity.kind === 'anonymous' ? null : this.context.identity.name, comment, dueAt: deadline });
    }
    return fresh;
  }
}
