import { actorId, type Identity } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CounterpartyKind, CounterpartyStatus } from './counterparty.entity';
import { Counterparty } from './counterparty.entity';
import { CounterpartyChange, type CounterpartyChangeAction, type FieldChange } from './counterparty-change.entity';
import { TimelineEntry } from '../timeline/timeline-entry.entity';

export type ContactState = { name: string; position: string | null; email: string | null; phone: string | null; mailingConsent: boolean };
export type BankAccountState = { bankName: string; bik: string; account: string; correspondentAccount: string | null };

/** Everything a write may change: the state the rules are checked against and the history is diffed from. */
export type CounterpartyState = {
  name: string;
  shortName: string | null;
  kind: CounterpartyKind;
  status: CounterpartyStatus;
  inn: string;
  kpp: string | null;
  ogrn: string | null;
  legalAddress: string | null;
  postalAddress: string | null;
  bankAccounts: BankAccountState[];
  contacts: ContactState[];
  tags: string[];
  responsibleManagerId: string | null;
};

/** Field order of the history entries (the input's order). */
const FIELDS = ['name', 'shortName', 'kind', 'status', 'inn', 'kpp', 'ogrn', 'legalAddress', 'postalAddress', 'bankAccounts', 'contacts', 'tags', 'responsibleManagerId'] as const satisfies readonly (keyof CounterpartyState)[];

/** How a field is named in the history: the GraphQL field it shows up as. */
const HISTORY_NAMES: Partial<Record<keyof CounterpartyState, string>> = { responsibleManagerId: 'responsibleManager' };

function bankAccountLine(account: BankAccountState): string {
  const correspondent = account.correspondentAccount ? `, corr. ${account.correspondentAccount}` : '';
  return `${account.bankName} (BIK ${account.bik}): ${account.account}${correspondent}`;
}

function contactLine(contact: ContactState): string {
  const details = [contact.position, contact.email, contact.phone, contact.mailingConsent ? 'mailing consent' : null].filter((part): part is string => Boolean(part));
  return details.length ? `${contact.name} (${details.join(', ')})` : contact.name;
}

/** A field's value as the history shows it; lists become one line per item joined with "; ", empty → null. */
export function displayValue(state: CounterpartyState, field: (typeof FIELDS)[number]): string | null {
  switch (field) {
    case 'bankAccounts':
      return state.bankAccounts.length ? state.bankAccounts.map(bankAccountLine).join('; ') : null;
    case 'contacts':
      return state.contacts.length ? state.contacts.map(contactLine).join('; ') : null;
    case 'tags':
      return state.tags.length ? state.tags.join(', ') : null;
    default:
      return state[field];
  }
}

/** Field-level diff; `before` null means creation (every non-empty field is listed). */
export function diffStates(before: CounterpartyState | null, after: CounterpartyState): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of FIELDS) {
    const from = before ? displayValue(before, field) : null;
    const to = displayValue(after, field);
    if (from !== to) changes.push({ field: HISTORY_NAMES[field] ?? field, from, to });
  }
  return changes;
}

export function stateOf(counterparty: Counterparty): CounterpartyState {
  return {
    name: counterparty.name,
    shortName: counterparty.shortName,
    kind: counterparty.kind,
    status: counterparty.status,
    inn: counterparty.inn,
    kpp: counterparty.kpp,
    ogrn: counterparty.ogrn,
    legalAddress: counterparty.legalAddress,
    postalAddress: counterparty.postalAddress,
    bankAccounts: counterparty.bankAccounts.getItems().map(({ bankName, bik, account, correspondentAccount }) => ({ bankName, bik, account, correspondentAccount })),
    contacts: counterparty.contacts.getItems().map(({ name, position, email, phone, mailingConsent }) => ({ name, position, email, phone, mailingConsent })),
    tags: [...counterparty.tags],
    responsibleManagerId: counterparty.responsibleManagerId,
  };
}

/** Writes history entries; called by CounterpartyService inside the transaction of the change. */
export class CounterpartyChangeService {
  constructor(private readonly em: EntityManager, private readonly identity: Identity) {}

  /** One entry for the counterparty's current version, stamped with its `updatedAt`. */
  record(counterparty: Counterparty, action: CounterpartyChangeAction, changes: FieldChange[]): CounterpartyChange {
    const actor = this.identity.kind === 'anonymous' ? null : this.identity;
    const change = this.em.create(CounterpartyChange, {
      counterparty,
      version: counterparty.version,
      at: counterparty.updatedAt,
      action,
      actorId: actorId(this.identity),
      actorKind: actor?.kind ?? null,
      actorName: actor?.name || null,
      changes,
    });
    // The counterparty's own entry of its timeline, in the same transaction (the timeline's backfill writes the same).
    this.em.create(TimelineEntry, {
      eventId: change.id,
      counterpartyId: counterparty.id,
      occurredAt: change.at,
      kind: 'REQUISITES_CHANGED',
      // a staff member (the timeline names them); an API key's name is kept in the summary
      actorId: change.actorKind === 'user' ? change.actorId : null,
      subjectType: 'COUNTERPARTY',
      subjectId: counterparty.id,
      subjectTitle: null,
      summary: { action, fields: changes.map((item) => item.field), actorName: change.actorName },
      source: 'counterparties',
    });
    return change;
  }
}
