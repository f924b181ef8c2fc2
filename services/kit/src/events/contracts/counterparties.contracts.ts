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
  /** When counterparties made this change. */
  updatedAt: string;
};

type Wire = WireOf<CounterpartyUpserted, 'shortName' | 'kpp' | 'responsibleManagerId'>;

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
    updatedAt: { type: 'string', pattern: DATE_TIME_PATTERN },
  },
  required: ['id', 'name', 'inn', 'status', 'updatedAt'],
  additionalProperties: true,
};

export const counterpartyUpsertedContract = defineContract<CounterpartyUpserted, Wire>(COUNTERPARTY_TOPICS, schema, (value) =>
  isRealDateTime(value.updatedAt) ? { ...value, id: value.id.toLowerCase(), shortName: value.shortName ?? null, kpp: value.kpp ?? null, responsibleManagerId: value.responsibleManagerId?.toLowerCase() ?? null } : 'updatedAt is not a real date-time',
);
