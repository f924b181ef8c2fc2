import { Entity, Enum, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '@kartoteka/kit';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export const IMPORT_STATUSES = ['UPLOADED', 'MAPPED', 'PREVIEWED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const ImportStatus = Object.fromEntries(IMPORT_STATUSES.map((value) => [value, value])) as { [K in ImportStatus]: K };
registerEnumType(ImportStatus, {
  name: 'ImportStatus',
  description: 'UPLOADED → MAPPED (preview under way) → PREVIEWED → RUNNING → COMPLETED; FAILED or CANCELLED end it early',
});

export const DUPLICATE_POLICIES = ['SKIP', 'UPDATE'] as const;
export type DuplicatePolicy = (typeof DUPLICATE_POLICIES)[number];
export const DuplicatePolicy = Object.fromEntries(DUPLICATE_POLICIES.map((value) => [value, value])) as { [K in DuplicatePolicy]: K };
registerEnumType(DuplicatePolicy, { name: 'ImportDuplicatePolicy', description: 'What a run does with a row whose INN + KPP is taken: skip it, or update that counterparty' });

export const IMPORT_ROW_STATUSES = ['PENDING', 'VALID', 'INVALID', 'DUPLICATE'] as const;
export type ImportRowStatus = (typeof IMPORT_ROW_STATUSES)[number];
export const ImportRowStatus = Object.fromEntries(IMPORT_ROW_STATUSES.map((value) => [value, value])) as { [K in ImportRowStatus]: K };
registerEnumType(ImportRowStatus, { name: 'ImportRowStatus', description: 'The preview verdict on a row' });

export const IMPORT_ROW_OUTCOMES = ['CREATED', 'UPDATED', 'SKIPPED', 'REFUSED'] as const;
export type ImportRowOutcome = (typeof IMPORT_ROW_OUTCOMES)[number];
export const ImportRowOutcome = Object.fromEntries(IMPORT_ROW_OUTCOMES.map((value) => [value, value])) as { [K in ImportRowOutcome]: K };
registerEnumType(ImportRowOutcome, { name: 'ImportRowOutcome', description: 'What the run did with a row (stored with the row in the transaction that wrote it)' });

/**
 * The fields a column can be mapped to: the counterparty's own, one contact and one bank account per row. PHONE and
 * EMAIL (the company's own) become a contact named «Общий контакт» when the row names no contact person; a website
 * has no place on a counterparty yet, so it is not offered.
 */
export const IMPORT_FIELDS = [
  'NAME',
  'SHORT_NAME',
  'KIND',
  'INN',
  'KPP',
  'OGRN',
  'STATUS',
  'TAGS',
  'LEGAL_ADDRESS',
  'POSTAL_ADDRESS',
  'PHONE',
  'EMAIL',
  'MANAGER_EMAIL',
  'CONTACT_NAME',
  'CONTACT_POSITION',
  'CONTACT_EMAIL',
  'CONTACT_PHONE',
  'CONTACT_MAILING_CONSENT',
  'BANK_BIK',
  'BANK_ACCOUNT',
  'BANK_NAME',
  'BANK_CORRESPONDENT_ACCOUNT',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export const ImportField = Object.fromEntries(IMPORT_FIELDS.map((value) => [value, value])) as { [K in ImportField]: K };
registerEnumType(ImportField, { name: 'ImportField', description: 'A counterparty field an import column can fill' });

@ObjectType('ImportColumnMapping', { description: 'Column (by its index in the file, 0-based) → the field it fills' })
export class ImportColumnMapping {
  @Field(() => Int)
  column!: number;

  @Field(() => ImportField)
  field!: ImportField;
}

@ObjectType('ImportCounters', { description: 'How many rows are in each state' })
export class ImportCounters {
  @Field(() => Int) valid!: number;
  @Field(() => Int) invalid!: number;
  @Field(() => Int) duplicate!: number;
  @Field(() => Int) created!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int) skipped!: number;
  @Field(() => Int) refused!: number;
}

/**
 * An import of counterparties from one spreadsheet: the file's rows are kept in `import_rows` until the job is
 * done, so the mapping can be changed, the preview repeated and a run resumed where it stopped (`lastRow`, the
 * highest row number whose result is committed — written in the transaction that wrote those rows).
 */
@ObjectType('ImportJob', { description: 'An import of counterparties from an XLSX or CSV file' })
@Entity({ tableName: 'import_jobs' })
@Index({ name: 'import_jobs_status_index', properties: ['status', 'createdAt'] })
export class ImportJob extends BaseEntity {
  @Field()
  @Property({ type: 'string', length: 300 })
  fileName!: string;

  @Field(() => ImportStatus)
  @Enum({ items: [...IMPORT_STATUSES] })
  status: ImportStatus = 'UPLOADED';

  @Field(() => [String], { description: 'The header row as found in the file' })
  @Property({ type: 'jsonb' })
  headers: string[] = [];

  @Field(() => Int, { description: 'Data rows (the header row not counted)' })
  @Property({ type: 'integer' })
  rowCount: number = 0;

  /** The mapping in force; empty until setImportMapping. */
  @Property({ type: 'jsonb' })
  mapping: ImportColumnMapping[] = [];

  @Field(() => DuplicatePolicy)
  @Enum({ items: [...DUPLICATE_POLICIES] })
  duplicatePolicy: DuplicatePolicy = 'SKIP';

  /** Who uploaded: the actor of the history entries the run writes. */
  @Property({ type: 'uuid', nullable: true })
  createdById: string | null = null;

  @Property({ type: 'string', length: 10 })
  createdByKind: 'user' | 'apiKey' = 'user';

  @Property({ type: 'string', length: 200 })
  createdByName: string = '';

  /** The highest row number done by the current phase (preview or run); the next round goes on after it. */
  @Property({ type: 'integer' })
  lastRow: Opt<number> = 0;

  @Field(() => Int, { description: 'Rows the current phase has done (preview: validated; run: written, skipped or refused)' })
  @Property({ type: 'integer' })
  processed: Opt<number> = 0;

  @Property({ type: 'integer' }) validCount: Opt<number> = 0;
  @Property({ type: 'integer' }) invalidCount: Opt<number> = 0;
  @Property({ type: 'integer' }) duplicateCount: Opt<number> = 0;
  @Property({ type: 'integer' }) createdCount: Opt<number> = 0;
  @Property({ type: 'integer' }) updatedCount: Opt<number> = 0;
  @Property({ type: 'integer' }) skippedCount: Opt<number> = 0;
  @Property({ type: 'integer' }) refusedCount: Opt<number> = 0;

  @Field(() => String, { nullable: true, description: 'Why the job failed (FAILED only)' })
  @Property({ type: 'text', nullable: true })
  failure: string | null = null;
}

/** One data row of an uploaded file, its preview verdict and, once run, what became of it. */
@Entity({ tableName: 'import_rows' })
@Index({ name: 'import_rows_dup_key_index', properties: ['jobId', 'dupKey'] })
export class ImportRow {
  @PrimaryKey({ type: 'uuid' })
  jobId!: string;

  /** 1-based position among the data rows (the header row not counted). */
  @PrimaryKey({ type: 'integer' })
  rowNumber!: number;

  /** The cells as text, in the file's column order. */
  @Property({ type: 'jsonb' })
  cells!: string[];

  @Enum({ items: [...IMPORT_ROW_STATUSES] })
  status: ImportRowStatus = 'PENDING';

  @Property({ type: 'jsonb', nullable: true })
  errors: { field: string; message: string }[] | null = null;

  /** The counterparty a DUPLICATE row collides with (an earlier row's one is only known once it is written). */
  @Property({ type: 'uuid', nullable: true })
  existingId: string | null = null;

  /** INN/KPP of a row the preview found valid or duplicate: how later rows of the file find it. */
  @Property({ type: 'string', length: 30, nullable: true })
  dupKey: string | null = null;

  @Enum({ items: [...IMPORT_ROW_OUTCOMES], nullable: true })
  outcome: ImportRowOutcome | null = null;

  @Property({ type: 'uuid', nullable: true })
  counterpartyId: string | null = null;
}

@ObjectType('ImportRowError')
export class ImportRowError {
  @Field({ description: 'The counterparty field, e.g. inn, kpp, contacts.0.email' })
  field!: string;

  @Field()
  message!: string;
}

@ObjectType('ImportRowView', { description: 'A row of an import file with its verdict' })
export class ImportRowView {
  @Field(() => Int)
  rowNumber!: number;

  @Field(() => [String])
  cells!: string[];

  @Field(() => ImportRowStatus)
  status!: ImportRowStatus;

  @Field(() => [ImportRowError])
  errors!: ImportRowError[];

  @Field(() => ID, { nullable: true, description: 'The existing counterparty a DUPLICATE row collides with' })
  existingId!: string | null;

  @Field(() => ImportRowOutcome, { nullable: true })
  outcome!: ImportRowOutcome | null;

  @Field(() => ID, { nullable: true, description: 'The counterparty the row created or updated' })
  counterpartyId!: string | null;
}
