import { LockMode, QueryOrder, raw, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { actorId, byKeys, type CappedCount, cappedCountOf, ConflictError, type ConnectionShape, type CountedConnection, CounterpartyDirectory, decodeCursor, encodeCursor, ForbiddenError, groupByKeys, hasPermission, type Identity, isUuid, NotFoundError, preparedRows, publishEvent, readOnlyMapper, readPageRows, type SortDirection, type SubgraphContext, toConnection, UnprocessableEventError, UserDirectory, UserInputError } from '@kartoteka/kit';
import { CaseTemplateVersion } from '../case-template/case-template-version.entity';
import { DEFAULT_DEFINITION, DEFAULT_TEMPLATE_ID, DEFAULT_TEMPLATE_VERSION_ID } from '../case-template/case-template.defaults';
import { type CaseDefinition, type StageDefinition, startStage } from '../case-template/case-template.definition';
import { missingFields, validateFormData } from '../case-template/case-template.form';
import { CaseTemplateService } from '../case-template/case-template.service';
import { DealAction, DealActionStatus } from './deal-action.entity';
import { DealChange, type DealActorKind, type DealChangeDetails, DealChangeKind, type DealFieldChangeShape } from './deal-change.entity';
import { publishDealLifecycle } from './deal-lifecycle.events';
import { DealStageVisit } from './deal-stage-visit.entity';
import { Deal, DealStatus } from './deal.entity';
import { DealSort } from './deal.input';
import { dealOrderAfterSql, dealOrderCursor, dealOrderOf, dealOrderSql, stagePositionOf } from './deal-list.order';
import {
  APPROVAL_FAILED,
  DEAL_APPROVAL_REQUESTED,
  DEAL_DOCUMENT_REQUESTED,
  type DealApprovalRequested,
  type DealDocumentNews,
  type DealDocumentRequested,
  SIGNED_OR_LATER,
} from './deal.events';

type Context = Pick<SubgraphContext, 'em' | 'identity' | 'loaders'>;

/** Position in the list order `created_at desc, id desc` (also `at desc, id desc` of the history). */
type TimeCursor = { at: string; id: string };

export type NewDeal = {
  templateId?: string | null;
  templateVersionId?: string | null;
  title: string;
  counterpartyId: string;
  amountMinor?: number | null;
  currency?: string | null;
  /** The stage to start in (legacy); the template's first open stage when omitted. */
  stage?: string | null;
  ownerId?: string | null;
  expectedCloseDate?: string | null;
  formData?: Record<string, unknown> | null;
};

export type DealEdit = {
  id: string;
  version: number;
  title?: string | null;
  ownerId?: string | null;
  amountMinor?: number | null;
  currency?: string | null;
  expectedCloseDate?: string | null;
  /** Merged into the form data: a key with null clears that field. */
  formData?: Record<string, unknown> | null;
};

export type DealMove = { id: string; version: number; stageKey: string; closeReason?: string | null };

export type DealFilter = {
  templateId?: string | null;
  stageKey?: string | null;
  status?: DealStatus | null;
  ownerId?: string | null;
  counterpartyId?: string | null;
  search?: string | null;
  /** Deprecated `stage` argument: a stage code of the default template. */
  stage?: string | null;
  sort?: DealSort | null;
  direction?: SortDirection | null;
};
/**
 * `withTotal: false` leaves `totalCount` at 0 and skips counting (an export's later pages, a query that does not
 * select it); `countUpTo`: also count the matching deals up to this cap (deal.count.ts).
 */
export type PageArgs = { first: number; after?: string | null; withTotal?: boolean; countUpTo?: number | null };

const DOCUMENT_TYPE_OF: Partial<Record<string, { type: DealDocumentRequested['documentType']; name: string }>> = {
  SEND_OFFER: { type: 'COMMERCIAL_OFFER', name: 'Коммерческое предложение' },
  PREPARE_CONTRACT: { type: 'CONTRACT', name: 'Договор' },
};

const OUTCOME_STATUS: Record<StageDefinition['outcome'], DealStatus> = { OPEN: DealStatus.OPEN, WON: DealStatus.WON, LOST: DealStatus.LOST };

const DAY_MS = 86_400_000;

function cursorOf(deal: Deal): string {
  return encodeCursor([deal.createdAt.toISOString(), deal.id]);
}

function changeCursorOf(change: DealChange): string {
  return encodeCursor([change.at.toISOString(), change.id]);
}

function parseCursor(after: string): TimeCursor {
  const [at, id] = decodeCursor(after, ['timestamp', 'uuid']);
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || typeof id !== 'string' || !isUuid(id)) {
    throw new UserInputError('after', 'The cursor is not valid for this list');
  }
  return { at, id };
}

function afterCursorSql(alias: string, column: string, cursor: TimeCursor): { sql: string; params: string[] } {
  return { sql: `(${alias}.${column}, ${alias}.id) < (?::timestamptz, ?::uuid)`, params: [cursor.at, cursor.id] };
}

function legacyStage(field: string, code: string): string {
  const codes = DEFAULT_DEFINITION.stages.map((stage) => stage.key);
  if (!codes.includes(code)) throw new UserInputError(field, `Unknown stage «${code}»; the stages are ${codes.join(', ')}`);
  return code;
}

function actorKindOf(identity: Identity): DealActorKind {
  return identity.kind === 'anonymous' ? 'system' : identity.kind;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** The version a deal runs on (deals from before templates: the default template's version 1). */
export function versionIdOf(deal: Deal): string {
  return deal.templateVersionId ?? DEFAULT_TEMPLATE_VERSION_ID;
}

export class DealService {
  constructor(private readonly context: Context) {}

  private get templates(): CaseTemplateService {
    return new CaseTemplateService(this.context);
  }

  // ---- writes -------------------------------------------------------------------------------------------

  async create(input: NewDeal): Promise<Deal> {
    const title = input.title.trim();
    if (!title) throw new UserInputError('title', 'Enter a title');
    const version = await this.templates.versionForNewDeal(input);
    const definition = version.definition;
    const stage = input.stage?.trim() ? this.stageOf(definition, input.stage.trim(), 'stage') : startStage(definition);
    const formData = validateFormData(definition, input.formData ?? {}, version.id);
    const hasAmount = input.amountMinor !== null && input.amountMinor !== undefined;
    const identity = this.context.identity;
    const now = new Date();
    const id = await this.context.em.transactional(async (em) => {
      // References are checked against this service's read models (filled by events), never by asking their owners.
      await new CounterpartyDirectory(em).requireActive(input.counterpartyId, 'counterpartyId');
      if (input.ownerId) await new UserDirectory(em).requireActive(input.ownerId, 'ownerId');
      const deal = em.create(Deal, {
        title,
        counterpartyId: input.counterpartyId.toLowerCase(),
        amountMinor: hasAmount ? input.amountMinor : null,
        currency: hasAmount ? (input.currency ?? 'RUB') : null,
        templateId: version.templateId,
        templateVersionId: version.id,
        stageKey: stage.key,
        status: OUTCOME_STATUS[stage.outcome],
        formData,
        stageEnteredAt: now,
        // The owner is a staff member: the creator unless given; a deal a partner system creates has none.
        ownerId: input.ownerId?.toLowerCase() ?? (identity.kind === 'user' ? identity.id : null),
        expectedCloseDate: input.expectedCloseDate ?? null,
        createdAt: now,
        updatedAt: now,
      });
      this.enterStage(em, deal, stage, now, []);
      this.record(em, deal.id, DealChangeKind.CREATED, { toStageKey: stage.key }, now);
      await publishDealLifecycle(em, DealChangeKind.CREATED, deal, definition, null, identity, now);
      await em.flush();
      return deal.id;
    });
    return this.context.em.findOneOrFail(Deal, { id }, { refresh: true });
  }

  async update(input: DealEdit): Promise<Deal> {
    await this.context.em.transactional(async (em) => {
      const deal = await this.lockForChange(em, input.id, input.version);
      const changes: DealFieldChangeShape[] = [];
      const set = <K extends 'title' | 'ownerId' | 'amountMinor' | 'currency' | 'expectedCloseDate'>(field: K, value: Deal[K]) => {
        if (sameJson(deal[field], value)) return;
        changes.push({ field, from: deal[field], to: value });
        deal[field] = value;
      };
      if (input.title !== undefined && input.title !== null) {
        const title = input.title.trim();
        if (!title) throw new UserInputError('title', 'Enter a title');
        set('title', title);
      }
      if (input.ownerId !== undefined) {
        if (input.ownerId && input.ownerId.toLowerCase() !== deal.ownerId) await new UserDirectory(em).requireActive(input.ownerId, 'ownerId');
        const previousOwner = deal.ownerId;
        set('ownerId', input.ownerId?.toLowerCase() ?? null);
        if (previousOwner !== deal.ownerId) {
          // Open actions of the current stage that were the previous owner's go to the new one.
          await em.nativeUpdate(DealAction, { dealId: deal.id, stageKey: deal.stageKey, assigneeId: previousOwner, status: { $ne: DealActionStatus.DONE } }, { assigneeId: deal.ownerId });
        }
      }
      if (input.amountMinor !== undefined) {
        set('amountMinor', input.amountMinor);
        set('currency', input.amountMinor === null ? null : (input.currency ?? deal.currency ?? 'RUB'));
      } else if (input.currency !== undefined && input.currency !== null && deal.amountMinor !== null) {
        set('currency', input.currency);
      }
      if (input.expectedCloseDate !== undefined) set('expectedCloseDate', input.expectedCloseDate);
      if (input.formData) {
        const version = await this.versionOf(deal, em);
        const merged: Record<string, unknown> = { ...deal.formData };
        for (const [key, value] of Object.entries(input.formData)) {
          if (value === null) delete merged[key];
          else merged[key] = value;
        }
        const formData = validateFormData(version.definition, merged, version.id);
        for (const key of new Set([...Object.keys(deal.formData), ...Object.keys(formData)])) {
          if (!sameJson(deal.formData[key], formData[key])) changes.push({ field: `formData.${key}`, from: deal.formData[key] ?? null, to: formData[key] ?? null });
        }
        if (!sameJson(deal.formData, formData)) deal.formData = formData;
      }
      if (changes.length) this.record(em, deal.id, DealChangeKind.UPDATED, { changes });
      await em.flush();
    });
    return this.context.em.findOneOrFail(Deal, { id: input.id.toLowerCase() }, { refresh: true });
  }

  /**
   * Moves a deal to another stage of its version. Moving on (to a later stage, or to the won stage) is refused
   * while the current stage's required fields are empty or its required actions not done; moving back or to
   * a lost stage is not (a deal can be lost at any point) but a lost stage needs a reason.
   */
  async move(input: DealMove): Promise<Deal> {
    await this.context.em.transactional(async (em) => {
      const deal = await this.lockForChange(em, input.id, input.version);
      const { definition } = await this.versionOf(deal, em);
      const target = this.stageOf(definition, input.stageKey.trim(), 'stageKey');
      if (target.key === deal.stageKey) throw new UserInputError('stageKey', `The deal is already in «${target.name}»`);
      // A lost deal moves on from the stage it was lost from: winning it, or reopening it further on, must
      // meet that stage's requirements (otherwise losing and winning a deal would skip them).
      const fromKey = deal.status === DealStatus.LOST ? ((await this.stageBeforeLost(em, deal, definition)) ?? deal.stageKey) : deal.stageKey;
      const currentIndex = definition.stages.findIndex((stage) => stage.key === fromKey);
      const current = definition.stages[currentIndex];
      const targetIndex = definition.stages.indexOf(target);
      // Winning is always moving on, wherever the template puts its won stage.
      if (current && target.outcome !== 'LOST' && target.key !== current.key && (targetIndex > currentIndex || target.outcome === 'WON')) {
        const fields = missingFields(definition, current.requiredFields, deal.formData);
        const actions = await em.find(DealAction, { dealId: deal.id, stageKey: current.key, required: true, status: { $ne: DealActionStatus.DONE } }, { orderBy: { position: 'asc' } });
        if (fields.length || actions.length) {
          const labels = new Map(definition.form.fields.map((field) => [field.key, field.label]));
          const parts = [
            fields.length ? `fill in ${fields.map((key) => `«${labels.get(key) ?? key}»`).join(', ')}` : '',
            actions.length ? `complete ${actions.map((action) => `«${action.title}»`).join(', ')}` : '',
          ].filter(Boolean);
          throw new UserInputError('stageKey', `Before leaving «${current.name}», ${parts.join(' and ')}`, { missingFields: fields, missingActions: actions.map((action) => action.actionKey) });
        }
      }
      const closeReason = input.closeReason?.trim() || null;
      if (target.outcome === 'LOST' && !closeReason) throw new UserInputError('closeReason', 'Say why the deal was lost');
      const now = new Date();
      const from = deal.stageKey;
      const wasClosed = deal.status !== DealStatus.OPEN;
      await em.nativeUpdate(DealStageVisit, { dealId: deal.id, leftAt: null }, { leftAt: now });
      const existing = await em.find(DealAction, { dealId: deal.id, stageKey: target.key });
      deal.stageKey = target.key;
      deal.stageEnteredAt = now;
      deal.status = OUTCOME_STATUS[target.outcome];
      deal.closeReason = target.outcome === 'OPEN' ? null : closeReason;
      this.enterStage(em, deal, target, now, existing.map((action) => action.actionKey));
      const kind = target.outcome === 'WON' ? DealChangeKind.WON : target.outcome === 'LOST' ? DealChangeKind.LOST : wasClosed ? DealChangeKind.REOPENED : DealChangeKind.STAGE_CHANGED;
      this.record(em, deal.id, kind, { fromStageKey: from, toStageKey: target.key, ...(target.outcome === 'OPEN' ? {} : { closeReason }) }, now);
      await publishDealLifecycle(em, kind, deal, definition, from, this.context.identity, now);
      await em.flush();
    });
    return this.context.em.findOneOrFail(Deal, { id: input.id.toLowerCase() }, { refresh: true });
  }

  /**
   * Runs an action: plain ones are done at once; SEND_OFFER and PREPARE_CONTRACT ask the documents service for
   * a draft, REQUEST_APPROVAL asks it to start the approval of the deal's newest contract — the request is
   * published in the same transaction and the action stays REQUESTED until the answer comes (see
   * deal.consumer.ts).
   */
  async completeAction(input: { id: string; comment?: string | null }): Promise<DealAction> {
    const identity = this.context.identity;
    await this.context.em.transactional(async (em) => {
      const found = isUuid(input.id) ? await em.findOne(DealAction, { id: input.id.toLowerCase() }) : null;
      if (!found) throw new NotFoundError('DealAction', input.id);
      // Locks in the order every change of a deal takes them: the deal, then its actions.
      const deal = await em.findOneOrFail(Deal, { id: found.dealId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      const action = await em.findOneOrFail(DealAction, { id: found.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      this.assertMayChange(deal, action.assigneeId);
      if (deal.status === DealStatus.LOST) throw new UserInputError('id', 'The deal is lost; its actions are closed');
      if (action.status === DealActionStatus.DONE) throw new UserInputError('id', 'This action is already done');
      if (action.status === DealActionStatus.REQUESTED) throw new UserInputError('id', 'Already requested; waiting for the documents service');
      const now = new Date();
      const comment = input.comment?.trim() || null;
      const base = { actionId: action.id, actionKey: action.actionKey, actionTitle: action.title, comment };
      action.comment = comment;
      action.failureReason = null;
      const document = DOCUMENT_TYPE_OF[action.kind];
      if (document) {
        action.status = DealActionStatus.REQUESTED;
        // The template of the document's file, as the deal's case template version names it for this action.
        const { definition } = await this.versionOf(deal, em);
        const templateCode = definition.stages.find((stage) => stage.key === action.stageKey)?.actions.find((candidate) => candidate.key === action.actionKey)?.templateCode ?? null;
        const payload: DealDocumentRequested = {
          dealId: deal.id,
          actionId: action.id,
          counterpartyId: deal.counterpartyId,
          documentType: document.type,
          title: `${document.name} — ${deal.title}`.slice(0, 500),
          requestedById: actorId(identity),
          amountMinor: deal.amountMinor,
          currency: deal.currency,
          templateCode,
          dealTitle: deal.title,
        };
        await publishEvent(em, DEAL_DOCUMENT_REQUESTED, payload);
        this.record(em, deal.id, DealChangeKind.ACTION_REQUESTED, base, now);
      } else if (action.kind === 'REQUEST_APPROVAL') {
        const contract = await em.findOne(
          DealAction,
          { dealId: deal.id, kind: 'PREPARE_CONTRACT', documentId: { $ne: null } },
          { orderBy: { doneAt: 'desc', updatedAt: 'desc', id: 'desc' } },
        );
        if (!contract?.documentId) throw new UserInputError('id', 'There is no contract of this deal to approve yet: prepare the contract first');
        action.status = DealActionStatus.REQUESTED;
        action.documentId = contract.documentId;
        const payload: DealApprovalRequested = { dealId: deal.id, actionId: action.id, documentId: contract.documentId, requestedById: actorId(identity) };
        await publishEvent(em, DEAL_APPROVAL_REQUESTED, payload);
        this.record(em, deal.id, DealChangeKind.ACTION_REQUESTED, { ...base, documentId: contract.documentId }, now);
      } else {
        action.status = DealActionStatus.DONE;
        action.doneAt = now;
        action.doneById = actorId(identity);
        this.record(em, deal.id, DealChangeKind.ACTION_DONE, base, now);
      }
      await em.flush();
    });
    return this.context.em.findOneOrFail(DealAction, { id: input.id.toLowerCase() }, { refresh: true });
  }

  /** documents.document.created: the action that asked for the document is done and links it. Repeats change nothing. */
  async recordDocumentCreated(em: EntityManager, news: DealDocumentNews): Promise<void> {
    if (!news.actionId) throw new UnprocessableEventError('documents.document.created without an actionId');
    await this.lockDeal(em, news.dealId);
    const action = await em.findOne(DealAction, { id: news.actionId, dealId: news.dealId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!action) throw new UnprocessableEventError(`No action ${news.actionId} of deal ${news.dealId}`);
    if (!DOCUMENT_TYPE_OF[action.kind]) return;
    if (action.status === DealActionStatus.DONE && action.documentId === news.documentId) return;
    const now = new Date();
    action.documentId = news.documentId;
    action.status = DealActionStatus.DONE;
    action.doneAt = now;
    action.failureReason = null;
    this.record(em, action.dealId, DealChangeKind.DOCUMENT_CREATED, { actionId: action.id, actionKey: action.actionKey, actionTitle: action.title, documentId: news.documentId }, now, 'system');
    await em.flush();
  }

  /**
   * documents.document.status-changed: a requested approval is done once its document is signed (or further),
   * failed when the document is rejected or cancelled, or when the documents service refused to start it.
   */
  async recordDocumentStatus(em: EntityManager, news: DealDocumentNews): Promise<void> {
    await this.lockDeal(em, news.dealId);
    const candidates = await em.find(
      DealAction,
      { dealId: news.dealId, kind: 'REQUEST_APPROVAL', $or: [{ documentId: news.documentId }, ...(news.actionId ? [{ id: news.actionId }] : [])] },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    const now = new Date();
    for (const action of candidates) {
      const base = { actionId: action.id, actionKey: action.actionKey, actionTitle: action.title, documentId: news.documentId };
      if (news.error && action.id === news.actionId) {
        if (action.status !== DealActionStatus.REQUESTED) continue;
        action.status = DealActionStatus.FAILED;
        action.failureReason = news.error;
        this.record(em, action.dealId, DealChangeKind.ACTION_FAILED, { ...base, reason: news.error }, now, 'system');
      } else if (action.documentId !== news.documentId) {
        continue;
      } else if (SIGNED_OR_LATER.has(news.status) && action.status !== DealActionStatus.DONE) {
        action.status = DealActionStatus.DONE;
        action.doneAt = now;
        action.failureReason = null;
        this.record(em, action.dealId, DealChangeKind.ACTION_DONE, base, now, 'system');
      } else if (APPROVAL_FAILED.has(news.status) && action.status === DealActionStatus.REQUESTED) {
        action.status = DealActionStatus.FAILED;
        action.failureReason = `The document is ${news.status.toLowerCase()}`;
        this.record(em, action.dealId, DealChangeKind.ACTION_FAILED, { ...base, reason: action.failureReason }, now, 'system');
      }
    }
    await em.flush();
  }

  /**
   * Puts deals from before case templates on the default template's version 1 (status from their stage, one
   * stage visit since their last change, the current stage's actions). Part of the install step; idempotent.
   */
  async adoptLegacy(em: EntityManager): Promise<number> {
    const adopted = await em.execute<{ id: string }[]>(
      `update deals set template_id = ?, template_version_id = ?,
         status = case stage when 'won' then 'WON' when 'lost' then 'LOST' else 'OPEN' end, stage_entered_at = updated_at
       where template_version_id is null returning id`,
      [DEFAULT_TEMPLATE_ID, DEFAULT_TEMPLATE_VERSION_ID],
    );
    if (!adopted.length) return 0;
    const ids = adopted.map((row) => row.id);
    await em.execute(`insert into deal_stage_visits (id, deal_id, stage_key, entered_at) select gen_random_uuid(), id, stage, stage_entered_at from deals where id in (?)`, [ids]);
    for (const stage of DEFAULT_DEFINITION.stages) {
      for (const [position, action] of stage.actions.entries()) {
        await em.execute(
          `insert into deal_actions (id, created_at, updated_at, deal_id, stage_key, action_key, kind, title, position, assignee_id, due_at, required, status)
           select gen_random_uuid(), now(), now(), d.id, d.stage, ?, ?, ?, ?, ${action.assignee.type === 'USER' ? '?::uuid' : 'd.owner_id'}, d.stage_entered_at + ? * interval '1 day', ?, 'TODO'
           from deals d where d.id in (?) and d.stage = ? on conflict do nothing`,
          [action.key, action.kind, action.title, position, ...(action.assignee.type === 'USER' ? [action.assignee.userId] : []), action.dueOffsetDays, action.required, ids, stage.key],
        );
      }
    }
    return ids.length;
  }

  // ---- reads --------------------------------------------------------------------------------------------

  findById(id: string): Promise<Deal | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.context.em.findOne(Deal, { id: id.toLowerCase() });
  }

  findByIds(ids: readonly string[]): Promise<Deal[]> {
    const valid = ids.filter(isUuid).map((id) => id.toLowerCase());
    return valid.length ? this.context.em.find(Deal, { id: { $in: valid } }) : Promise.resolve([]);
  }

  /** A deal by id, batched per request (actions resolving their deal). */
  async dealById(id: string): Promise<Deal | null> {
    const loader = this.context.loaders.get<Deal>('deals:by-id', async (ids) => byKeys(ids.map((key) => key.toLowerCase()), await this.findByIds(ids), (row) => row.id));
    return loader.load(id);
  }

  /** One page of deals matching the filter, plus the counts asked for: one statement each. */
  async list(filter: DealFilter, args: PageArgs): Promise<CountedConnection<Deal>> {
    const where: FilterQuery<Deal> = {};
    if (filter.counterpartyId) where.counterpartyId = filter.counterpartyId.toLowerCase();
    if (filter.templateId) where.templateId = filter.templateId.toLowerCase();
    if (filter.ownerId) where.ownerId = filter.ownerId.toLowerCase();
    if (filter.status) where.status = filter.status;
    if (filter.stage) where.stageKey = legacyStage('stage', filter.stage);
    if (filter.stageKey) where.stageKey = filter.stageKey;
    const search = filter.search?.trim();
    if (search) where.title = { $ilike: likePattern(search) };
    const order = dealOrderOf(filter.sort, filter.direction);
    const query = this.context.em.createQueryBuilder(Deal, 'd').where(where).limit(args.first + 1);
    if (order) {
      query.orderBy({ [raw(dealOrderSql('d', order))]: order.desc ? QueryOrder.DESC_NULLS_LAST : QueryOrder.ASC_NULLS_LAST, id: order.desc ? QueryOrder.DESC : QueryOrder.ASC });
      if (args.after) {
        const after = dealOrderAfterSql('d', order, args.after);
        query.andWhere(after.sql, after.params);
      }
    } else {
      query.orderBy({ createdAt: 'desc', id: 'desc' });
      if (args.after) {
        const after = afterCursorSql('d', 'created_at', parseCursor(args.after));
        query.andWhere(after.sql, after.params);
      }
    }
    const countUpTo = args.countUpTo ?? null;
    const capped = async (): Promise<CappedCount | undefined> => {
      if (countUpTo === null) return undefined;
      const matching = this.context.em.createQueryBuilder(Deal, 'd').select(raw('1')).where(where).limit(countUpTo + 1).getKnexQuery();
      const [row] = await this.context.em.execute<{ total: string }[]>(this.context.em.getKnex().count({ total: '*' }).from(matching.as('capped')));
      return cappedCountOf(Number(row?.total ?? 0), countUpTo);
    };
    const [rows, total, cappedCount] = await Promise.all([query.getResultList(), args.withTotal === false ? 0 : this.context.em.count(Deal, where), capped()]);
    const counted = cappedCount ? { cappedCount } : {};
    if (!order) return { ...toConnection(rows, args.first, total, cursorOf), ...counted };
    // A STAGE cursor keeps the stage's funnel position, read from the (batched) versions of the page.
    const positions = new Map<string, number | null>();
    if (order.key === DealSort.STAGE) {
      const versions = await Promise.all(rows.map((deal) => this.templates.versionById(versionIdOf(deal))));
      rows.forEach((deal, index) => positions.set(deal.id, stagePositionOf(versions[index], deal)));
    }
    return { ...toConnection(rows, args.first, total, (deal) => dealOrderCursor(order, deal, positions.get(deal.id) ?? null)), ...counted };
  }

  /**
   * The deals page of one counterparty. All counterparties asked for in one request with the same
   * arguments (e.g. many `_entities` representations) are loaded together: two statements in all.
   */
  async pageOfCounterparty(counterpartyId: string, args: PageArgs): Promise<ConnectionShape<Deal>> {
    const cursor = args.after ? parseCursor(args.after) : null;
    const loader = this.context.loaders.get<ConnectionShape<Deal>>(`deals:of-counterparty:${args.first}:${args.after ?? ''}`, (ids) =>
      this.pagesOfCounterparties(ids, args.first, cursor),
    );
    return (await loader.load(counterpartyId.toLowerCase())) ?? toConnection([], args.first, 0, cursorOf);
  }

  /**
   * The version a deal runs on, batched per request. Inside a transaction pass its `em`: the request's loaders read
   * through the request's EntityManager, which would take a second pooled connection while the transaction holds one
   * (enough concurrent moves then wait for each other's connections until the pool's acquire timeout).
   */
  async versionOf(deal: Deal, em?: EntityManager): Promise<CaseTemplateVersion> {
    const version = em ? await em.findOne(CaseTemplateVersion, { id: versionIdOf(deal) }) : await this.templates.versionById(versionIdOf(deal));
    if (!version) throw new Error(`Template version ${versionIdOf(deal)} of deal ${deal.id} is missing`);
    return version;
  }

  async currentStageOf(deal: Deal): Promise<StageDefinition | null> {
    const version = await this.templates.versionById(versionIdOf(deal));
    return version?.definition.stages.find((stage) => stage.key === deal.stageKey) ?? null;
  }

  /** Amount × probability of the current stage, in minor units; null without an amount. */
  async weightedAmountOf(deal: Deal): Promise<number | null> {
    if (deal.amountMinor === null) return null;
    const stage = await this.currentStageOf(deal);
    return Math.round((deal.amountMinor * (stage?.probability ?? 0)) / 100);
  }

  /** All actions of a deal in the order they came up; batched across deals (one statement per request). */
  async actionsOf(dealId: string): Promise<DealAction[]> {
    const loader = this.context.loaders.get<DealAction[]>('deal-actions:of-deal', async (ids) => {
      const rows = await this.context.em.find(DealAction, { dealId: { $in: [...new Set(ids)] } }, { orderBy: { createdAt: 'asc', position: 'asc', id: 'asc' } });
      return groupByKeys(ids, rows, (row) => row.dealId);
    });
    return (await loader.load(dealId)) ?? [];
  }

  /** What to do next: the current stage's first action not done (actionable before waiting ones, then by due date). */
  async nextActionOf(deal: Deal): Promise<DealAction | null> {
    const rank = (action: DealAction) => (action.status === DealActionStatus.REQUESTED ? 1 : 0);
    const open = (await this.actionsOf(deal.id)).filter((action) => action.stageKey === deal.stageKey && action.status !== DealActionStatus.DONE);
    open.sort((a, b) => rank(a) - rank(b) || (a.dueAt?.getTime() ?? Infinity) - (b.dueAt?.getTime() ?? Infinity) || a.position - b.position);
    return open[0] ?? null;
  }

  /** The deal's history, newest first. */
  async historyOf(dealId: string, args: PageArgs): Promise<ConnectionShape<DealChange>> {
    const query = this.context.em.createQueryBuilder(DealChange, 'c').where({ dealId }).orderBy({ at: 'desc', id: 'desc' }).limit(args.first + 1);
    if (args.after) {
      const after = afterCursorSql('c', 'at', parseCursor(args.after));
      query.andWhere(after.sql, after.params);
    }
    const [rows, total] = await Promise.all([query.getResultList(), this.context.em.count(DealChange, { dealId })]);
    return toConnection(rows, args.first, total, changeCursorOf);
  }

  // ---- internals ----------------------------------------------------------------------------------------

  private stageOf(definition: CaseDefinition, key: string, field: string): StageDefinition {
    const stage = definition.stages.find((candidate) => candidate.key === key);
    if (!stage) throw new UserInputError(field, `Unknown stage «${key}»; the stages are ${definition.stages.map((candidate) => candidate.key).join(', ')}`);
    return stage;
  }

  /** Opens a stage visit and creates the stage's actions the deal does not have yet (a deal may come back to a stage). */
  private enterStage(em: EntityManager, deal: Deal, stage: StageDefinition, at: Date, existingActionKeys: readonly string[]): void {
    em.create(DealStageVisit, { dealId: deal.id, stageKey: stage.key, enteredAt: at });
    stage.actions.forEach((action, position) => {
      if (existingActionKeys.includes(action.key)) return;
      em.create(DealAction, {
        dealId: deal.id,
        stageKey: stage.key,
        actionKey: action.key,
        kind: action.kind,
        title: action.title,
        position,
        assigneeId: action.assignee.type === 'USER' ? action.assignee.userId : deal.ownerId,
        dueAt: new Date(at.getTime() + action.dueOffsetDays * DAY_MS),
        required: action.required,
        createdAt: at,
        updatedAt: at,
      });
    });
  }

  private record(em: EntityManager, dealId: string, kind: DealChangeKind, details: DealChangeDetails, at = new Date(), actorKind?: DealActorKind): void {
    const kindOfActor = actorKind ?? actorKindOf(this.context.identity);
    em.create(DealChange, { dealId, kind, details, at, actorKind: kindOfActor, actorId: kindOfActor === 'system' ? null : actorId(this.context.identity) });
  }

  /**
   * Owners, managers and administrators change a deal (partner systems with deals:write too); an action's
   * assignee may run it even without deals:write (e.g. a lawyer asked to review).
   */
  private assertMayChange(deal: Deal, assigneeId: string | null = null): void {
    const identity = this.context.identity;
    if (assigneeId && identity.kind === 'user' && identity.id === assigneeId) return;
    if (!hasPermission(identity, 'deals:write')) throw new ForbiddenError('Missing permission deals:write');
    if (identity.kind === 'apiKey') return;
    if (identity.kind === 'user' && (identity.roles.includes('ADMIN') || identity.roles.includes('MANAGER') || identity.id === deal.ownerId || identity.id === assigneeId)) return;
    throw new ForbiddenError('Only the deal\'s owner, a manager or an administrator may change this deal');
  }

  /** The last stage a lost deal was in before being lost (from its stage visits); null when it started lost. */
  private async stageBeforeLost(em: EntityManager, deal: Deal, definition: CaseDefinition): Promise<string | null> {
    const lostKeys = definition.stages.filter((stage) => stage.outcome === 'LOST').map((stage) => stage.key);
    const visit = await em.findOne(DealStageVisit, { dealId: deal.id, stageKey: { $nin: lostKeys } }, { orderBy: { enteredAt: 'desc', id: 'desc' } });
    return visit?.stageKey ?? null;
  }

  /** The deal's row lock, taken first by every change of a deal or its actions (one lock order, no deadlocks). */
  private async lockDeal(em: EntityManager, dealId: string): Promise<void> {
    await em.execute('select id from deals where id = ? for update', [dealId]);
  }

  private async lockForChange(em: EntityManager, id: string, version: number): Promise<Deal> {
    const deal = isUuid(id) ? await em.findOne(Deal, { id: id.toLowerCase() }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true }) : null;
    if (!deal) throw new NotFoundError('Deal', id);
    this.assertMayChange(deal);
    if (deal.version !== version) throw new ConflictError('The deal was changed by someone else; reload it', { currentVersion: deal.version });
    return deal;
  }

  /**
   * First `first` deals after `cursor` per counterparty (a LATERAL index scan each), their totals and their
   * owners' names from the staff read model, in one statement; the owners are handed to the per-request batch of
   * `User.name` (kit's readPageRows), so the page's owners cost no query of their own.
   */
  private async pagesOfCounterparties(counterpartyIds: readonly string[], first: number, cursor: TimeCursor | null): Promise<ConnectionShape<Deal>[]> {
    const ids = [...new Set(counterpartyIds.filter(isUuid))];
    if (!ids.length) return counterpartyIds.map(() => toConnection<Deal>([], first, 0, cursorOf));
    const after = cursor ? afterCursorSql('x', 'created_at', cursor) : null;
    const pageSql = `select d.*, t.page_total, u.id as page_user_id, u.name as page_user_name, c.id as page_parent_id
      from unnest(?::uuid[]) as c(id)
      cross join lateral (select count(*)::int as page_total from deals x where x.counterparty_id = c.id) t
      left join lateral (
        select x.* from deals x where x.counterparty_id = c.id${after ? ` and ${after.sql}` : ''}
        order by x.created_at desc, x.id desc limit ?
      ) d on true
      left join user_refs u on u.id = d.owner_id
      order by c.id, d.created_at desc, d.id desc`;
    // a prepared statement (kit's preparedRows): planning this statement cost more than running it
    const rows = await preparedRows(this.context.em, pageSql, [ids, ...(after?.params ?? []), first + 1]);
    // read-only entities (kit's readOnlyMapper): a page is never written, so no identity map or change tracking
    const toDeal = readOnlyMapper(this.context.em, Deal);
    const pages = readPageRows(this.context, rows, { map: toDeal, userIdOf: (deal) => deal.ownerId });
    return counterpartyIds.map((id) => toConnection(pages.groups.get(id) ?? [], first, pages.totals.get(id) ?? 0, cursorOf));
  }
}
