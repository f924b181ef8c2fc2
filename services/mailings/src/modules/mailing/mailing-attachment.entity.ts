import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

/** Largest attachment a mailing may carry: every message repeats it, so it stays small. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/**
 * The bytes of a mailing's attachment, apart from the mailing row so that lists and pages never read them; the
 * metadata (name, type, size) is on the mailing. One row per mailing; replaced on a new upload.
 */
@Entity({ tableName: 'mailing_attachments' })
export class MailingAttachmentContent {
  @PrimaryKey({ type: 'uuid' })
  mailingId!: string;

  @Property({ type: 'blob', columnType: 'bytea' })
  bytes!: Buffer;

  @Property({ type: 'string', length: 64, comment: 'sha-256 of the bytes, hex' })
  sha256!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();
}
