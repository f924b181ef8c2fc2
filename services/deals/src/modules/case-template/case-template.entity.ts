import { Entity, Enum, Index, Property, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '@kartoteka/kit';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { CaseDefinition } from './case-template.definition';

export enum CaseTemplateStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  ARCHIVED = 'ARCHIVED',
}

registerEnumType(CaseTemplateStatus, {
  name: 'CaseTemplateStatus',
  description: 'Life cycle of a case template',
  valuesConfig: {
    DRAFT: { description: 'Never published: no deals can be started from it yet' },
    PUBLISHED: { description: 'Has published versions; new deals start on the latest' },
    ARCHIVED: { description: 'No new deals; running deals go on' },
  },
});

/**
 * A case template staff configure without code: stages with actions and a data form. The editable `definition`
 * is the draft (its own optimistic lock `draftVersion`); publishing freezes a copy as the next
 * CaseTemplateVersion, which deals run on.
 */
@ObjectType({ description: 'A case template: the funnel stages with their actions and the deal form; versioned by publishing' })
@Entity({ tableName: 'case_templates' })
@Index({ name: 'case_templates_status_name_index', properties: ['status', 'name'] })
export class CaseTemplate extends BaseEntity {
  @Field()
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Field(() => CaseTemplateStatus)
  @Enum({ items: () => CaseTemplateStatus, default: CaseTemplateStatus.DRAFT })
  status: Opt<CaseTemplateStatus> = CaseTemplateStatus.DRAFT;

  /** The draft definition (see case-template.definition.ts); structurally valid, the full rules apply on publish. */
  @Field(() => GraphQLJSONObject, { description: 'The draft definition: { stages, form }; structurally valid, fully checked on publish' })
  @Property({ type: 'jsonb' })
  draft!: CaseDefinition;

  @Field(() => Int, { description: 'Optimistic lock of the draft: increases with every draft change' })
  @Property({ type: 'integer', default: 1 })
  draftVersion: Opt<number> = 1;

  /** Staff member or API key that created the template. */
  @Property({ type: 'uuid', nullable: true })
  createdById: string | null = null;
}
