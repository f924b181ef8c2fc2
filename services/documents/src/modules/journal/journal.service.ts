import type { EntityManager } from '@mikro-orm/postgresql';
import { UserInputError } from '@kartoteka/kit';
import { deferAudit } from '../audit/audited-transaction';
import type { Actor } from '../document/document-access';
import { todayUtc } from '../document/document.dates';
import { type Document, DocumentType } from '../document/document.entity';

/** Number prefixes used until an administrator configures another one. */
export const DEFAULT_JOURNAL_PREFIXES: Readonly<Record<DocumentType, string>> = {
  [DocumentType.INCOMING_LETTER]: 'ВХ',
  [DocumentType.OUTGOING_LETTER]: 'ИСХ',
  [DocumentType.CONTRACT]: 'Д',
  [DocumentType.SUPPLEMENTARY_AGREEMENT]: 'ДС',
  [DocumentType.INVOICE]: 'СЧ',
  [DocumentType.ACT]: 'АКТ',
  [DocumentType.PAYMENT_ORDER]: 'ПП',
  [DocumentType.COMMERCIAL_OFFER]: 'КП',
  [DocumentType.OTHER]: 'ПР',
};

/** The journal of one type in one year, as listed to administrators. */
export type JournalState = { type: DocumentType; year: number; prefix: string; lastNumber: number; nextNumber: string };

const PREFIX = /^[\p{L}\p{N}-]{1,10}$/u;
const MIN_YEAR = 1900;
const MAX_YEAR = 9999;

/** `Д-2026-00015`: prefix, year, the number padded to five digits. */
export function formatRegistrationNumber(prefix: string, year: number, number: number): string {
  return `${prefix}-${year}-${String(number).padStart(5, '0')}`;
}

function checkType(type: DocumentType): DocumentType {
  if (!(Object.values(DocumentType) as string[]).includes(type)) throw new UserInputError('type', 'Unknown document type');
  return type;
}

function checkYear(year: number): number {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) throw new UserInputError('year', `The year must be between ${MIN_YEAR} and ${MAX_YEAR}`);
  return year;
}

/** Registration journals: one gap-free counter per (document type, year) and a configurable prefix per type. */
export class JournalService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Takes the next number of the journal, inside the caller's transaction. The upsert locks the journal row
   * until that transaction ends: concurrent registrations of the same type and year wait for it, and a
   * rollback gives the number back — numbers are gap-free and never reused. The prefix is read in the same
   * statement.
   */
  async nextNumber(type: DocumentType, year: number): Promise<string> {
    if (!this.em.isInTransaction()) throw new Error('JournalService.nextNumber must run inside the transaction that registers the document');
    checkType(type);
    checkYear(year);
    const [row] = await this.em.execute<{ last_number: number; prefix: string | null }[]>(
      `with taken as (
         insert into document_journals (document_type, year, last_number) values (?, ?, 1)
         on conflict (document_type, year) do update set last_number = document_journals.last_number + 1
         returning last_number
       )
       select taken.last_number, s.prefix from taken left join document_journal_settings s on s.document_type = ?`,
      [type, year, type],
    );
    return formatRegistrationNumber(row.prefix ?? DEFAULT_JOURNAL_PREFIXES[type], year, row.last_number);
  }

  /**
   * Registers the document in its journal inside the caller's (audited) transaction, the document row locked
   * by the caller: the next number, the registration time, today as the document's date if it has none.
   * Used by `register` and at the sign-off of an unregistered document.
   */
  async registerWithin(document: Document, actor: Actor): Promise<void> {
    const now = new Date();
    document.number = await this.nextNumber(document.type, now.getUTCFullYear());
    document.registeredAt = now;
    if (!document.date) document.date = todayUtc(now);
    await this.em.flush();
    deferAudit(this.em, { documentId: document.id, action: 'DOCUMENT_REGISTERED', ...actor, details: { number: document.number } });
  }

  /** Every document type's journal of the year (the current UTC year by default), in the order of DocumentType. */
  async list(year?: number | null): Promise<JournalState[]> {
    const journalYear = checkYear(year ?? new Date().getUTCFullYear());
    const [journals, settings] = await Promise.all([
      this.em.execute<{ document_type: DocumentType; last_number: number }[]>('select document_type, last_number from document_journals where year = ?', [journalYear]),
      this.em.execute<{ document_type: DocumentType; prefix: string }[]>('select document_type, prefix from document_journal_settings'),
    ]);
    const lastNumbers = new Map(journals.map((row) => [row.document_type, row.last_number]));
    const prefixes = new Map(settings.map((row) => [row.document_type, row.prefix]));
    return Object.values(DocumentType).map((type) => {
      const prefix = prefixes.get(type) ?? DEFAULT_JOURNAL_PREFIXES[type];
      const lastNumber = lastNumbers.get(type) ?? 0;
      return { type, year: journalYear, prefix, lastNumber, nextNumber: formatRegistrationNumber(prefix, journalYear, lastNumber + 1) };
    });
  }

  /** Sets the prefix of a type; numbers taken afterwards use it (numbers already given keep theirs). */
  async updatePrefix(type: DocumentType, prefix: string): Promise<JournalState> {
    checkType(type);
    const value = prefix.trim();
    if (!PREFIX.test(value)) throw new UserInputError('prefix', 'The prefix must be 1 to 10 letters, digits or dashes');
    await this.em.execute(
      `insert into document_journal_settings (document_type, prefix, updated_at) values (?, ?, now())
       on conflict (document_type) do update set prefix = excluded.prefix, updated_at = excluded.updated_at`,
      [type, value],
    );
    const journals = await this.list();
    return journals.find((state) => state.type === type) ?? journals[0];
  }
}
