import { randomUUID } from 'node:crypto';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Counterparty } from './counterparty.entity';

export const COUNTERPARTY_CHANGE_ACTIONS = ['CREATED', 'UPDATED', 'ARCHIVED', 'RESTORED'] as const;
export type CounterpartyChangeAction = (typeof COUNTERPARTY_CHANGE_ACTIONS)[number];
export const CounterpartyChangeAction = Object.fromEntries(COUNTERPARTY_CHANGE_ACTIONS.map((action) => [action, action])) as { [K in CounterpartyChangeAction]: K };
registerEnumType(CounterpartyChangeAction, { name: 'CounterpartyChangeAction' });

export type ActorKind = 'user' | 'apiKey';

@ObjectType({ description: 'One changed field: values as display strings (lists are summarised)' })
export class FieldChange {
  @Field({ description: 'Input field name, e.g. inn, status, bankAccounts' })
  field!: string;

  @Field(() => String, { nullable: true })
  from!: string | null;

  @Field(() => String, { nullable: true })
  to!: string | null;
}

/**
 * One entry of a counterparty's history, written in the same transaction as the change. `version` is the
 * counterparty's version after the change: unique per counterparty, it orders the history exactly.
 */
@ObjectType({ description: 'A change of a counterparty: who, when, what' })
@Entity({ tableName: 'counterparty_changes' })
@Unique({ name: 'counterparty_changes_counterparty_id_version_unique', properties: ['counterparty', 'version'] })
export class CounterpartyChange {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @ManyToOne(() => Counterparty, { deleteRule: 'cascade' })
  counterparty!: Counterparty;

  @Property({ type: 'integer' })
  version!: number;

  @Field(() => GraphQLISODateTime)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  at: Opt<Date> = new Date();

  @Field(() => CounterpartyChangeAction)
  @Enum({ items: [...COUNTERPARTY_CHANGE_ACTIONS] })
  action!: CounterpartyChangeAction;

  /** A user id, or an API key id for partner calls (see actorKind). */
  @Property({ type: 'uuid', nullable: true })
  actorId: string | null = null;

  @Enum({ items: ['user', 'apiKey'], nullable: true })
  actorKind: ActorKind | null = null;

  @Field(() => String, { nullable: true, description: 'Name of the user or API key at the time of the change (an API key is not a User)' })
  @Property({ type: 'string', length: 200, nullable: true })
  actorName: string | null = null;

  @Field(() => [FieldChange])
  @Property({ type: 'jsonb' })
  changes: FieldChange[] = [];
}
