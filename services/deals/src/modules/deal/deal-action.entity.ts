import { Entity, Enum, Index, ManyToOne, Property, Unique, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '@kartoteka/kit';
import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ActionKind } from '../case-template/case-template.definition';
import { DealActionKind } from '../case-template/case-template.type';
import { Deal } from './deal.entity';

export enum DealActionStatus {
  TODO = 'TODO',
  REQUESTED = 'REQUESTED',
  DONE = 'DONE',
  FAILED = 'FAILED',
}

registerEnumType(DealActionStatus, {
  name: 'DealActionStatus',
  valuesConfig: {
    TODO: { description: 'Not done yet' },
    REQUESTED: { description: 'Asked of the documents service; waiting for its answer' },
    DONE: { description: 'Done' },
    FAILED: { description: 'The documents service refused or the document was rejected; may be run again' },
  },
});

/** An action of a deal, created from its stage's definition when the deal enters the stage. */
@ObjectType({ description: 'An action of a deal in one of its stages' })
@Entity({ tableName: 'deal_actions' })
@Unique({ name: 'deal_actions_deal_stage_action_unique', properties: ['dealId', 'stageKey', 'actionKey'] })
@Index({ name: 'deal_actions_document_index', properties: ['documentId'] })
export class DealAction extends BaseEntity {
  @ManyToOne(() => Deal, { mapToPk: true, fieldName: 'deal_id', deleteRule: 'cascade' })
  dealId!: string;

  @Field()
  @Property({ type: 'string', length: 50 })
  stageKey!: string;

  @Field(() => String, { name: 'key', description: 'Key of the action in its stage' })
  @Property({ type: 'string', length: 50 })
  actionKey!: string;

  @Field(() => DealActionKind)
  @Property({ type: 'string', length: 30 })
  kind!: ActionKind;

  @Field()
  @Property({ type: 'string', length: 300 })
  title!: string;

  /** Order of the action in its stage's definition. */
  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  position: Opt<number> = 0;

  @Property({ type: 'uuid', nullable: true })
  assigneeId: string | null = null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  dueAt: Date | null = null;

  @Field(() => Boolean, { description: 'The deal cannot move on from the stage until it is done' })
  @Property({ type: 'boolean', default: false })
  required: Opt<boolean> = false;

  @Field(() => DealActionStatus)
  @Enum({ items: () => DealActionStatus, default: DealActionStatus.TODO })
  status: Opt<DealActionStatus> = DealActionStatus.TODO;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  doneAt: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  doneById: string | null = null;

  @Field(() => String, { nullable: true, description: 'A note left when the action was done' })
  @Property({ type: 'text', nullable: true })
  comment: string | null = null;

  /** A document of the documents subgraph: created by this action, or whose approval it requested. */
  @Field(() => ID, { nullable: true, description: 'The document this action created (SEND_OFFER, PREPARE_CONTRACT) or sent for approval (REQUEST_APPROVAL)' })
  @Property({ type: 'uuid', nullable: true })
  documentId: string | null = null;

  @Field(() => String, { nullable: true, description: 'Why the documents service refused or the document failed' })
  @Property({ type: 'text', nullable: true })
  failureReason: string | null = null;
}
