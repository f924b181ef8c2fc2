import { BigIntType, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export const AUDIT_ACTIONS = [
  'DOCUMENT_CREATED',
  'DOCUMENT_UPDATED',
  'DOCUMENT_REGISTERED',
  'VERSION_ADDED',
  'LINK_ADDED',
  'LINK_REMOVED',
  'ROUTE_STARTED',
  'STEP_APPROVED',
  'STEP_REJECTED',
  'STEP_DELEGATED',
  'ROUTE_RESUBMITTED',
  'ROUTE_RECALLED',
  'ROUTE_STOPPED',
  'DOCUMENT_SIGNED',
  'STATUS_CHANGED',
  'ACKNOWLEDGEMENT_REQUESTED',
  'DOCUMENT_ACKNOWLEDGED',
  'FILE_DOWNLOADED',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ACTOR_KINDS = ['user', 'apiKey', 'system'] as const;
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];

/** The GraphQL enum of actions: names and values are the action codes. */
export const AuditActionEnum = Object.fromEntries(AUDIT_ACTIONS.map((action) => [action, action])) as { [A in AuditAction]: A };

registerEnumType(AuditActionEnum, { name: 'AuditAction', description: 'What happened to a document' });

/** The GraphQL enum of actor kinds: conventional upper-case names over the stored values. */
export const AuditActorKindEnum = { USER: 'user', API_KEY: 'apiKey', SYSTEM: 'system' } as const satisfies Record<string, AuditActorKind>;

registerEnumType(AuditActorKindEnum, {
  name: 'AuditActorKind',
  description: 'Who acted',
  valuesConfig: {
    USER: { description: 'A staff member' },
    API_KEY: { description: 'A partner system (API key)' },
    SYSTEM: { description: 'The service itself (background jobs)' },
  },
});

/**
 * One entry of the append-only, hash-chained audit trail. `seq` numbers the whole chain 1, 2, 3, …
 * (assigned under an advisory lock as last + 1, not by a sequence, so a deleted record leaves a gap);
 * `hash` is sha-256 over the canonical serialization of every other field, including `seq` and
 * `prevHash`, the hash of the record before it. A database trigger rejects UPDATE, DELETE and TRUNCATE
 * (see audit.sql.ts).
 */
@ObjectType({ description: 'An entry of the tamper-evident audit trail of documents' })
@Entity({ tableName: 'audit_records' })
@Index({ name: 'audit_records_document_seq_index', properties: ['documentId', 'seq'] })
export class AuditRecord {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Field(() => Int, { description: 'Position in the whole chain: 1, 2, 3, … without gaps' })
  @Property({ type: new BigIntType('number'), unique: 'audit_records_seq_unique' })
  seq!: number;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  documentId!: string;

  @Field(() => AuditActionEnum)
  @Enum({ items: () => [...AUDIT_ACTIONS] })
  action!: AuditAction;

  /** A staff member's id, an API key's id, or null for the system. */
  @Field(() => ID, { nullable: true, description: 'Id of the staff member or API key that acted; null for the system' })
  @Property({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Field(() => AuditActorKindEnum)
  @Enum({ items: () => [...AUDIT_ACTOR_KINDS] })
  actorKind!: AuditActorKind;

  @Field(() => ID, { nullable: true, description: 'The document version concerned, if any' })
  @Property({ type: 'uuid', nullable: true })
  versionId!: string | null;

  @Field(() => GraphQLJSONObject, { description: 'Action-specific details' })
  @Property({ type: 'jsonb' })
  details!: Record<string, unknown>;

  @Field(() => GraphQLISODateTime)
  @Property({ type: 'timestamptz' })
  recordedAt!: Date;

  @Field({ description: 'sha-256 (hex) of the previous record; 64 zeros for the first record' })
  @Property({ type: 'string', columnType: 'char(64)' })
  prevHash!: string;

  @Field({ description: 'sha-256 (hex) over the canonical serialization of this record, including seq and prevHash' })
  @Property({ type: 'string', columnType: 'char(64)' })
  hash!: string;
}
