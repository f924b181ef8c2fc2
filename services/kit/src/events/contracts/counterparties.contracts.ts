import type { JSONSchemaType } from 'ajv';
import { DATE_TIME_PATTERN, defineContract, isRealDateTime, UUID_PATTERN, type WireOf } from './contract';

/** counterparties → everyone: a counterparty was created. */
export const COUNTERPARTY_CREATED = 'counterparties.counterparty.created';
/** counterparties → everyone: its name, short name, INN, KPP or status changed. */
export const COUNTERPARTY_CHANGED = 'counterparties.counterparty.changed';
/** counterparties → everyone: it was archived (no new documents or deals may point to it). */
export const COUNTERPARTY_ARCHIVED = 'counterparties.counterparty.archived';
/** counterparties → everyone: it was restored from the archive. */
export const COUNTERPARTY_RESTORED = 'counterparties.counterparty.restored';
/**
 * counterparties → everyone: its current state, published again by an operator (`events republish`) so that a
 * consumer whose bus history was lost can be rebuilt; it changes nothing by itself.
 */
export const COUNTERPARTY_REPUBLISHED = 'counterparties.counterparty.republished';

/** Every topic carrying a {@link CounterpartyUpserted}; a read model subscribes to all of them with one handler. */
export const COUNTERPARTY_TOPICS = [COUNTERPARTY_CREATED, COUNTERPARTY_CHANGED, COUNTERPARTY_ARCHIVED, COUNTERPARTY_RESTORED, COUNTERPARTY_REPUBLISHED] as const;
export type CounterpartyTopic = (typeof COUNTERPARTY_TOPICS)[number];

/** The status of an archived counterparty: references to it stay readable but no new one may be made. */
export const ARCHIVED_COUNTERPARTY_STATUS = 'ARCHIVED';

/**
 * The whole current state of a counterparty as other services may keep it (not a diff): a consumer stores it
 * unless it already holds a state with the same or a newer `updatedAt`, so late or repeated events are harmless.
 */
export type CounterpartyUpserted = {
  id: string;
  name: string;
  shortName: string | null;
  inn: string;
  kpp: string | null;
  /** PROSPECT, CLIENT, SUPPLIER, PARTNER or ARCHIVED (a string, so a status added later does not break older consumers). */
  status: string;
  /**
   * The staff member responsible for the counterparty (identity's user id), null when none. Optional: producers
   * before it was added leave it out, and are read as null.
   */
  responsibleManagerId?: string | null;
  /**
   * Its tags (free labels staff give it, e.g. for mailing audiences). Optional: producers before it was added
   * leave it out; a consumer then keeps what it knew.
   */
  tags?: string[];
  /**
   * All its contact persons, with their e-mail and whether they agreed to receive mailings (and since when).
   * Optional like `tags`: absent means "not reported", an empty list means "none".
   */
  contacts?: CounterpartyContactState[];
  /**
   * Its legal address as written on its card (null when it has none), e.g. for generated documents. Optional:
   * producers before it was added leave it out; a consumer then keeps what it knew.
   */
  legalAddress?: string | null;
  /** When counterparties made this change. */
  updatedAt: string;
};

/** One contact person of a counterparty as {@link CounterpartyUpserted} carries it. */
export type CounterpartyContactState = {
  id: string;
  name: string;
  email: string | null;
  /** The contact agreed to receive mailings (offers). */
  mailingConsent: boolean;
  /** When the consent was given (ISO-8601); null without consent. */
  mailingConsentAt: string | null;
};

type ContactWire = WireOf<CounterpartyContactState, 'email' | 'mailingConsentAt'>;
type Wire = Omit<WireOf<CounterpartyUpserted, 'shortName' | 'kpp' | 'responsibleManagerId' | 'legalAddress'>, 'contacts'> & { contacts?: ContactWire[] };

const schema: JSONSchemaType<Wire> = {
  type: 'object',
  properties: {
    id: { type: 'string', pattern: UUID_PATTERN },
    name: { type: 'string', minLength: 1, maxLength: 500 },
    shortName: { type: 'string', maxLength: 200, nullable: true },
    inn: { type: 'string', pattern: '^(\\d{10}|\\d{12})$' },
    kpp: { type: 'string', pattern: '^[0-9A-Z]{9}$', nullable: true },
    status: { type: 'string', pattern: '^[A-Z_]{1,30}$' },
    responsibleManagerId: { type: 'string', pattern: UUID_PATTERN, nullable: true },
    tags: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 }, maxItems: 100, nullable: true },
    contacts: {
      type: 'array',
      maxItems: 1000,
      nullable: true,
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', pattern: UUID_PATTERN },
          name: { type: 'string', maxLength: 300 },
          email: { type: 'string', maxLength: 254, nullable: true },
          mailingConsent: { type: 'boolean' },
          mailingConsentAt: { type: 'string', pattern: DATE_TIME_PATTERN, nullable: true },
        },
        required: ['id', 'name', 'mailingConsent'],
        additionalProperties: true,
      },
    },
    legalAddress: { type: 'string', maxLength: 1000, nullable: true },
    updatedAt: { type: 'string', pattern: DATE_TIME_PATTERN },
  },
  required: ['id', 'name', 'inn', 'status', 'updatedAt'],
  additionalProperties: true,
};

export const counterpartyUpsertedContract = defineContract<CounterpartyUpserted, Wire>(COUNTERPARTY_TOPICS, schema, (value) => {
  if (!isRealDateTime(value.updatedAt)) return 'updatedAt is not a real date-time';
  const { tags, contacts, ...rest } = value;
  const state: CounterpartyUpserted = { ...rest, id: value.id.toLowerCase(), shortName: value.shortName ?? null, kpp: value.kpp ?? null, responsibleManagerId: value.responsibleManagerId?.toLowerCase() ?? null };
  if (tags) state.tags = tags;
  if (contacts) {
    if (contacts.some((contact) => contact.mailingConsentAt && !isRealDateTime(contact.mailingConsentAt))) return 'contacts[].mailingConsentAt is not a real date-time';
    state.contacts = contacts.map((contact) => ({
      id: contact.id.toLowerCase(),
      name: contact.name,
      email: contact.email ? contact.email.trim().toLowerCase() : null,
      mailingConsent: contact.mailingConsent,
      mailingConsentAt: contact.mailingConsent ? (contact.mailingConsentAt ?? null) : null,
    }));
  }
  return state;
});
