import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

/**
 * One uploaded file: its metadata as uploaded (sanitized original name, detected type, who uploaded it).
 * The content lives in the file storage under its sha-256, so identical content is stored once however
 * many rows point at it. Rows are immutable.
 */
@Entity({ tableName: 'stored_files' })
export class StoredFile {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  /** Lower-case hex sha-256 of the content: its key in the storage. */
  @Index({ name: 'stored_files_sha256_index' })
  @Property({ columnType: 'char(64)' })
  sha256!: string;

  /** Size in bytes. */
  @Property({ type: new BigIntType('number') })
  size!: number;

  /** MIME type detected from the content (never the client's claim). */
  @Property({ type: 'string', length: 255 })
  contentType!: string;

  /** The original file name, sanitized: no path, no control characters, at most 255 bytes. */
  @Property({ type: 'string', length: 255 })
  name!: string;

  /** The staff member or API key that uploaded it. */
  @Property({ type: 'uuid', nullable: true })
  uploadedById: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();
}
