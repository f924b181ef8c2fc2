import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Who is responsible for a counterparty (identity's user id), as the counterparties service last reported it in
 * `counterparties.counterparty.*`: finance's read model for "my counterparties" (the overdue invoices of My day).
 * Kept beside kit's `counterparty_refs`, which every service shares and which holds no manager. `updatedAt` is the
 * version of the state: an older event arriving late never overwrites a newer one.
 */
@Entity({ tableName: 'counterparty_managers' })
export class CounterpartyManager {
  @PrimaryKey({ type: 'uuid' })
  counterpartyId!: string;

  @Index({ name: 'counterparty_managers_manager_index' })
  @Property({ type: 'uuid', nullable: true })
  responsibleManagerId: string | null = null;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
