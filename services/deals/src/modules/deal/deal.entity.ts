import { BigIntType, Entity, Enum, Index, ManyToOne, Property, type Opt } from '@mikro-orm/core';
import { BaseEntity, Money, money } from '@kartoteka/kit';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Directive, Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CaseTemplateVersion } from '../case-template/case-template-version.entity';
import { CaseTemplate } from '../case-template/case-template.entity';
import type { FormData } from '../case-template/case-template.form';

export enum DealStatus {
  OPEN = 'OPEN',
  WON = 'WON',
  LOST = 'LOST',
}

registerEnumType(DealStatus, { name: 'DealStatus', description: 'Open, or closed as won or lost (follows the outcome of the current stage)' });

/**
 * A deal with a counterparty: a case running on one version of a case template. Lists are ordered by
 * `createdAt desc, id desc`; the board by `stageEnteredAt desc, id desc` per stage.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A deal (sales case) with a counterparty, moving through the stages of its case template' })
@Entity({ tableName: 'deals' })
@Index({ name: 'deals_counterparty_order_index', properties: ['counterpartyId', 'createdAt', 'id'] })
@Index({ name: 'deals_order_index', properties: ['createdAt', 'id'] })
@Index({ name: 'deals_template_stage_index', properties: ['templateId', 'stageKey', 'stageEnteredAt', 'id'] })
export class Deal extends BaseEntity {
  @Field()
  @Property({ type: 'string', length: 500 })
  title!: string;

  /** Amount in minor units; null when not estimated yet (then `currency` is null too). */
  @Property({ type: new BigIntType('number'), nullable: true })
  amountMinor: number | null = null;

  @Property({ columnType: 'char(3)', nullable: true })
  currency: string | null = null;

  /**
   * The template (denormalized from the version, for the board and analytics) and the version the deal runs
   * on. Null only on deals from before templates until the install step adopts them (see DealService.adoptLegacy).
   */
  @ManyToOne(() => CaseTemplate, { mapToPk: true, fieldName: 'template_id', nullable: true, deleteRule: 'restrict' })
  templateId: string | null = null;

  @ManyToOne(() => CaseTemplateVersion, { mapToPk: true, fieldName: 'template_version_id', nullable: true, deleteRule: 'restrict', index: 'deals_template_version_id_index' })
  templateVersionId: string | null = null;

  /** Key of the current stage in the template version (the column kept its name from before templates). */
  @Field(() => String, { description: 'Key of the current stage in the deal\'s template version' })
  @Index({ name: 'deals_stage_index' })
  @Property({ type: 'string', length: 50, fieldName: 'stage', default: 'lead' })
  stageKey!: string;

  @Field(() => DealStatus)
  @Enum({ items: () => DealStatus, default: DealStatus.OPEN })
  status: Opt<DealStatus> = DealStatus.OPEN;

  @Field(() => String, { nullable: true, description: 'Why the deal was lost (or a note on winning it)' })
  @Property({ type: 'text', nullable: true })
  closeReason: string | null = null;

  /** Values of the template version's form, validated against its JSON Schema. */
  @Field(() => GraphQLJSONObject, { description: 'Values of the form, keyed by field key; valid against templateVersion.jsonSchema' })
  @Property({ type: 'jsonb', default: '{}' })
  formData: Opt<FormData> = {};

  @Field(() => GraphQLISODateTime, { description: 'When the deal entered its current stage' })
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  stageEnteredAt: Opt<Date> = new Date();

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

  @Field(() => String, { deprecationReason: 'Use stageKey (and currentStage for its name and outcome)', description: 'Code of the current stage' })
  get stage(): Opt<string> {
    return this.stageKey;
  }

  @Field(() => Money, { nullable: true })
  get amount(): Money | null {
    return money(this.amountMinor, this.currency);
  }
}
