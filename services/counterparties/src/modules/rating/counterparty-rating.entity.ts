import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { RATING_GRADES, type RatingGradeCode } from '@kartoteka/kit';
import { registerEnumType } from 'type-graphql';

/**
 * The grade of finance's reliability rating. finance defines the same enum (same name, same values): the
 * supergraph composes them into one; here it is only an input (filters of the counterparty list).
 */
export const RatingGrade = Object.fromEntries(RATING_GRADES.map((grade) => [grade, grade])) as { [K in RatingGradeCode]: K };
export type RatingGrade = RatingGradeCode;
registerEnumType(RatingGrade, {
  name: 'RatingGrade',
  description: 'Grade of the reliability rating: A (most reliable) … D (least)',
});

/**
 * counterparties' copy of finance's reliability rating (owned by finance, event `finance.rating.changed`), kept
 * only to filter and sort the counterparty list by it; the rating itself (factors, history) is `Counterparty.rating`
 * of the finance subgraph. No foreign key: an event may name a counterparty before or after anything else here.
 */
@Entity({ tableName: 'counterparty_ratings' })
export class CounterpartyRating {
  @PrimaryKey({ type: 'uuid' })
  counterpartyId!: string;

  /** 0–100 with one decimal; null = not enough verified history. */
  @Property({ type: 'decimal', columnType: 'numeric(5,1)', nullable: true })
  score: string | null = null;

  @Enum({ items: [...RATING_GRADES], nullable: true })
  grade: RatingGrade | null = null;

  @Property({ type: 'integer' })
  methodVersion!: number;

  /** Version of this state: when finance computed it. An older event arriving late never overwrites it. */
  @Property({ type: 'timestamptz' })
  computedAt!: Date;
}
