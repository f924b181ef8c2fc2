import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Deal } from './deal.entity';

export enum DealChangeKind {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  STAGE_CHANGED = 'STAGE_CHANGED',
  WON = 'WON',
  LOST = 'LOST',
  REOPENED = 'REOPENED',
  ACTION_DONE = 'ACTION_DONE',
  ACTION_REQUESTED = 'ACTION_REQUESTED',
  ACTION_FAILED = 'ACTION_FAILED',
  DOCUMENT_CREATED = 'DOCUMENT_CREATED',
}

registerEnumType(DealChangeKind, { name: 'DealChangeKind', description: 'What happened to a deal' });

export const DEAL_ACTOR_KINDS = ['user', 'apiKey', 'system'] as const;
export type DealActorKind = (typeof DEAL_ACTOR_KINDS)[number];

/** A field change in the history: `from`/`to` are JSON values (form fields keep their type). */
export type DealFieldChangeShape = { field: string; from: unknown; to: unknown };

export type DealChangeDetails = {
  changes?: DealFieldChangeShape[];
  fromStageKey?: string;
  toStageKey?: string;
  actionId?: string;
  actionKey?: string;
  actionTitle?: string;
  closeReason?: string | null;
  comment?: string | null;
  documentId?: string;
  reason?: string | null;
};

/** One entry of a deal's history (append-only). Ordered by `at desc, id desc`. */
@ObjectType({ description: 'An entry of a deal\'s history' })
@Entity({ tableName: 'deal_changes' })
@Index({ name: 'deal_changes_deal_order_index', properties: ['dealId', 'at', 'id'] })
export class DealChange {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @ManyToOne(() => Deal, { mapToPk: true, fieldName: 'deal_id', deleteRule: 'cascade' })
  dealId!: string;

  @Field(() => GraphQLISODateTime)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  at: Opt<Date> = new Date();

  @Field(() => DealChangeKind)
  @Enum({ items: () => DealChangeKind })
  kind!: DealChangeKind;

  /** A staff member's or API key's id; null for the system (events from other services). */
  @Property({ type: 'uuid', nullable: true })
  actorId: string | null = null;

  @Field(() => String, { description: 'user, apiKey or system' })
  @Enum({ items: () => [...DEAL_ACTOR_KINDS] })
  actorKind!: DealActorKind;

  @Property({ type: 'jsonb' })
  details: Opt<DealChangeDetails> = {};
}
