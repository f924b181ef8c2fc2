import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A service's local copy of a counterparty (owned by the counterparties service), kept by its events
 * (`counterparties.counterparty.*`): the few fields other services need to check references and show names.
 * Services that refer to counterparties list this entity so their own migration creates the table.
 */
@Entity({ tableName: 'counterparty_refs' })
export class CounterpartyRef {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'string', length: 500 })
  name!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  shortName: string | null = null;

  @Index()
  @Property({ type: 'string', length: 12 })
  inn!: string;

  @Property({ type: 'string', length: 9, nullable: true })
  kpp: string | null = null;

  @Property({ type: 'string', length: 30 })
  status!: string;

  /** Version of this state: when counterparties made the change. An older event arriving late never overwrites it. */
  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
