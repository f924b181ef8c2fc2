import { DecimalType, Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { RatingFactorResult, RatingGrade } from './rating.types';

/** The current reliability rating of a counterparty, with its factors (and their evidence) as computed. */
@Entity({ tableName: 'ratings' })
export class Rating {
  @PrimaryKey({ type: 'uuid' })
  counterpartyId!: string;

  /** 0–100, one decimal; null: not enough verified history. */
  @Property({ type: new DecimalType('number'), precision: 5, scale: 1, nullable: true })
  score: number | null = null;

  @Property({ type: 'string', length: 1, nullable: true })
  grade: RatingGrade | null = null;

  /** The method version (weights) it was computed with. */
  @Property({ type: 'integer' })
  methodVersion!: number;

  @Property({ type: 'timestamptz' })
  computedAt!: Date;

  @Property({ type: 'jsonb' })
  factors!: RatingFactorResult[];
}
