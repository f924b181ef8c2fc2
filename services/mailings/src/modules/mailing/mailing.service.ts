import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  byKeys,
  decodeCursor,
  encodeCursor,
  isUuid,
  MAILING_APPROVAL_REQUESTED,
  NotFoundError,
  publishEvent,
  requirePermissions,
  toConnection,
  UserInputError,
  type ConnectionShape,
  type MailingApprovalRequested,
  type SubgraphContext,
} from '@kartoteka/kit';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AudienceService, normalizeAudience, type AudiencePreview } from '../audience/audience.service';
import { MailingRecipient, MailingRecipientStatus } from './mailing-recipient.entity';
import { DEFAULT_RATE_PER_HOUR, DEFAULT_RATE_PER_MINUTE, Mailing, MailingStatus, type MailingAudience } from './mailing.entity';
import type { CreateMailingInput, MailingAudienceFilterInput, RenderMailingInput, UpdateMailingInput } from './mailing.input';
import { assertKnownPlaceholders, compileMailing, personalise, sanitizeMjml, unknownPlaceholders, type PersonalisationValues } from './mailing.render';

type Context = Pick<SubgraphContext, 'em' | 'identity' | 'loaders'>;
type PageArgs = { first: number; after?: string | null };

export const MAX_RATE_PER_MINUTE = 10_000;
export const MAX_RATE_PER_HOUR = 100_000;

/** Counts of a mailing's recipients by status. */
export type MailingProgressCounts = { total: number; queued: number; sent: number; failed: number; bounced: number; unsubscribed: number };

/** Where each command may start from (the state machine of a mailing; COMPLETED is set by the sending worker). */
export const MAILING_TRANSITIONS = {
  update: [MailingStatus.DRAFT, MailingStatus.REJECTED],
  submit: [MailingStatus.DRAFT],
  start: [MailingStatus.APPROVED],
  pause: [MailingStatus.SENDING],
  resume: [MailingStatus.PAUSED],
  cancel: [MailingStatus.DRAFT, MailingStatus.ON_APPROVAL, MailingStatus.APPROVED, MailingStatus.SENDING, MailingStatus.PAUSED],
} as const satisfies Record<string, readonly MailingStatus[]>;

export type MailingCommand = keyof typeof MAILING_TRANSITIONS;

const COMMAND_NAMES: Record<MailingCommand, string> = { update: 'changed', submit: 'submitted for approval', start: 'started', pause: 'paused', resume: 'resumed', cancel: 'cancelled' };

/** Refuses (BAD_USER_INPUT on `id`, reason `mailing.status`) a command the mailing's status does not allow. */
export function assertTransition(mailing: Pick<Mailing, 'status'>, command: MailingCommand): void {
  if (!(MAILING_TRANSITIONS[command] as readonly MailingStatus[]).includes(mailing.status)) {
    throw new UserInputError('id', `A ${mailing.status} mailing cannot be ${COMMAND_NAMES[command]}`, { reason: 'mailing.status', status: mailing.status });
  }
}

/** Sample values for a preview without a counterparty. */
export const SAMPLE_PERSONALISATION: PersonalisationValues = {
  contactName: 'Иван Иванов',
  companyName: 'ООО «Пример»',
  companyShortName: 'Пример',
  managerName: 'Менеджер',
  unsubscribeUrl: '#unsubscribe',
};

type MailingCursor = [string, string];

function cursorOf(mailing: Mailing): string {
  return encodeCursor([mailing.createdAt.toISOString(), mailing.id]);
}

function recipientCursorOf(recipient: MailingRecipient): string {
  return encodeCursor([recipient.email, recipient.id]);
}

function counterpartyRecipientCursorOf(recipient: MailingRecipient): string {
  return encodeCursor([recipient.createdAt.toISOString(), recipient.id]);
}

function text(value: string, field: string, max: number, label: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw new UserInputError(field, `Enter the ${label}`);
  if (trimmed.length > max) throw new UserInputError(field, `The ${label} must be at most ${max} characters long`);
  return trimmed;
}

function rate(value: number | null | undefined, field: string, max: number, fallback: number): number {
  if (value === null || value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) throw new UserInputError(field, `Enter a whole number from 1 to ${max}`);
  return value;
}

/** The stored body: sanitized MJML with known placeholders only. */
function body(bodyMjml: string): string {
  const trimmed = bodyMjml.trim();
  if (!trimmed) throw new UserInputError('bodyMjml', 'Enter the template');
  assertKnownPlaceholders({ bodyMjml: trimmed });
  return sanitizeMjml(trimmed);
}

/**
 * The rules of offer mailings: editing (DRAFT/REJECTED, optimistic lock), submission for approval in the EDMS (an
 * event to documents), start (recipients fixed in one transaction), pause, resume, cancel; the reads of mailings,
 * their progress and recipients. Every command locks the mailing's row, so two commands never interleave.
 */
export class MailingService {
  constructor(private readonly context: Context) {}

  private get em(): EntityManager {
    return this.context.em;
  }

  async list(filter: { status?: MailingStatus | null; q?: string | null }, args: PageArgs): Promise<ConnectionShape<Mailing>> {
    const where: Record<string, unknown> = {};
    if (filter.status) where.status = filter.status;
    const q = filter.q?.trim();
    if (q) {
      const like = `%${q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      where.$or = [{ name: { $ilike: like } }, { subject: { $ilike: like } }];
    }
    const totalCount = await this.em.count(Mailing, where);
    const page: Record<string, unknown> = { ...where };
    if (args.after) {
      const [createdAt, id] = decodeCursor(args.after, ['timestamp', 'uuid']) as MailingCursor;
      page.$and = [{ $or: [{ createdAt: { $lt: new Date(createdAt) } }, { createdAt: new Date(createdAt), id: { $lt: id } }] }];
    }
    const rows = await this.em.find(Mailing, page, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: args.first + 1 });
    return toConnection(rows, args.first, totalCount, cursorOf);
  }

  async findById(id: string): Promise<Mailing | null> {
    if (!isUuid(id)) return null;
    return this.context.loaders.get<Mailing>('mailings', async (ids) => byKeys(ids, await this.em.find(Mailing, { id: { $in: [...ids] } }), (row) => row.id)).load(id.toLowerCase());
  }

  async findByIds(ids: readonly string[]): Promise<Mailing[]> {
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()).filter(isUuid))];
    return wanted.length ? this.em.find(Mailing, { id: { $in: wanted } }) : [];
  }

  async create(input: CreateMailingInput): Promise<Mailing> {
    const identity = requirePermissions(this.context.identity, ['mailings:manage']);
    assertKnownPlaceholders({ subject: input.subject });
    const mailing = this.em.create(Mailing, {
      name: text(input.name, 'name', 200, 'name'),
      subject: text(input.subject, 'subject', 500, 'subject'),
      bodyMjml: body(input.bodyMjml),
      audienceFilter: normalizeAudience(input.audience),
      ratePerMinute: rate(input.ratePerMinute, 'ratePerMinute', MAX_RATE_PER_MINUTE, DEFAULT_RATE_PER_MINUTE),
      ratePerHour: rate(input.ratePerHour, 'ratePerHour', MAX_RATE_PER_HOUR, DEFAULT_RATE_PER_HOUR),
      createdById: identity.kind === 'user' ? identity.id : null,
    });
    await this.em.flush();
    return mailing;
  }

  async update(input: UpdateMailingInput): Promise<Mailing> {
    return this.command(input.id, 'update', async (em, mailing) => {
      if (mailing.version !== input.version) {
        throw new ConflictError(`The mailing was changed by someone else (version ${mailing.version}, yours ${input.version}): reload it and edit again`, { currentVersion: mailing.version });
      }
      if (input.subject !== undefined && input.subject !== null) {
        assertKnownPlaceholders({ subject: input.subject });
        mailing.subject = text(input.subject, 'subject', 500, 'subject');
      }
      if (input.name !== undefined && input.name !== null) mailing.name = text(input.name, 'name', 200, 'name');
      if (input.bodyMjml !== undefined && input.bodyMjml !== null) mailing.bodyMjml = body(input.bodyMjml);
      if (input.audience) mailing.audienceFilter = normalizeAudience(input.audience as MailingAudienceFilterInput);
      if (input.ratePerMinute !== undefined && input.ratePerMinute !== null) mailing.ratePerMinute = rate(input.ratePerMinute, 'ratePerMinute', MAX_RATE_PER_MINUTE, DEFAULT_RATE_PER_MINUTE);
      if (input.ratePerHour !== undefined && input.ratePerHour !== null) mailing.ratePerHour = rate(input.ratePerHour, 'ratePerHour', MAX_RATE_PER_HOUR, DEFAULT_RATE_PER_HOUR);
      mailing.status = MailingStatus.DRAFT;
      void em;
    });
  }

  /**
   * DRAFT → ON_APPROVAL: renders the message for the audience's first recipient and asks documents (event, same
   * transaction) to file it as a COMMERCIAL_OFFER document with its default approval route. An empty audience is refused.
   */
  async submit(id: string): Promise<Mailing> {
    return this.command(id, 'submit', async (em, mailing) => {
      const sample = await new AudienceService(em).first(mailing.audienceFilter);
      if (!sample) throw new UserInputError('audience', 'The audience has no recipient: widen the filter or record the contacts\' consent first', { reason: 'mailing.audience-empty' });
      const preview = await new AudienceService(em).preview(mailing.audienceFilter, 0);
      const values = await this.personalisationFor(em, sample.counterpartyId, sample.contactName);
      const message = personalise(compileMailing(mailing), values);
      const documentId = randomUUID();
      const identity = this.context.identity;
      const payload: MailingApprovalRequested = {
        mailingId: mailing.id,
        documentId,
        name: mailing.name,
        subject: message.subject,
        html: message.html,
        text: message.text,
        counterpartyId: sample.counterpartyId,
        recipientCount: preview.recipients,
        requestedById: identity.kind === 'user' ? identity.id : null,
        requestedAt: new Date().toISOString(),
      };
      mailing.status = MailingStatus.ON_APPROVAL;
      mailing.approvalDocumentId = documentId;
      mailing.approvalComment = null;
      await em.flush();
      await publishEvent(em, MAILING_APPROVAL_REQUESTED, payload);
    });
  }

  /** APPROVED → SENDING: the recipients are the audience at this moment, fixed in this transaction (status QUEUED). */
  async start(id: string): Promise<Mailing> {
    return this.command(id, 'start', async (em, mailing) => {
      const now = new Date();
      const added = await new AudienceService(em).fixRecipients(mailing.id, mailing.audienceFilter, now);
      const total = await em.count(MailingRecipient, { mailingId: mailing.id });
      if (!added && !total) throw new UserInputError('audience', 'The audience has no recipient any more (consent withdrawn or addresses suppressed)', { reason: 'mailing.audience-empty' });
      mailing.status = MailingStatus.SENDING;
      mailing.startedAt = now;
    });
  }

  pause(id: string): Promise<Mailing> {
    return this.command(id, 'pause', async (_em, mailing) => {
      mailing.status = MailingStatus.PAUSED;
    });
  }

  resume(id: string): Promise<Mailing> {
    return this.command(id, 'resume', async (_em, mailing) => {
      mailing.status = MailingStatus.SENDING;
    });
  }

  /** Cancels before completion: queued recipients stay QUEUED and are never sent (the worker takes only SENDING mailings). */
  cancel(id: string): Promise<Mailing> {
    return this.command(id, 'cancel', async (_em, mailing) => {
      mailing.status = MailingStatus.CANCELLED;
      mailing.finishedAt = new Date();
    });
  }

  /** Runs a command on the locked mailing in one transaction; an illegal transition changes nothing. */
  private async command(id: string, command: MailingCommand, change: (em: EntityManager, mailing: Mailing) => Promise<void>): Promise<Mailing> {
    requirePermissions(this.context.identity, ['mailings:manage']);
    const mailingId = await this.em.transactional(async (em) => {
      const mailing = isUuid(id) ? await em.findOne(Mailing, { id: id.toLowerCase() }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true }) : null;
      if (!mailing) throw new NotFoundError('Mailing', id);
      assertTransition(mailing, command);
      await change(em, mailing);
      await em.flush();
      return mailing.id;
    });
    return this.em.findOneOrFail(Mailing, { id: mailingId }, { refresh: true });
  }

  /** A recipient's placeholder values; the unsubscribe link is the sending worker's (a placeholder link here). */
  private async personalisationFor(em: EntityManager, counterpartyId: string, contactName: string | null): Promise<PersonalisationValues> {
    const found = await new AudienceService(em).personalisationOf(counterpartyId);
    if (!found) return SAMPLE_PERSONALISATION;
    return { ...found, contactName: contactName ?? found.contactName, unsubscribeUrl: SAMPLE_PERSONALISATION.unsubscribeUrl };
  }

  /** `renderMailing`: unsaved content as it would be sent (sanitized), for a counterparty or with sample values. */
  async render(input: RenderMailingInput): Promise<{ subject: string; html: string; text: string; warnings: string[] }> {
    const unknown = [...new Set([...unknownPlaceholders(input.subject), ...unknownPlaceholders(input.bodyMjml)])];
    const compiled = compileMailing(input);
    const values = input.counterpartyId && isUuid(input.counterpartyId) ? await this.personalisationFor(this.em, input.counterpartyId.toLowerCase(), null) : SAMPLE_PERSONALISATION;
    const message = personalise(compiled, values);
    const warnings = [...(unknown.length ? [`Unknown placeholder(s): ${unknown.map((name) => `{{${name}}}`).join(', ')}`] : []), ...compiled.warnings];
    return { ...message, warnings };
  }

  previewAudience(audience: MailingAudienceFilterInput): Promise<AudiencePreview> {
    return new AudienceService(this.em).preview(normalizeAudience(audience));
  }

  audienceOf(mailing: Mailing): MailingAudience {
    return normalizeAudience(mailing.audienceFilter);
  }

  /** Progress of many mailings in one query per request. */
  async progressOf(mailingId: string): Promise<MailingProgressCounts> {
    const loader = this.context.loaders.get<MailingProgressCounts>('mailing-progress', async (ids) => {
      const rows = await this.em.execute<{ mailing_id: string; status: MailingRecipientStatus; count: string }[]>(
        'select mailing_id, status, count(*) as count from mailing_recipients where mailing_id in (select jsonb_array_elements_text(?::jsonb)::uuid) group by mailing_id, status',
        [JSON.stringify(ids)],
      );
      const byMailing = new Map<string, MailingProgressCounts>();
      for (const id of ids) byMailing.set(id, { total: 0, queued: 0, sent: 0, failed: 0, bounced: 0, unsubscribed: 0 });
      for (const row of rows) {
        const counts = byMailing.get(row.mailing_id);
        if (!counts) continue;
        const count = Number(row.count);
        counts.total += count;
        counts[row.status.toLowerCase() as Exclude<keyof MailingProgressCounts, 'total'>] += count;
      }
      return ids.map((id) => byMailing.get(id) ?? null);
    });
    return (await loader.load(mailingId)) ?? { total: 0, queued: 0, sent: 0, failed: 0, bounced: 0, unsubscribed: 0 };
  }

  /** A mailing's recipients by address (then id), optionally of one status. */
  async recipientsOf(mailingId: string, status: MailingRecipientStatus | null | undefined, args: PageArgs): Promise<ConnectionShape<MailingRecipient>> {
    const where: Record<string, unknown> = { mailingId };
    if (status) where.status = status;
    const totalCount = await this.em.count(MailingRecipient, where);
    const page: Record<string, unknown> = { ...where };
    if (args.after) {
      const [email, id] = decodeCursor(args.after, ['string', 'uuid']);
      page.$or = [{ email: { $gt: email } }, { email, id: { $gt: id } }];
    }
    const rows = await this.em.find(MailingRecipient, page, { orderBy: { email: 'asc', id: 'asc' }, limit: args.first + 1 });
    return toConnection(rows, args.first, totalCount, recipientCursorOf);
  }

  /**
   * `Counterparty.mailingRecipients`: a page of each counterparty's recipients in every mailing, newest first — one
   * query for all the counterparties of a response (a LATERAL page per counterparty).
   */
  async recipientsOfCounterparty(counterpartyId: string, args: PageArgs): Promise<ConnectionShape<MailingRecipient>> {
    const cursor = args.after ? decodeCursor(args.after, ['timestamp', 'uuid']) : null;
    const key = `counterparty-recipients:${args.first}:${args.after ?? ''}`;
    const loader = this.context.loaders.get<ConnectionShape<MailingRecipient>>(key, async (ids) => {
      const wanted = ids.filter(isUuid);
      if (!wanted.length) return ids.map(() => toConnection<MailingRecipient>([], args.first, 0, counterpartyRecipientCursorOf));
      const rows = await this.em.execute<Record<string, unknown>[]>(
        `select p.id as page_parent_id, (select count(*) from mailing_recipients t where t.counterparty_id = p.id) as page_total, r.*
         from (select jsonb_array_elements_text(?::jsonb)::uuid as id) p
         left join lateral (
           select * from mailing_recipients x where x.counterparty_id = p.id
             and (?::timestamptz is null or (x.created_at, x.id) < (?::timestamptz, ?::uuid))
           order by x.created_at desc, x.id desc limit ?
         ) r on true`,
        [JSON.stringify(wanted), cursor?.[0] ?? null, cursor?.[0] ?? null, cursor?.[1] ?? null, args.first + 1],
      );
      const groups = new Map<string, MailingRecipient[]>();
      const totals = new Map<string, number>();
      for (const { page_parent_id: parentId, page_total: total, ...row } of rows) {
        const parent = String(parentId);
        totals.set(parent, Number(total));
        if (row.id === null || row.id === undefined) continue;
        const recipient = this.em.map(MailingRecipient, row);
        groups.set(parent, [...(groups.get(parent) ?? []), recipient]);
      }
      return ids.map((id) => toConnection(groups.get(id.toLowerCase()) ?? [], args.first, totals.get(id.toLowerCase()) ?? 0, counterpartyRecipientCursorOf));
    });
    return (await loader.load(counterpartyId.toLowerCase())) ?? toConnection([], args.first, 0, counterpartyRecipientCursorOf);
  }

  async recipientsByIds(ids: readonly string[]): Promise<MailingRecipient[]> {
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()).filter(isUuid))];
    return wanted.length ? this.em.find(MailingRecipient, { id: { $in: wanted } }) : [];
  }
}
