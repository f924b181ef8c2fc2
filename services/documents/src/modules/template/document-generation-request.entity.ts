import { Entity, Index, Property, type Opt } from '@mikro-orm/core';

/** Where a deal action's generation stands: waiting for the worker, done (a version was added), or given up. */
export type GenerationRequestStatus = 'PENDING' | 'DONE' | 'FAILED';

/**
 * A deal action's document that must get its first version from a template. The event consumer only records it
 * (in its own transaction, one row per document, so a redelivered event changes nothing); the generation worker
 * renders and converts it later, outside any transaction, because LibreOffice takes seconds and a consumer's
 * transaction must stay short. `nextAttemptAt` doubles as a lease: a worker that takes a row pushes it into the
 * future, so another replica does not take it while the conversion runs.
 */
@Entity({ tableName: 'document_generation_requests' })
@Index({ name: 'document_generation_requests_due_index', properties: ['status', 'nextAttemptAt'] })
export class DocumentGenerationRequest {
  /** The document to generate: at most one request per document. */
  @Property({ type: 'uuid', primary: true })
  documentId!: string;

  @Property({ type: 'string', length: 50 })
  templateCode!: string;

  /** The staff member whose deal action asked (the generating user of `{user.name}`); null for the system. */
  @Property({ type: 'uuid', nullable: true })
  requestedById: string | null = null;

  @Property({ type: 'string', length: 10 })
  status: Opt<GenerationRequestStatus> = 'PENDING';

  @Property({ type: 'integer' })
  attempts: Opt<number> = 0;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  nextAttemptAt: Opt<Date> = new Date();

  /** Why the last attempt failed (a message, no user data beyond what the document's audit trail shows). */
  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Opt<Date> = new Date();
}
