import { randomUUID } from 'node:crypto';
import { actorId, assertTopic, ConflictError, type ConnectionShape, type CountedConnection, COUNTERPARTY_ARCHIVED, COUNTERPARTY_CHANGED, COUNTERPARTY_CREATED, COUNTERPARTY_RESTORED, isUuid, type LoaderRegistry, NotFoundError, OUTBOX_CHANNEL, primeKnownUsers, type SubgraphContext, UserDirectory, UserInputError } from '@kartoteka/kit';
import { validateBik, validateCorrespondentAccount, validateInn, validateKpp, validateOgrn, validateSettlementAccount, type RequisiteIssue } from '@kartoteka/kit/requisites';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isEmail } from 'class-validator';
import {
  ACTIVE_INN_KPP_UNIQUE,
  COUNTERPARTY_STATUSES,
  Counterparty,
  CounterpartyBankAccount,
  CounterpartyContact,
  CounterpartyKind,
  type CounterpartyStatus,
} from './counterparty.entity';
import { CounterpartyChange } from './counterparty-change.entity';
import { CounterpartyChangeService, diffStates, stateOf, type CounterpartyState } from './counterparty-change.service';
import type { CreateCounterpartyInput, UpdateCounterpartyInput } from './counterparty.input';
import { LIMITS } from './counterparty.input';
import { counterpartyUpsertedOf, publishCounterpartyEvent } from './counterparty.events';
import { insertRows } from './bulk-sql';
import { CounterpartyRepository, MAX_IDS, type CardParts, type CardRow, type CounterpartyListQuery } from './counterparty.repository';

/** The fields a write may carry, as received (create input, or update input merged over the stored state). */
export type Draft = {
  name?: string | null;
  shortName?: string | null;
  kind?: CounterpartyKind | null;
  status?: CounterpartyStatus | null;
  inn?: string | null;
  kpp?: string | null;
  ogrn?: string | null;
  legalAddress?: string | null;
  postalAddress?: string | null;
  bankAccounts?: { bankName: string; bik: string; account: string; correspondentAccount?: string | null }[] | null;
  contacts?: { name: string; position?: string | null; email?: string | null; phone?: string | null; mailingConsent?: boolean | null }[] | null;
  tags?: string[] | null;
  responsibleManagerId?: string | null;
};

/**
 * The fields of kit's counterparty contract: a change of one of them is published as `counterparties.counterparty.changed`
 * (the responsible manager too: finance shows a manager the overdue invoices of their counterparties).
 */
const SHARED_FIELDS: ReadonlySet<string> = new Set(['name', 'shortName', 'inn', 'kpp', 'status', 'responsibleManagerId', 'responsibleManager', 'tags', 'contacts', 'legalAddress']);

const DRAFT_FIELDS = ['name', 'shortName', 'kind', 'status', 'inn', 'kpp', 'ogrn', 'legalAddress', 'postalAddress', 'bankAccounts', 'contacts', 'tags', 'responsibleManagerId'] as const satisfies readonly (keyof Draft)[];

/** Trimmed text with inner whitespace collapsed; empty → null. */
function text(value: string | null | undefined): string | null {
  const normalized = (value ?? '').replace(/\s+/g, ' ').trim();
  return normalized || null;
}

/** Requisite numbers are stored without any whitespace (pasted "7707 083 893" is fine); empty → null. */
function code(value: string | null | undefined): string | null {
  const normalized = (value ?? '').replace(/\s+/g, '');
  return normalized || null;
}

function normalizeTags(tags: readonly string[] | null | undefined): string[] {
  return [...new Set((tags ?? []).map((tag) => text(tag)?.toLowerCase()).filter((tag): tag is string => Boolean(tag)))];
}

/** Normalizes a draft into the state to store; the checks come after, in `validate` (also the import's preview). */
export function normalize(draft: Draft): CounterpartyState {
  return {
    name: text(draft.name) ?? '',
    shortName: text(draft.shortName),
    kind: draft.kind as CounterpartyKind,
    status: draft.status as CounterpartyStatus,
    inn: code(draft.inn) ?? '',
    kpp: code(draft.kpp)?.toUpperCase() ?? null,
    ogrn: code(draft.ogrn),
    legalAddress: text(draft.legalAddress),
    postalAddress: text(draft.postalAddress),
    bankAccounts: (draft.bankAccounts ?? []).map((account) => ({
      bankName: text(account.bankName) ?? '',
      bik: code(account.bik) ?? '',
      account: code(account.account) ?? '',
      correspondentAccount: code(account.correspondentAccount),
    })),
    contacts: (draft.contacts ?? []).map((contact) => ({
      name: text(contact.name) ?? '',
      position: text(contact.position),
      email: text(contact.email)?.toLowerCase() ?? null,
      phone: text(contact.phone),
      mailingConsent: contact.mailingConsent === true,
    })),
    tags: normalizeTags(draft.tags),
    responsibleManagerId: draft.responsibleManagerId ?? null,
  };
}

/** `reason` is the validator's stable code, so clients can show the message in their own language. */
function fail(field: string, issue: RequisiteIssue | null): void {
  if (issue) throw new UserInputError(field, issue.message, { reason: issue.code });
}

/** Every rule of a counterparty's state; throws the first problem as BAD_USER_INPUT on its input path (also the import's preview). */
export function validate(state: CounterpartyState): void {
  if (!state.name) throw new UserInputError('name', 'Name must not be empty');
  if (!state.kind || !(state.kind in CounterpartyKind)) throw new UserInputError('kind', 'Kind is required');
  if (!state.status || !COUNTERPARTY_STATUSES.includes(state.status)) throw new UserInputError('status', 'Status is required');
  if (state.status === 'ARCHIVED') throw new UserInputError('status', 'A counterparty is archived with archiveCounterparty, not by setting its status');
  fail('inn', validateInn(state.inn, state.kind));
  fail('kpp', validateKpp(state.kpp, state.kind));
  fail('ogrn', validateOgrn(state.ogrn, state.kind));
  const seenAccounts = new Set<string>();
  state.bankAccounts.forEach((account, index) => {
    const path = `bankAccounts.${index}`;
    if (!account.bankName) throw new UserInputError(`${path}.bankName`, 'Bank name must not be empty');
    fail(`${path}.bik`, validateBik(account.bik));
    fail(`${path}.account`, validateSettlementAccount(account.account, account.bik));
    if (account.correspondentAccount !== null) fail(`${path}.correspondentAccount`, validateCorrespondentAccount(account.correspondentAccount, account.bik));
    const key = `${account.bik}/${account.account}`;
    if (seenAccounts.has(key)) throw new UserInputError(`${path}.account`, 'This bank account is already in the list');
    seenAccounts.add(key);
  });
  state.contacts.forEach((contact, index) => {
    const path = `contacts.${index}`;
    if (!contact.name) throw new UserInputError(`${path}.name`, 'Contact name must not be empty');
    if (contact.email !== null && !isEmail(contact.email)) throw new UserInputError(`${path}.email`, 'Enter a valid e-mail address');
    if (contact.phone !== null && (contact.phone.match(/\d/g)?.length ?? 0) < 5) throw new UserInputError(`${path}.phone`, 'Enter a phone number with at least 5 digits');
  });
  if (state.tags.length > LIMITS.tags) throw new UserInputError('tags', `At most ${LIMITS.tags} tags`);
  if (state.responsibleManagerId !== null && !isUuid(state.responsibleManagerId)) throw new UserInputError('responsibleManagerId', 'Responsible manager must be a user id');
}

function duplicateError(existing: DuplicateHolder): UserInputError {
  const requisites = existing.kpp ? `INN ${existing.inn} and KPP ${existing.kpp}` : `INN ${existing.inn}`;
  return new UserInputError('inn', `A counterparty with ${requisites} already exists: ${existing.name}`, {
    reason: 'counterparty.duplicate',
    existingId: existing.id,
    existingName: existing.name,
  });
}

function isActiveInnKppViolation(error: unknown): boolean {
  return error instanceof UniqueConstraintViolationException && (error as { constraint?: string }).constraint === ACTIVE_INN_KPP_UNIQUE;
}

/** A loaded entity collection as far as reading it goes (`createMany` builds no entities). */
function listView<T>(items: T[]): { isInitialized: () => boolean; getItems: () => T[] } {
  return { isInitialized: () => true, getItems: () => items };
}

/** What a duplicate's message names of the active counterparty holding the INN + KPP. */
type DuplicateHolder = Pick<Counterparty, 'id' | 'name' | 'inn' | 'kpp'>;

/** Loader names of the card's parts, shared by the field resolvers and primeCard. */
export const CARD_LOADERS = {
  contacts: 'counterparty:contacts',
  bankAccounts: 'counterparty:bankAccounts',
  history: (first: number, after: string | null | undefined) => `counterparty:history:${first}:${after ?? ''}`,
};

/** Hands what findCard read to the loaders of the card's field resolvers and of `User.name`. */
function primeCard(context: { loaders: LoaderRegistry }, card: CardRow, parts: CardParts): void {
  const id = card.counterparty.id;
  if (card.contacts) context.loaders.prime(CARD_LOADERS.contacts, id, card.contacts);
  if (card.bankAccounts) context.loaders.prime(CARD_LOADERS.bankAccounts, id, card.bankAccounts);
  if (card.history && parts.historyFirst !== null) context.loaders.prime(CARD_LOADERS.history(parts.historyFirst, null), id, card.history);
  primeKnownUsers(context, card.userIds, card.users);
}

/** Rules of counterparties: validation of every write, uniqueness, optimistic locking and history. */
export class CounterpartyService {
  constructor(private readonly context: Pick<SubgraphContext, 'em' | 'identity'>) {}

  list(query: CounterpartyListQuery): Promise<CountedConnection<Counterparty>> {
    return new CounterpartyRepository(this.context.em).list(query);
  }

  /**
   * A counterparty for its card: read with the parts the card asks for in one statement (see the repository's
   * findCard); those parts are handed to the per-request loaders the field resolvers use (`primeCard`), so they
   * cost no query of their own.
   */
  async findCard(id: string, parts: CardParts, loaders: LoaderRegistry): Promise<Counterparty | null> {
    const card = await new CounterpartyRepository(this.context.em).findCard(id, parts);
    if (!card) return null;
    primeCard({ loaders }, card, parts);
    return card.counterparty;
  }

  findByIds(ids: readonly string[]): Promise<Counterparty[]> {
    return new CounterpartyRepository(this.context.em).findByIds(ids);
  }

  /**
   * Counterparties by id in the order asked (e.g. "recently opened"), archived ones included; ids of none are
   * left out. At most MAX_IDS ids; a malformed id is a BAD_USER_INPUT on `ids`.
   */
  async byIds(ids: readonly string[]): Promise<Counterparty[]> {
    const unique = [...new Set(ids)];
    if (unique.length > MAX_IDS) throw new UserInputError('ids', `At most ${MAX_IDS} ids at once`, { max: MAX_IDS });
    const malformed = unique.find((id) => !isUuid(id));
    if (malformed !== undefined) throw new UserInputError('ids', `Not a counterparty id: ${malformed.slice(0, 40)}`, { reason: 'counterparty.id' });
    const rows = await new CounterpartyRepository(this.context.em).findByIds(unique);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return unique.flatMap((id) => byId.get(id) ?? []);
  }

  contactsOf(ids: readonly string[]): Promise<CounterpartyContact[][]> {
    return new CounterpartyRepository(this.context.em).contactsOf(ids);
  }

  bankAccountsOf(ids: readonly string[]): Promise<CounterpartyBankAccount[][]> {
    return new CounterpartyRepository(this.context.em).bankAccountsOf(ids);
  }

  historyOf(ids: readonly string[], first: number, after: string | null | undefined): Promise<ConnectionShape<CounterpartyChange>[]> {
    return new CounterpartyRepository(this.context.em).historyOf(ids, first, after);
  }

  /** `options.id` only for seeds that need deterministic ids. */
  async create(input: CreateCounterpartyInput, options: { id?: string } = {}): Promise<Counterparty> {
    const state = normalize({ ...input, status: input.status ?? 'PROSPECT' });
    validate(state);
    return this.guardUniqueness(() => state, () =>
      this.context.em.transactional(async (em) => {
        // the staff read model (identity's events), never identity itself
        if (state.responsibleManagerId) await new UserDirectory(em).requireActive(state.responsibleManagerId, 'responsibleManagerId');
        const repository = new CounterpartyRepository(em);
        const existing = await repository.findActiveDuplicate(state.inn, state.kpp, null);
        if (existing) throw duplicateError(existing);
        const now = new Date();
        const counterparty = em.create(Counterparty, { ...(options.id ? { id: options.id } : {}), ...scalarsOf(state), version: 1, createdAt: now, updatedAt: now });
        replaceLists(em, counterparty, state);
        new CounterpartyChangeService(em, this.context.identity).record(counterparty, 'CREATED', diffStates(null, state));
        await publishCounterpartyEvent(em, COUNTERPARTY_CREATED, counterparty);
        return counterparty;
      }),
    );
  }

  /**
   * `create` for many counterparties at once, in the caller's transaction, with a fixed number of statements (the
   * import's bulk path, issue 12: 100,000 rows in a minute): the same normalization and rules, the manager and
   * duplicate checks batched (one query each), then the rows `create` writes — counterparty, contacts, bank accounts,
   * history entry, timeline entry, one `counterparties.counterparty.created` event each — built as plain rows and
   * written set-based, one `INSERT … SELECT … FROM jsonb_to_recordset` per table (see `insertRows`). No entities:
   * building, change-tracking and formatting SQL for thousands of them was most of the import's time. The history
   * rows go in in input order and are chained by the table's trigger exactly as the ORM's inserts are. All or
   * nothing: the first problem throws (the import then writes the rows one by one with `create`).
   */
  createMany(inputs: readonly CreateCounterpartyInput[]): Promise<{ id: string }[]> {
    return this.createValidated(
      inputs.map((input) => {
        const state = normalize({ ...input, status: input.status ?? 'PROSPECT' });
        validate(state);
        return state;
      }),
    );
  }

  /**
   * `createMany` for states the caller has just normalized and checked with `validate` (the import's checkRow, run
   * again on every row of a round): the rules are not run a second time on the same values; the checks against the
   * database (managers, duplicates) are.
   */
  async createValidated(states: readonly CounterpartyState[]): Promise<{ id: string }[]> {
    if (!states.length) return [];
    return this.context.em.transactional(async (em) => {
      const managerIds = [...new Set(states.flatMap((state) => (state.responsibleManagerId ? [state.responsibleManagerId] : [])))];
      if (managerIds.length) {
        const active = new Set((await new UserDirectory(em).findByIds(managerIds)).filter((user) => user.active).map((user) => user.id));
        const missing = managerIds.find((id) => !active.has(id));
        if (missing) await new UserDirectory(em).requireActive(missing, 'responsibleManagerId');
      }
      const keyOf = (inn: string, kpp: string | null) => `${inn}/${kpp ?? ''}`;
      const keys = new Set<string>();
      for (const state of states) {
        const key = keyOf(state.inn, state.kpp);
        if (keys.has(key)) throw new UserInputError('inn', `INN ${state.inn} and KPP ${state.kpp ?? '—'} are given twice`);
        keys.add(key);
      }
      const taken = await em.execute<DuplicateHolder[]>(`select id, name, inn, kpp from counterparties where status <> 'ARCHIVED' and inn in (?)`, [
        [...new Set(states.map((state) => state.inn))],
      ]);
      const existing = taken.find((counterparty) => keys.has(keyOf(counterparty.inn, counterparty.kpp)));
      if (existing) throw duplicateError(existing);

      const at = new Date();
      const now = at.toISOString();
      const identity = this.context.identity;
      const actor = identity.kind === 'anonymous' ? null : identity;
      const actorIdOfChange = actorId(identity);
      const actorKind = actor?.kind ?? null;
      const actorName = actor?.name || null;
      const counterparties: Record<string, unknown>[] = [];
      const contacts: Record<string, unknown>[] = [];
      const bankAccounts: Record<string, unknown>[] = [];
      const changes: Record<string, unknown>[] = [];
      const timeline: Record<string, unknown>[] = [];
      const events: Record<string, unknown>[] = [];
      const created = states.map((state, n) => {
        const id = randomUUID();
        counterparties.push({ n, id, ...scalarsOf(state), updated_at: now });
        const eventContacts = state.contacts.map((contact, sortOrder) => {
          const row = { n, id: randomUUID(), counterparty_id: id, sort_order: sortOrder, ...contact, mailing_consent_at: contact.mailingConsent ? now : null };
          contacts.push(row);
          return { ...contact, id: row.id, sortOrder, mailingConsentAt: contact.mailingConsent ? at : null };
        });
        const accountRows = state.bankAccounts.map((account, sortOrder) => {
          const row = { n, id: randomUUID(), counterparty_id: id, sort_order: sortOrder, ...account };
          bankAccounts.push(row);
          return { ...account, id: row.id, sortOrder };
        });
        const fieldChanges = diffStates(null, state);
        const changeId = randomUUID();
        changes.push({ n, id: changeId, counterparty_id: id, changes: fieldChanges });
        // as CounterpartyChangeService.record writes it
        timeline.push({ n, event_id: changeId, counterparty_id: id, summary: { action: 'CREATED', fields: fieldChanges.map((item) => item.field), actorName } });
        // the event's payload by the same function as `create`'s, from a read-only view of the row just built
        const view = { id, ...scalarsOf(state), statusBeforeArchive: null, archivedAt: null, version: 1, createdAt: at, updatedAt: at, contacts: listView(eventContacts), bankAccounts: listView(accountRows) };
        const payload = counterpartyUpsertedOf(view as unknown as Counterparty);
        events.push({ n, id: randomUUID(), payload });
        return { id };
      });
      await insertRows(em, 'counterparties', counterparties,
        'id uuid, name text, "shortName" text, kind text, status text, inn text, kpp text, ogrn text, "legalAddress" text, "postalAddress" text, tags text[], "responsibleManagerId" uuid, updated_at timestamptz',
        'id, created_at, updated_at, name, short_name, kind, status, status_before_archive, inn, kpp, ogrn, legal_address, postal_address, tags, responsible_manager_id, version, archived_at',
        'r.id, r.updated_at, r.updated_at, r.name, r."shortName", r.kind, r.status, null, r.inn, r.kpp, r.ogrn, r."legalAddress", r."postalAddress", r.tags, r."responsibleManagerId", 1, null');
      await insertRows(em, 'counterparty_contacts', contacts,
        'id uuid, counterparty_id uuid, sort_order smallint, name text, position text, email text, phone text, "mailingConsent" boolean, mailing_consent_at timestamptz',
        'id, counterparty_id, sort_order, name, position, email, phone, mailing_consent, mailing_consent_at',
        'r.id, r.counterparty_id, r.sort_order, r.name, r.position, r.email, r.phone, r."mailingConsent", r.mailing_consent_at');
      await insertRows(em, 'counterparty_bank_accounts', bankAccounts,
        'id uuid, counterparty_id uuid, sort_order smallint, "bankName" text, bik text, account text, "correspondentAccount" text',
        'id, counterparty_id, sort_order, bank_name, bik, account, correspondent_account',
        'r.id, r.counterparty_id, r.sort_order, r."bankName", r.bik, r.account, r."correspondentAccount"');
      // chained one by one by the table's BEFORE INSERT trigger, in this order (each row sees the ones before it)
      await insertRows(em, 'counterparty_changes', changes,
        'id uuid, counterparty_id uuid, changes jsonb',
        'id, counterparty_id, version, at, action, actor_id, actor_kind, actor_name, changes',
        'r.id, r.counterparty_id, 1, ?::timestamptz, \'CREATED\', ?::uuid, ?, ?, r.changes',
        [now, actorIdOfChange, actorKind, actorName]);
      await insertRows(em, 'timeline_entries', timeline,
        'event_id uuid, counterparty_id uuid, summary jsonb',
        'event_id, counterparty_id, occurred_at, kind, actor_id, subject_type, subject_id, subject_title, summary, source',
        'r.event_id, r.counterparty_id, ?::timestamptz, \'REQUISITES_CHANGED\', ?::uuid, \'COUNTERPARTY\', r.counterparty_id, null, r.summary, \'counterparties\'',
        [now, actorKind === 'user' ? actorIdOfChange : null]);
      assertTopic(COUNTERPARTY_CREATED);
      await insertRows(em, 'outbox_events', events,
        'id uuid, payload jsonb',
        'id, topic, payload, created_at, published_at',
        'r.id, ?, r.payload, ?::timestamptz, null',
        [COUNTERPARTY_CREATED, now]);
      await em.execute(`select pg_notify('${OUTBOX_CHANNEL}', '')`);
      return created;
    });
  }

  /** Applies the given fields over the current state; the whole result is validated. No change, no new version. */
  async update(input: UpdateCounterpartyInput): Promise<Counterparty> {
    let target: CounterpartyState | null = null;
    return this.guardUniqueness(
      () => target,
      () =>
        this.context.em.transactional(async (em) => {
          const repository = new CounterpartyRepository(em);
          const counterparty = await repository.lockForChange(input.id, { withLists: true });
          if (!counterparty) throw new NotFoundError('Counterparty', input.id);
          if (counterparty.version !== input.version) throw staleVersion(counterparty, input.version);
          if (counterparty.status === 'ARCHIVED') throw new UserInputError('id', 'The counterparty is archived: restore it before editing');
          const before = stateOf(counterparty);
          const draft: Draft = { ...before };
          for (const field of DRAFT_FIELDS) {
            if (input[field] !== undefined) Object.assign(draft, { [field]: input[field] });
          }
          const state = normalize(draft);
          validate(state);
          target = state;
          const changes = diffStates(before, state);
          if (!changes.length) return counterparty;
          if (state.responsibleManagerId && state.responsibleManagerId !== before.responsibleManagerId) await new UserDirectory(em).requireActive(state.responsibleManagerId, 'responsibleManagerId');
          if (state.inn !== before.inn || state.kpp !== before.kpp) {
            const existing = await repository.findActiveDuplicate(state.inn, state.kpp, counterparty.id);
            if (existing) throw duplicateError(existing);
          }
          em.assign(counterparty, scalarsOf(state));
          replaceLists(em, counterparty, state);
          counterparty.version += 1;
          counterparty.updatedAt = new Date();
          new CounterpartyChangeService(em, this.context.identity).record(counterparty, 'UPDATED', changes);
          // Other services keep only these fields: a change of contacts or accounts is no news for them.
          if (changes.some((change) => SHARED_FIELDS.has(change.field))) await publishCounterpartyEvent(em, COUNTERPARTY_CHANGED, counterparty);
          return counterparty;
        }),
    );
  }

  /** Archives (idempotent: archiving an archived counterparty changes nothing). */
  archive(id: string): Promise<Counterparty> {
    return this.context.em.transactional(async (em) => {
      const counterparty = await new CounterpartyRepository(em).lockForChange(id, { withLists: false });
      if (!counterparty) throw new NotFoundError('Counterparty', id);
      if (counterparty.status === 'ARCHIVED') return counterparty;
      const from = counterparty.status;
      const now = new Date();
      Object.assign(counterparty, { statusBeforeArchive: from, status: 'ARCHIVED', archivedAt: now, updatedAt: now, version: counterparty.version + 1 });
      new CounterpartyChangeService(em, this.context.identity).record(counterparty, 'ARCHIVED', [{ field: 'status', from, to: 'ARCHIVED' }]);
      await publishCounterpartyEvent(em, COUNTERPARTY_ARCHIVED, counterparty);
      return counterparty;
    });
  }

  /** Restores the status it had before archiving, unless another active counterparty now has its INN + KPP. */
  async restore(id: string): Promise<Counterparty> {
    let target: { inn: string; kpp: string | null } | null = null;
    return this.guardUniqueness(
      () => target,
      () =>
        this.context.em.transactional(async (em) => {
          const repository = new CounterpartyRepository(em);
          const counterparty = await repository.lockForChange(id, { withLists: false });
          if (!counterparty) throw new NotFoundError('Counterparty', id);
          if (counterparty.status !== 'ARCHIVED') return counterparty;
          target = { inn: counterparty.inn, kpp: counterparty.kpp };
          const existing = await repository.findActiveDuplicate(counterparty.inn, counterparty.kpp, counterparty.id);
          if (existing) throw duplicateError(existing);
          const to = counterparty.statusBeforeArchive ?? 'PROSPECT';
          Object.assign(counterparty, { status: to, statusBeforeArchive: null, archivedAt: null, updatedAt: new Date(), version: counterparty.version + 1 });
          new CounterpartyChangeService(em, this.context.identity).record(counterparty, 'RESTORED', [{ field: 'status', from: 'ARCHIVED', to }]);
          await publishCounterpartyEvent(em, COUNTERPARTY_RESTORED, counterparty);
          return counterparty;
        }),
    );
  }

  /**
   * The service checks uniqueness first; two concurrent writes can still both pass that check, and then the
   * partial unique index stops the second one. That violation is reported like the checked case.
   */
  private async guardUniqueness(requisites: () => { inn: string; kpp: string | null } | null, write: () => Promise<Counterparty>): Promise<Counterparty> {
    try {
      return await write();
    } catch (error) {
      if (!isActiveInnKppViolation(error)) throw error;
      const target = requisites();
      const existing = target ? await new CounterpartyRepository(this.context.em.fork()).findActiveDuplicate(target.inn, target.kpp, null) : null;
      if (existing) throw duplicateError(existing);
      throw new UserInputError('inn', 'An active counterparty with this INN and KPP already exists');
    }
  }
}

function staleVersion(counterparty: Counterparty, version: number): ConflictError {
  return new ConflictError(`The counterparty was changed by someone else (version ${counterparty.version}, yours ${version}): reload it and apply your changes again`, {
    currentVersion: counterparty.version,
  });
}

function scalarsOf(state: CounterpartyState) {
  const { bankAccounts: _accounts, contacts: _contacts, ...scalars } = state;
  return scalars;
}

/**
 * Replaces both lists with the state's. Rows of items that are still there are kept with their ids (bank
 * accounts matched by BIK + account, contacts by e-mail or else by name), so references from elsewhere to
 * an account or a contact survive an edit of the card; the others are removed (orphanRemoval).
 */
function replaceLists(em: EntityManager, counterparty: Counterparty, state: CounterpartyState): void {
  const accounts = new Map(counterparty.bankAccounts.getItems().map((row) => [`${row.bik}/${row.account}`, row]));
  counterparty.bankAccounts.set(
    state.bankAccounts.map((item, sortOrder) => {
      const key = `${item.bik}/${item.account}`;
      const row = accounts.get(key);
      accounts.delete(key);
      return row ? Object.assign(row, item, { sortOrder }) : em.create(CounterpartyBankAccount, { counterparty, sortOrder, ...item });
    }),
  );
  const contactKey = (contact: { name: string; email: string | null }) => contact.email ?? `name:${contact.name}`;
  const contacts = new Map(counterparty.contacts.getItems().map((row) => [contactKey(row), row]));
  counterparty.contacts.set(
    state.contacts.map((item, sortOrder) => {
      const key = contactKey(item);
      const row = contacts.get(key);
      contacts.delete(key);
      // the consent's time is when it turned true; withdrawing it clears the time
      const mailingConsentAt = item.mailingConsent ? (row?.mailingConsent ? row.mailingConsentAt : new Date()) : null;
      return row ? Object.assign(row, item, { sortOrder, mailingConsentAt }) : em.create(CounterpartyContact, { counterparty, sortOrder, ...item, mailingConsentAt });
    }),
  );
}
