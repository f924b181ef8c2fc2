import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Mailings' read model of finance's reliability rating (`finance.rating.changed`), for the audience's
 * `minRatingScore`. Kept apart from the counterparty (the two come from different services, in any order); the
 * newest `computedAt` wins.
 */
@Entity({ tableName: 'audience_ratings' })
export class AudienceRating {
  @PrimaryKey({ type: 'uuid' })
  counterpartyId!: string;

  /** 0..100; null = not enough verified history (never passes a minimum). */
  @Property({ type: 'double', nullable: true })
  score: number | null = null;

  @Property({ type: 'timestamptz' })
  computedAt!: Date;
}
