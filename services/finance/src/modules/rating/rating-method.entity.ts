import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import type { RatingWeights } from './rating.types';

/**
 * A version of the rating method: the factor weights. Changing the weights adds a version (never edits one), so
 * every stored score keeps the version it was computed with. The highest version is the current method.
 */
@Entity({ tableName: 'rating_methods' })
export class RatingMethod {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  version!: number;

  @Property({ type: 'jsonb' })
  weights!: RatingWeights;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();

  /** The administrator who set the weights; null for the built-in first version. */
  @Property({ type: 'uuid', nullable: true })
  createdById: string | null = null;
}
