import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

/**
 * A bank account seen paying (or being paid by) a counterparty in a matched payment: the next payment from the
 * same account matches that counterparty even when the INN alone is ambiguous (branches, several counterparties
 * with one INN).
 */
@Entity({ tableName: 'known_accounts' })
export class KnownAccount {
  @PrimaryKey({ type: 'uuid' })
  counterpartyId!: string;

  /** Settlement account, 20 digits. */
  @PrimaryKey({ type: 'string', length: 20 })
  account!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();
}
