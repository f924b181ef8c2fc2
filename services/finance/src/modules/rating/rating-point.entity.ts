import { randomUUID } from 'node:crypto';
import { DecimalType, Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import type { RatingGrade } from './rating.types';

/** One point of a counterparty's rating history (the chart of the score over time). */
@Entity({ tableName: 'rating_points' })
@Index({ name: 'rating_points_counterparty_order_index', properties: ['counterpartyId', 'computedAt'] })
export class RatingPoint {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'uuid' })
  counterpartyId!: string;

  @Property({ type: new DecimalType('number'), precision: 5, scale: 1, nullable: true })
  score: number | null = null;

  @Property({ type: 'string', length: 1, nullable: true })
  grade: RatingGrade | null = null;

  @Property({ type: 'integer' })
  methodVersion!: number;

  @Property({ type: 'timestamptz' })
  computedAt!: Date;
}
