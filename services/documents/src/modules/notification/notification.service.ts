import type { Configuration } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type ConnectionShape,
  decodeCursor,
  encodeCursor,
  ForbiddenError,
  type Identity,
  isUuid,
  toConnection,
  UnauthenticatedError,
  UserInputError,
} from '@kartoteka/kit';
import { DEFAULT_MAIL_FROM, type MailSettings } from '../../config';
import { personalReadersSql } from '../document/document-access';
import { StaffService } from '../staff/staff.service';
import { MailOutboxMessage } from './mail-outbox.entity';
import { LIVE_CHANNEL, type LiveMessage } from './notification.events';
import { Notification, NOTIFICATION_KINDS, type NotificationKind, type NotificationParams, type PaymentOverdueParams, type TaskReminderParams } from './notification.entity';
import { NotificationPreference } from './notification-preference.entity';
import { renderNotificationMail } from './notification.templates';

export type { NotificationKind } from './notification.entity';

export type NotifyInput = {
  userIds: string[];
  kind: NotificationKind;
  /** Null only for a task's reminder without a document. */
  documentId: string | null;
  documentTitle: string;
  documentNumber: string | null;
  actorName?: string | null;
  comment?: string | null;
  dueAt?: Date | null;
  /** PAYMENT_OVERDUE: the overdue obligation (shown in the inbox and the e-mail). */
  payment?: PaymentOverdueParams | null;
  /** TASK_DUE_SOON, TASK_OVERDUE: the task (its link opens the task). */
  task?: TaskReminderParams | null;
};

/** What notification e-mail needs to know about the service: links and language. */
export type NotificationSettings = { portalUrl: string; mail: Pick<MailSettings, 'from' | 'locale'> };

export type NotificationPage = { unreadOnly?: boolean | null; first: number; after?: string | null };
export type MarkReadInput = { ids?: string[] | null; all?: boolean | null };
export type PreferenceInput = { kind: NotificationKind; emailMuted: boolean };

const DEFAULT_SETTINGS: NotificationSettings = { portalUrl: 'http://127.0.0.1:8080', mail: { from: DEFAULT_MAIL_FROM, locale: 'ru' } };
const settingsByOrm = new WeakMap<Configuration, NotificationSettings>();

/**
 * Binds the service's settings to its ORM (done once at start by the subgraph wiring), so that every
 * `new NotificationService(em)` of that service writes e-mail in its language with its portal links.
 */
export function bindNotificationSettings(orm: { config: Configuration }, settings: NotificationSettings): void {
  settingsByOrm.set(orm.config, settings);
}

/** Recipients per NOTIFY payload: PostgreSQL caps a payload at 8000 bytes. */
const RECIPIENTS_PER_PING = 40;
/** Texts inside a live ping are a preview (the inbox has them in full), so 40 recipients fit in one payload. */
const PING_TEXT_MAX = 300;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The calling staff member: the inbox is personal, an API key has none. */
function staffUserId(identity: Identity): string {
  if (identity.kind === 'anonymous') throw new UnauthenticatedError();
  if (identity.kind !== 'user') throw new ForbiddenError('Only a staff member has notifications');
  return identity.id;
}

function cursorOf(notification: Notification): string {
  return encodeCursor([notification.createdAt.toISOString(), notification.id]);
}

function parseCursor(after: string): { createdAt: string; id: string } {
  const [createdAt, id] = decodeCursor(after, ['timestamp', 'uuid']);
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)) || typeof id !== 'string' || !isUuid(id)) {
    throw new UserInputError('after', 'The cursor is not valid for this list');
  }
  return { createdAt, id };
}

/** The domain of the From address: it ends every Message-ID. */
function messageIdDomain(from: string): string {
  const match = /@([^@\s>]+)>?\s*$/.exec(from);
  return match ? match[1] : 'kartoteka.local';
}

/**
 * Notifications: written by other modules inside their transactions (`notify`, `documentChanged`), read
 * and managed by their recipients (inbox, read marks, e-mail preferences).
 */
export class NotificationService {
  private readonly settings: NotificationSettings;

  constructor(private readonly em: EntityManager, settings?: NotificationSettings) {
    this.settings = settings ?? settingsByOrm.get(em.config) ?? DEFAULT_SETTINGS;
  }

  /**
   * Inside the caller's transaction: one in-app notification per user and, unless the user muted e-mail of
   * this kind or has no active directory entry with an address, one e-mail in the outbox; then a live ping
   * (NOTIFY), which PostgreSQL delivers only if the transaction commits. The caller flushes and commits.
   */
  async notify(input: NotifyInput): Promise<void> {
    if (!this.em.isInTransaction()) throw new Error('NotificationService.notify must run inside the caller’s transaction (em.transactional)');
    const userIds = [...new Set(input.userIds.map((id) => id.toLowerCase()).filter(isUuid))];
    if (userIds.length === 0) return;
    const params: NotificationParams = {
      documentTitle: input.documentTitle,
      documentNumber: input.documentNumber ?? null,
      actorName: input.actorName ?? null,
      comment: input.comment ?? null,
      dueAt: input.dueAt ? input.dueAt.toISOString() : null,
      ...(input.payment ? { payment: input.payment } : {}),
      ...(input.task ? { task: input.task } : {}),
    };
    const staff = new Map((await new StaffService(this.em).findByIds(userIds)).map((member) => [member.id.toLowerCase(), member]));
    const muted = new Set(
      (await this.em.find(NotificationPreference, { userId: { $in: userIds }, kind: input.kind, emailMuted: true }, { fields: ['userId'] })).map((row) => row.userId),
    );
    const mail = renderNotificationMail(
      {
        kind: input.kind,
        documentId: input.documentId,
        taskId: input.task?.taskId ?? null,
        documentTitle: params.documentTitle,
        documentNumber: params.documentNumber,
        actorName: params.actorName,
        comment: params.comment,
        dueAt: input.dueAt ?? null,
        payment: input.payment ?? null,
      },
      { locale: this.settings.mail.locale, portalUrl: this.settings.portalUrl },
    );
    const domain = messageIdDomain(this.settings.mail.from);
    const createdAt = new Date();
    const recipients: { userId: string; id: string }[] = [];
    for (const userId of userIds) {
      const notification = this.em.create(Notification, { userId, kind: input.kind, documentId: input.documentId, taskId: input.task?.taskId ?? null, params, createdAt });
      this.em.persist(notification);
      recipients.push({ userId, id: notification.id });
      const member = staff.get(userId);
      const address = member?.active ? member.email.trim() : '';
      if (address && !muted.has(userId)) {
        const message = this.em.create(MailOutboxMessage, {
          notificationId: notification.id,
          userId,
          toAddress: address,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: '',
        });
        message.messageId = `<${message.id}@${domain}>`;
        this.em.persist(message);
      }
    }
    const preview = {
      kind: input.kind,
      documentId: input.documentId,
      ...(input.task ? { taskId: input.task.taskId } : {}),
      documentTitle: clip(params.documentTitle, PING_TEXT_MAX),
      documentNumber: params.documentNumber && clip(params.documentNumber, PING_TEXT_MAX),
      actorName: params.actorName && clip(params.actorName, PING_TEXT_MAX),
      createdAt: createdAt.toISOString(),
    };
    for (let i = 0; i < recipients.length; i += RECIPIENTS_PER_PING) {
      await this.ping({ type: 'notification', notification: preview, recipients: recipients.slice(i, i + RECIPIENTS_PER_PING) });
    }
  }

  /**
   * The work behind a task's reminders is done (the task completed or cancelled): its notifications count as handled
   * and read, so the bell stops counting them. Inside the caller's transaction; returns how many changed. Every
   * recipient with one that was unread gets a live ping to refresh the count.
   */
  taskHandled(taskId: string, at: Date): Promise<number> {
    return this.markHandled('task_id = ?', [taskId], at);
  }

  /**
   * Approval requests (APPROVAL_TASK) of a document are handled for everyone who holds no pending step of it any
   * more: their step was decided, skipped by an ANY/QUORUM stage, cancelled by a rejection, recall or stop, or
   * delegated away. `stillPendingUserIds` are the approvers who still must act (their requests stay open). Inside
   * the caller's transaction, before it writes the notifications of new steps; returns how many changed.
   */
  approvalHandled(documentId: string, stillPendingUserIds: readonly string[], at: Date): Promise<number> {
    const keep = [...new Set(stillPendingUserIds.map((id) => id.toLowerCase()).filter(isUuid))];
    return this.markHandled(`document_id = ? and kind = 'APPROVAL_TASK' and not (user_id = any(?::uuid[]))`, [documentId, `{${keep.join(',')}}`], at);
  }

  /** A staff member acknowledged every version of a document asked of them: their requests for it are handled. */
  acknowledgementHandled(documentId: string, userId: string, at: Date): Promise<number> {
    return this.markHandled(`document_id = ? and kind = 'ACKNOWLEDGEMENT_REQUESTED' and user_id = ?`, [documentId, userId], at);
  }

  /**
   * Marks the matching unhandled notifications handled and, if unread, read (so the bell stops counting them); every
   * recipient whose unread count changed gets a live `read` ping (delivered on commit) to refresh it.
   */
  private async markHandled(where: string, params: unknown[], at: Date): Promise<number> {
    const rows = await this.em.execute<{ user_id: string; was_unread: boolean }[]>(
      `update notifications n set handled_at = ?, read_at = coalesce(n.read_at, ?)
         from (select id, read_at is null as was_unread from notifications where ${where} and handled_at is null for update) o
        where n.id = o.id returning n.user_id, o.was_unread`,
      [at, at, ...params],
    );
    await this.pingRead(rows.filter((row) => row.was_unread).map((row) => row.user_id));
    return rows.length;
  }

  /** Tells these users' open tabs that their unread count changed (pg_notify payloads: at most 100 ids each). */
  private async pingRead(users: readonly string[]): Promise<void> {
    const userIds = [...new Set(users)];
    for (let start = 0; start < userIds.length; start += 100) await this.ping({ type: 'read', userIds: userIds.slice(start, start + 100) });
  }

  /**
   * A live ping that the document changed (delivered on commit when inside a transaction). Everyone connected
   * hears of an ordinary document; of a restricted one only its personal readers by the one readable-document
   * rule (`personalReadersSql`: author, responsible, route participants, acknowledgement recipients), so its
   * existence does not leak.
   */
  async documentChanged(documentId: string): Promise<void> {
    const [document] = await this.em.execute<{ restricted: boolean }[]>('select restricted from documents where id = ?', [documentId]);
    if (!document?.restricted) {
      await this.ping({ type: 'document', documentId });
      return;
    }
    const rows = await this.em.execute<{ user_id: string | null }[]>(
      `select distinct readers.user_id from documents d cross join lateral (${personalReadersSql('d')}) readers where d.id = ?`,
      [documentId],
    );
    const userIds = rows.map((row) => row.user_id).filter((id): id is string => Boolean(id));
    // pg_notify payloads are limited to 8000 bytes: at most 100 ids per ping.
    for (let start = 0; start < userIds.length; start += 100) await this.ping({ type: 'document', documentId, userIds: userIds.slice(start, start + 100) });
  }

  private async ping(message: LiveMessage): Promise<void> {
    await this.em.execute('select pg_notify(?, ?)', [LIVE_CHANNEL, JSON.stringify(message)]);
  }

  /** E-mails the relay gave up on (FAILED), oldest first: for administrators. */
  failedEmails(limit: number): Promise<MailOutboxMessage[]> {
    return this.em.find(MailOutboxMessage, { status: 'FAILED' }, { orderBy: { createdAt: 'asc' }, limit });
  }

  /**
   * Puts FAILED e-mails (all, or `ids`) back in the outbox with fresh attempts — after the SMTP problem is
   * fixed nothing is lost. Returns how many; the relay picks them up on its next poll.
   */
  async retryFailedEmails(ids: readonly string[] | null): Promise<number> {
    return this.em.transactional(async (em) => {
      if (ids && ids.length === 0) return 0;
      const rows = await em.execute<{ id: string }[]>(
        `update mail_outbox set status = 'PENDING', attempts = 0, next_attempt_at = now(), last_error = null
          where status = 'FAILED'${ids ? ' and id = any(array[?]::uuid[])' : ''} returning id`,
        ids ? [[...ids]] : [],
      );
      return rows.length;
    });
  }

  /** The caller's notifications, newest first. */
  async inbox(identity: Identity, page: NotificationPage): Promise<ConnectionShape<Notification>> {
    const userId = staffUserId(identity);
    const where = page.unreadOnly ? { userId, readAt: null } : { userId };
    const query = this.em.createQueryBuilder(Notification, 'n').where(where).orderBy({ createdAt: 'desc', id: 'desc' }).limit(page.first + 1);
    if (page.after) {
      const cursor = parseCursor(page.after);
      query.andWhere('(n.created_at, n.id) < (?::timestamptz, ?::uuid)', [cursor.createdAt, cursor.id]);
    }
    const [rows, total] = await Promise.all([query.getResultList(), this.em.count(Notification, where)]);
    return toConnection(rows, page.first, total, cursorOf);
  }

  async unreadCount(identity: Identity): Promise<number> {
    return this.em.count(Notification, { userId: staffUserId(identity), readAt: null });
  }

  /** Marks the caller's own unread notifications read (the listed ones, or all); returns how many changed. */
  async markRead(identity: Identity, input: MarkReadInput): Promise<number> {
    const userId = staffUserId(identity);
    let changed: number;
    if (input.all) {
      changed = await this.em.nativeUpdate(Notification, { userId, readAt: null }, { readAt: new Date() });
    } else {
      if (!input.ids?.length) throw new UserInputError('ids', 'List the notifications to mark read, or set all');
      const ids = [...new Set(input.ids.map((id) => id.toLowerCase()).filter(isUuid))];
      if (ids.length === 0) return 0;
      changed = await this.em.nativeUpdate(Notification, { id: { $in: ids }, userId, readAt: null }, { readAt: new Date() });
    }
    // The user's other tabs (and devices) refresh their bell: `notifications-read` on their live streams.
    if (changed > 0) await this.pingRead([userId]);
    return changed;
  }

  /** Every kind with the caller's choice (defaults where none was made). */
  async preferences(identity: Identity): Promise<NotificationPreference[]> {
    const userId = staffUserId(identity);
    const rows = new Map((await this.em.find(NotificationPreference, { userId })).map((row) => [row.kind, row]));
    return NOTIFICATION_KINDS.map((kind) => rows.get(kind) ?? Object.assign(new NotificationPreference(), { userId, kind, emailMuted: false }));
  }

  async updatePreference(identity: Identity, input: PreferenceInput): Promise<NotificationPreference> {
    const userId = staffUserId(identity);
    const preference = Object.assign(new NotificationPreference(), { userId, kind: input.kind, emailMuted: input.emailMuted });
    await this.em.execute(
      `insert into notification_preferences (id, user_id, kind, email_muted, updated_at) values (?, ?, ?, ?, now())
       on conflict (user_id, kind) do update set email_muted = excluded.email_muted, updated_at = now()`,
      [preference.id, userId, input.kind, input.emailMuted],
    );
    return preference;
  }
}
