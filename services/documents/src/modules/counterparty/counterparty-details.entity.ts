import { Entity, Property } from '@mikro-orm/core';

/**
 * What documents keeps of a counterparty beyond kit's shared `counterparty_refs` (which other services share
 * and so stays small): the legal address and the first contact person, for the `{counterparty.address}` and
 * `{contact.name}` placeholders of document templates. Kept from the same `counterparties.counterparty.*`
 * events; a field an event leaves out (an older producer) keeps what was known.
 */
@Entity({ tableName: 'counterparty_details' })
export class CounterpartyDetails {
  @Property({ type: 'uuid', primary: true })
  id!: string;

  @Property({ type: 'string', length: 1000, nullable: true })
  legalAddress: string | null = null;

  /** The counterparty's first contact person (in the order counterparties keeps them); null when it has none. */
  @Property({ type: 'string', length: 300, nullable: true })
  contactName: string | null = null;

  /** Version of this state (counterparties' `updatedAt`): an older event arriving late never overwrites it. */
  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
