import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Mailings' read model of a counterparty (owned by the counterparties service), kept by
 * `counterparties.counterparty.*`: what an audience filters on (status, tags, responsible manager) and what a message
 * is personalised with (name, short name). `updatedAt` is the version of the state: an older event never
 * overwrites a newer one. Rebuildable from the bus (`pnpm events rebuild-counterparties`).
 */
@Entity({ tableName: 'audience_counterparties' })
export class AudienceCounterparty {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'string', length: 500 })
  name!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  shortName: string | null = null;

  @Index({ name: 'audience_counterparties_status_index' })
  @Property({ type: 'string', length: 30 })
  status!: string;

  @Property({ type: 'text[]', default: '{}' })
  tags: string[] = [];

  @Index({ name: 'audience_counterparties_manager_index' })
  @Property({ type: 'uuid', nullable: true })
  responsibleManagerId: string | null = null;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
