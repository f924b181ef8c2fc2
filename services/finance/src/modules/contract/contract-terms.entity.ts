import { Entity, Enum, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { registerEnumType } from 'type-graphql';

export enum ContractDirection {
  RECEIVABLE = 'RECEIVABLE',
  PAYABLE = 'PAYABLE',
}

registerEnumType(ContractDirection, {
  name: 'ContractDirection',
  description: 'Who pays under a contract: RECEIVABLE — the counterparty pays us; PAYABLE — we pay the counterparty',
});

/**
 * Terms staff entered on a signed contract: the direction of the money and (schedule_items) the payment and
 * delivery schedule. A contract without terms counts as RECEIVABLE with no schedule (its invoices are the obligations).
 */
@Entity({ tableName: 'contract_terms' })
export class ContractTerms {
  /** The CONTRACT document (EDMS id, also the FinanceDocument's id). */
  @PrimaryKey({ type: 'uuid' })
  contractId!: string;

  @Enum({ items: () => ContractDirection })
  direction!: ContractDirection;

  @Property({ type: 'timestamptz' })
  updatedAt: Opt<Date> = new Date();

  /** The staff member who last set the terms (identity subgraph). */
  @Property({ type: 'uuid', nullable: true })
  updatedById: string | null = null;
}
