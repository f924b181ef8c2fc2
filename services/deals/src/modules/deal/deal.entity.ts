import { BigIntType, Entity, Index, Property, type Opt } from '@mikro-orm/core';
import { BaseEntity, Money, money } from '@kartoteka/kit';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { DEFAULT_STAGE } from './deal-stages';

/** A deal with a counterparty on the sales pipeline. Lists are ordered by `createdAt desc, id desc`. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A deal (sales case) with a counterparty, moving through the stages of the sales pipeline' })
@Entity({ tableName: 'deals' })
@Index({ name: 'deals_counterparty_order_index', properties: ['counterpartyId', 'createdAt', 'id'] })
@Index({ name: 'deals_order_index', properties: ['createdAt', 'id'] })
export class Deal extends BaseEntity {
  @Field()
  @Property({ type: 'string', length: 500 })
  title!: string;

  /** Amount in minor units; null when not estimated yet (then `currency` is null too). */
  @Property({ type: new BigIntType('number'), nullable: true })
  amountMinor: number | null = null;

  @Property({ columnType: 'char(3)', nullable: true })
  currency: string | null = null;

  @Field(() => String, { description: 'Code of the current stage: lead, qualification, proposal, negotiation, won or lost' })
  @Index()
  @Property({ type: 'string', length: 50, default: DEFAULT_STAGE })
  stage: Opt<string> = DEFAULT_STAGE;

  /** Owned by the counterparties subgraph: a plain uuid, no cross-database foreign key. */
  @Field(() => ID)
  @Property({ type: 'uuid' })
  counterpartyId!: string;

  /** The responsible staff member (identity subgraph). */
  @Index()
  @Property({ type: 'uuid', nullable: true })
  ownerId: string | null = null;

  @Field(() => String, { nullable: true, description: 'When the deal is expected to close, ISO 8601 (YYYY-MM-DD)' })
  @Property({ type: 'date', nullable: true })
  expectedCloseDate: string | null = null;

  @Field(() => Int, { description: 'Optimistic lock: increases with every change' })
  @Property({ version: true, type: 'integer' })
  version!: Opt<number>;

  @Field(() => Money, { nullable: true })
  get amount(): Money | null {
    return money(this.amountMinor, this.currency);
  }
}
