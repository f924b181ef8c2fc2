import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, GraphQLISODateTime, ID, Int, ObjectType } from 'type-graphql';
import type { CaseDefinition } from './case-template.definition';
import { CaseTemplate } from './case-template.entity';

/** A published, immutable version of a case template. Deals keep the version they started on. */
@ObjectType({ description: 'A published, immutable version of a case template; deals run on it' })
@Entity({ tableName: 'case_template_versions' })
@Unique({ name: 'case_template_versions_template_number_unique', properties: ['templateId', 'number'] })
export class CaseTemplateVersion {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @ManyToOne(() => CaseTemplate, { mapToPk: true, fieldName: 'template_id', deleteRule: 'restrict' })
  templateId!: string;

  @Field(() => Int, { description: '1, 2, 3, … per template' })
  @Property({ type: 'integer' })
  number!: number;

  @Field(() => GraphQLJSONObject, { description: 'The frozen definition: { stages, form }' })
  @Property({ type: 'jsonb' })
  definition!: CaseDefinition;

  @Field(() => GraphQLISODateTime)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  publishedAt: Opt<Date> = new Date();

  @Property({ type: 'uuid', nullable: true })
  publishedById: string | null = null;
}
