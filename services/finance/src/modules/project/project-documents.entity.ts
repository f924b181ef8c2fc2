import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

/**
 * Read model: which documents a project of the deals service groups (project → document ids), filled only from
 * deals' `deals.project.created` / `deals.project.changed` events (each carries the full list, so the newest event
 * wins and a replay rebuilds it from scratch). Finance computes a project's actuals from it without calling deals.
 * `updatedAt` is the occurredAt of the newest applied event: an older event arriving late never overwrites it.
 */
@Entity({ tableName: 'project_documents' })
export class ProjectDocuments {
  /** The deals service's project id: a plain uuid, no cross-database foreign key. */
  @PrimaryKey({ type: 'uuid' })
  projectId!: string;

  /** The documents of the documents service linked to the project (contracts, invoices, acts, letters…). */
  @Property({ columnType: 'uuid[]', type: 'text[]', default: '{}' })
  documentIds: Opt<string[]> = [];

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
