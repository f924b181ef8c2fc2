import { Entity, Enum, Index, JsonType, Property, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '@kartoteka/kit';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { DocumentType } from '../document/document.entity';
import { User } from '../user/user.stub';
import { CompletionRule, StageMode } from './approval.enums';

export type RouteStepSpec = { userId: string | null; role: string | null; deadlineHours: number };
export type RouteStageSpec = { name: string; mode: StageMode; rule: CompletionRule; quorum: number | null; steps: RouteStepSpec[] };

@ObjectType({ description: 'One approver of a stage in a template: a user, or a role resolved to its members when the route starts' })
export class RouteTemplateStep {
  @Field(() => ID, { nullable: true }) approverId!: string | null;
  @Field(() => User, { nullable: true }) approver!: User | null;
  @Field(() => String, { nullable: true, description: 'A staff role (e.g. LAWYER); any one of its members decides' }) role!: string | null;
  @Field(() => Int, { description: 'Hours the approver has once the step is theirs' }) deadlineHours!: number;
}

@ObjectType()
export class RouteTemplateStage {
  @Field() name!: string;
  @Field(() => StageMode) mode!: StageMode;
  @Field(() => CompletionRule) rule!: CompletionRule;
  @Field(() => Int, { nullable: true }) quorum!: number | null;
  @Field({ description: 'The last stage is the sign-off' }) signOff!: boolean;
  @Field(() => [RouteTemplateStep]) steps!: RouteTemplateStep[];
}

/** A reusable approval route for a document type, edited by admins. The last stage is the sign-off. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An approval route template of a document type' })
@Entity({ tableName: 'route_templates' })
@Index({ name: 'route_templates_type_index', properties: ['documentType', 'active'] })
export class RouteTemplate extends BaseEntity {
  @Field()
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => DocumentType)
  @Enum({ items: () => DocumentType })
  documentType!: DocumentType;

  @Field(() => Boolean, { description: 'Used when a route is started without choosing a template' })
  @Property({ type: 'boolean', default: false })
  isDefault: Opt<boolean> = false;

  @Field(() => Boolean)
  @Property({ type: 'boolean', default: true })
  active: Opt<boolean> = true;

  @Property({ type: JsonType })
  stageSpecs!: RouteStageSpec[];

  @Property({ type: 'uuid', nullable: true })
  createdById: string | null = null;

  @Field(() => Int, { description: 'Optimistic lock' })
  @Property({ version: true, type: 'integer' })
  version!: Opt<number>;
}
