import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Deal } from './deal.entity';

/** A stay of a deal in a stage: the facts behind time in stage and stage-to-stage conversion. */
@Entity({ tableName: 'deal_stage_visits' })
@Index({ name: 'deal_stage_visits_deal_index', properties: ['dealId', 'enteredAt'] })
@Index({ name: 'deal_stage_visits_stage_index', properties: ['stageKey', 'dealId'] })
export class DealStageVisit {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @ManyToOne(() => Deal, { mapToPk: true, fieldName: 'deal_id', deleteRule: 'cascade' })
  dealId!: string;

  @Property({ type: 'string', length: 50 })
  stageKey!: string;

  @Property({ type: 'timestamptz' })
  enteredAt!: Date;

  /** Null while the deal is still in the stage. */
  @Property({ type: 'timestamptz', nullable: true })
  leftAt: Date | null = null;
}
