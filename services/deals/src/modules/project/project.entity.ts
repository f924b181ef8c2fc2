import { BigIntType, Entity, Enum, Index, Property, type Opt } from '@mikro-orm/core';
import { BaseEntity, Money, money } from '@kartoteka/kit';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

/*
 * Projects live in the deals subgraph (DESIGN §1's default, kept): deals already owns case work — actions with
 * assignees and due dates, the funnel — and keeps the read models of counterparties and staff a project refers
 * to, and a project groups deals. A service of its own would duplicate those read models for no lifecycle of its
 * own.
 */

export enum ProjectStatus {
  PLANNED = 'PLANNED',
  ACTIVE = 'ACTIVE',
  ON_HOLD = 'ON_HOLD',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}

registerEnumType(ProjectStatus, { name: 'ProjectStatus', description: 'Where a project stands' });

export enum ProjectRole {
  LEAD = 'LEAD',
  MEMBER = 'MEMBER',
}

registerEnumType(ProjectRole, { name: 'ProjectRole', description: 'A staff member\'s role in a project\'s team' });

/** The orders of the projects list: every one is a keyset (sort value, id), so paging stays stable under inserts. */
export enum ProjectOrder {
  CREATED_DESC = 'CREATED_DESC',
  NAME_ASC = 'NAME_ASC',
  NAME_DESC = 'NAME_DESC',
  START_DATE_ASC = 'START_DATE_ASC',
  START_DATE_DESC = 'START_DATE_DESC',
  END_DATE_ASC = 'END_DATE_ASC',
  END_DATE_DESC = 'END_DATE_DESC',
}

registerEnumType(ProjectOrder, { name: 'ProjectOrder', description: 'Order of the projects list; projects without the date come last' });

/** One member of a project's team as stored (jsonb). */
export type ProjectMemberShape = { userId: string; role: ProjectRole };

/**
 * A long-running engagement with one or more counterparties, grouping deals (owned here), documents (ids of
 * the documents subgraph) and tasks. Lists are ordered by `createdAt desc, id desc`. The team is a jsonb list
 * (GIN-indexed for "projects of a member"); counterparties, deals and documents are uuid arrays (GIN-indexed).
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A project: a long-running engagement with one or more counterparties' })
@Entity({ tableName: 'projects' })
@Index({ name: 'projects_order_index', properties: ['createdAt', 'id'] })
@Index({ name: 'projects_counterparty_ids_index', expression: 'create index "projects_counterparty_ids_index" on "projects" using gin ("counterparty_ids")' })
@Index({ name: 'projects_team_index', expression: 'create index "projects_team_index" on "projects" using gin ("team" jsonb_path_ops)' })
export class Project extends BaseEntity {
  @Field()
  @Property({ type: 'string', length: 300 })
  name!: string;

  @Field(() => String, { nullable: true, description: 'A short code, e.g. «ПР-2026-01»' })
  @Property({ type: 'string', length: 50, nullable: true })
  code: string | null = null;

  @Field(() => ProjectStatus)
  @Enum({ items: () => ProjectStatus, default: ProjectStatus.PLANNED })
  status: Opt<ProjectStatus> = ProjectStatus.PLANNED;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  @Property({ type: 'date', nullable: true })
  startDate: string | null = null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; not before startDate' })
  @Property({ type: 'date', nullable: true })
  endDate: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  /** Counterparties of the counterparties subgraph (at least one): plain uuids, checked against counterparty_refs. */
  @Field(() => [ID], { description: 'The counterparties of the project (at least one)' })
  @Property({ columnType: 'uuid[]', type: 'text[]' })
  counterpartyIds: string[] = [];

  @Property({ type: 'jsonb', default: '[]' })
  team: Opt<ProjectMemberShape[]> = [];

  /** Deals of this service grouped in the project. */
  @Field(() => [ID], { description: 'Ids of the deals grouped in the project' })
  @Property({ columnType: 'uuid[]', type: 'text[]', default: '{}' })
  dealIds: Opt<string[]> = [];

  /** Documents of the documents subgraph: only documents this service knows of (see ProjectService). */
  @Field(() => [ID], { description: 'Ids of the documents (contracts, letters…) grouped in the project' })
  @Property({ columnType: 'uuid[]', type: 'text[]', default: '{}' })
  documentIds: Opt<string[]> = [];

  @Property({ type: new BigIntType('number'), nullable: true })
  budgetMinor: number | null = null;

  @Property({ columnType: 'char(3)', nullable: true })
  budgetCurrency: string | null = null;

  /** Who created it (a staff member or an API key); null for the system. */
  @Property({ type: 'uuid', nullable: true })
  createdById: string | null = null;

  @Field(() => Int, { description: 'Optimistic lock: increases with every change' })
  @Property({ version: true, type: 'integer' })
  version!: Opt<number>;

  @Field(() => Money, { nullable: true, description: 'The planned budget; the actuals (contracted, paid) are the finance subgraph\'s `finance` field' })
  get budget(): Money | null {
    return money(this.budgetMinor, this.budgetCurrency);
  }
}
