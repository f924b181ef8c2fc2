import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Project } from './project.entity';

export enum ProjectChangeKind {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
}

registerEnumType(ProjectChangeKind, { name: 'ProjectChangeKind', description: 'What happened to a project' });

export const PROJECT_ACTOR_KINDS = ['user', 'apiKey', 'system'] as const;
export type ProjectActorKind = (typeof PROJECT_ACTOR_KINDS)[number];

/** A changed field: `from`/`to` are JSON values (lists are whole lists). */
export type ProjectFieldChangeShape = { field: string; from: unknown; to: unknown };

/**
 * One entry of a project's history (append-only, newest first: `at desc, id desc`). Plain rows like the deals'
 * history (`deal_changes`), which is not hash-chained either; chaining both is issue 11 item 3.
 */
@ObjectType({ description: 'An entry of a project\'s history: who changed what' })
@Entity({ tableName: 'project_changes' })
@Index({ name: 'project_changes_project_order_index', properties: ['projectId', 'at', 'id'] })
export class ProjectChange {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @ManyToOne(() => Project, { mapToPk: true, fieldName: 'project_id', deleteRule: 'cascade' })
  projectId!: string;

  @Field(() => GraphQLISODateTime)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  at: Opt<Date> = new Date();

  @Field(() => ProjectChangeKind)
  @Enum({ items: () => ProjectChangeKind })
  kind!: ProjectChangeKind;

  @Property({ type: 'uuid', nullable: true })
  actorId: string | null = null;

  @Field(() => String, { description: 'user, apiKey or system' })
  @Enum({ items: () => [...PROJECT_ACTOR_KINDS] })
  actorKind!: ProjectActorKind;

  @Property({ type: 'jsonb', default: '[]' })
  changes: Opt<ProjectFieldChangeShape[]> = [];
}
