import { Entity, Enum, Index, Property, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '@kartoteka/kit';
import { Field, GraphQLISODateTime, ObjectType } from 'type-graphql';
import { AUDIT_ACTOR_KINDS, type AuditActorKind, AuditActorKindEnum } from '../audit/audit-record.entity';
import { DocumentStatus } from './document.entity';

/**
 * One change of a document's status, kept so that every status a document passed through stays observable
 * (a contract signed on or after its start date is SIGNED and goes IN_FORCE in the same transaction: a reader
 * of `status` alone never sees SIGNED). Append-only; written in the transaction of the change.
 */
@ObjectType({ description: 'One change of a document\'s status: what it became, when and by whom' })
@Entity({ tableName: 'document_status_changes' })
@Index({ name: 'document_status_changes_document_index', properties: ['documentId', 'seq'] })
export class DocumentStatusChange extends BaseEntity {
  @Property({ type: 'uuid' })
  documentId!: string;

  @Field(() => DocumentStatus, { nullable: true, description: 'The status before; null for the first entry (creation)' })
  @Enum({ items: () => DocumentStatus, nullable: true })
  fromStatus: DocumentStatus | null = null;

  @Field(() => DocumentStatus, { description: 'The status the document took' })
  @Enum({ items: () => DocumentStatus })
  status!: DocumentStatus;

  @Field(() => GraphQLISODateTime, { description: 'When the status was taken' })
  @Property({ type: 'timestamptz' })
  at!: Date;

  /** Insertion order: the order of the changes, also of those made in the same instant (sign-off, then in force). */
  @Property({ type: 'bigint', generated: 'identity' })
  seq?: Opt<string>;

  /** A staff member's id, an API key's id, or null for the system. */
  @Property({ type: 'uuid', nullable: true })
  actorId: string | null = null;

  @Field(() => AuditActorKindEnum, { description: 'Who made the change' })
  @Enum({ items: () => [...AUDIT_ACTOR_KINDS] })
  actorKind!: AuditActorKind;

  @Field(() => String, { nullable: true, description: 'Why, when the change was not a person\'s decision (e.g. "start date reached") or a comment given with it' })
  @Property({ type: 'text', nullable: true })
  reason: string | null = null;
}
