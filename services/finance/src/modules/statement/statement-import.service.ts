import { randomUUID } from 'node:crypto';
import { ConflictError, isUuid, MAX_PAGE_SIZE, NotFoundError, UserInputError } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { counterpartySide, paymentFingerprint, PaymentMatchDirectory, rememberKnownAccounts, type Direction } from '../payment/payment.directory';
import { publishPaymentsMatched } from '../payment/payment.events';
import type { PaymentMatch } from '../payment/payment.matcher';
import { recomputeRatings } from '../rating/rating.service';
import { StatementImport, StatementImportStatus } from './statement-import.entity';
import { parseBankStatement, StatementFormatError, type StatementParty, type StatementPayment } from './statement.parser';

/** The PostgreSQL channel confirmStatementImport notifies (on commit) to wake the import worker at once. */
export const STATEMENT_IMPORT_CHANNEL = 'finance_statement_import';

/** Payments imported per transaction: progress moves every chunk, and a crash loses at most one chunk's work. */
export const IMPORT_CHUNK_SIZE = 500;
/** The largest statement file accepted (the REST route refuses larger bodies before parsing). */
export const MAX_STATEMENT_BYTES = 20 * 1024 * 1024;
/** At most this many notes of each kind are kept in a report (the counters stay exact). */
const MAX_NOTES = 1000;

/** A line of the statement worth reporting: refused (not imported), a duplicate, or a warning. */
export type StatementLineNote = { line: number; code: string; message: string };
export type StatementReport = { refused: StatementLineNote[]; warnings: StatementLineNote[]; duplicates: StatementLineNote[] };

/** One payment of a statement waiting in PREVIEW / RUNNING, with the match proposed at upload. */
export type StagedPayment = {
  line: number;
  section: string;
  direction: Direction;
  fingerprint: string;
  number: string;
  date: string;
  amountMinor: number;
  payer: StatementParty;
  payee: StatementParty;
  purpose: string;
  debitedAt: string | null;
  creditedAt: string | null;
  /** Already imported (same fingerprint) at upload, or repeated earlier in this file. */
  duplicate: boolean;
  match: PaymentMatch;
};
type Staged = { payments: StagedPayment[] };

/** What the upload answers: the stored import's id and its summary. */
export type StatementUploadSummary = {
  id: string;
  fileName: string;
  status: string;
  encoding: string;
  accounts: string[];
  dateFrom: string | null;
  dateTo: string | null;
  total: number;
  duplicates: number;
  matched: number;
  ambiguous: number;
  unmatched: number;
  refused: number;
  warnings: number;
};

const NAME_LENGTH = 500;
const cut = (value: string | null, length: number): string | null => (value === null ? null : value.slice(0, length));

/** Column sizes the file must respect (a longer value is a malformed statement, never silently cut). */
function checkFits(payment: StatementPayment): void {
  const tooLong = (value: string | null, length: number, field: string): void => {
    if (value !== null && value.length > length) throw new StatementFormatError(payment.line, `${field} "${value}" is longer than ${length} characters`);
  };
  tooLong(payment.number, 50, 'Номер');
  tooLong(payment.payer.account, 20, 'ПлательщикСчет');
  tooLong(payment.payee.account, 20, 'ПолучательСчет');
  tooLong(payment.payer.kpp, 9, 'ПлательщикКПП');
  tooLong(payment.payee.kpp, 9, 'ПолучательКПП');
  tooLong(payment.payer.bankBic, 9, 'ПлательщикБИК');
  tooLong(payment.payee.bankBic, 9, 'ПолучательБИК');
}

const matchInputOf = (payment: Pick<StagedPayment, 'direction' | 'payer' | 'payee' | 'purpose' | 'amountMinor' | 'date'>) => {
  const side = counterpartySide(payment.direction, payment.payer, payment.payee);
  return { direction: payment.direction, inn: side.inn, kpp: side.kpp, account: side.account, purpose: payment.purpose, amountMinor: payment.amountMinor, date: payment.date };
};

const byDateThenLine = (a: StagedPayment, b: StagedPayment): number => (a.date === b.date ? a.line - b.line : a.date < b.date ? -1 : 1);

function summaryOf(statement: StatementImport, report: StatementReport): StatementUploadSummary {
  return {
    id: statement.id,
    fileName: statement.fileName,
    status: statement.status,
    encoding: statement.encoding,
    accounts: statement.accounts,
    dateFrom: statement.dateFrom,
    dateTo: statement.dateTo,
    total: statement.total,
    duplicates: statement.duplicates,
    matched: statement.matched,
    ambiguous: statement.ambiguous,
    unmatched: statement.unmatched,
    refused: report.refused.length,
    warnings: report.warnings.length,
  };
}

/** A file name as shown to people: no directories, no control characters, at most 255 characters. */
export function cleanFileName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.split(/[\\/]/).pop() ?? '' : '';
  const cleaned = name.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return cleaned || 'statement.txt';
}

/**
 * Parses a statement whole (a StatementFormatError — nothing stored — on the first malformed line) and stores it
 * as an import in PREVIEW: every payment staged with its direction (to or from one of the statement's own
 * accounts), its fingerprint, whether it is already imported, and the match proposed now. Transfers between
 * the statement's own accounts are not counterparty payments: they are listed as refused lines.
 * In PREVIEW, `duplicates`/`matched`/`ambiguous`/`unmatched` count what the import would do.
 */
export async function prepareStatementImport(em: EntityManager, bytes: Buffer, fileName: string, createdById: string | null): Promise<{ statement: StatementImport; summary: StatementUploadSummary }> {
  const parsed = parseBankStatement(bytes);
  const ours = new Set(parsed.accounts.map((account) => account.account));
  if (ours.size === 0) throw new StatementFormatError(1, 'the statement names none of our accounts (no РасчСчет in the header or a СекцияРасчСчет)');
  const report: StatementReport = {
    refused: [],
    warnings: parsed.warnings.slice(0, MAX_NOTES).map((warning) => ({ line: warning.line, code: warning.code, message: `${warning.field}: ${warning.message}` })),
    duplicates: [],
  };

  const staged: StagedPayment[] = [];
  for (const payment of parsed.payments) {
    checkFits(payment);
    const fromUs = payment.payer.account !== null && ours.has(payment.payer.account);
    const toUs = payment.payee.account !== null && ours.has(payment.payee.account);
    if (fromUs && toUs) {
      if (report.refused.length < MAX_NOTES) report.refused.push({ line: payment.line, code: 'own-transfer', message: `№ ${payment.number} of ${payment.date}: a transfer between our own accounts, not a counterparty payment` });
      continue;
    }
    if (!fromUs && !toUs) {
      throw new StatementFormatError(payment.line, `the payment № ${payment.number} is neither to nor from the statement's accounts (${[...ours].join(', ')})`);
    }
    const direction: Direction = toUs ? 'INCOMING' : 'OUTGOING';
    const payer = { ...payment.payer, name: cut(payment.payer.name, NAME_LENGTH) };
    const payee = { ...payment.payee, name: cut(payment.payee.name, NAME_LENGTH) };
    staged.push({
      line: payment.line,
      section: payment.section,
      direction,
      fingerprint: paymentFingerprint({ date: payment.date, number: payment.number, amountMinor: payment.amountMinor, payerAccount: payer.account, payeeAccount: payee.account, direction }),
      number: payment.number,
      date: payment.date,
      amountMinor: payment.amountMinor,
      payer,
      payee,
      purpose: payment.purpose,
      debitedAt: payment.debitedAt,
      creditedAt: payment.creditedAt,
      duplicate: false,
      match: { status: 'UNMATCHED', counterpartyId: null, invoiceId: null, contractId: null, confidence: 0, reasons: [] },
    });
  }

  const known = new Set(
    staged.length
      ? (await em.execute<{ fingerprint: string }[]>('select fingerprint from payments where fingerprint in (select jsonb_array_elements_text(?::jsonb))', [JSON.stringify(staged.map((payment) => payment.fingerprint))])).map((row) => row.fingerprint)
      : [],
  );
  const directory = await PaymentMatchDirectory.load(em, staged.map((payment) => counterpartySide(payment.direction, payment.payer, payment.payee).inn));
  let duplicates = 0;
  const counts = { MATCHED: 0, AMBIGUOUS: 0, UNMATCHED: 0 };
  for (const payment of [...staged].sort(byDateThenLine)) {
    if (known.has(payment.fingerprint)) {
      payment.duplicate = true;
      duplicates += 1;
      continue;
    }
    known.add(payment.fingerprint);
    payment.match = directory.match(matchInputOf(payment));
    counts[payment.match.status] += 1;
  }

  const statement = em.create(StatementImport, {
    fileName,
    status: StatementImportStatus.PREVIEW,
    encoding: parsed.encoding,
    accounts: [...ours],
    dateFrom: parsed.dateFrom ?? parsed.accounts.map((account) => account.dateFrom).filter((date): date is string => !!date).sort()[0] ?? null,
    dateTo: parsed.dateTo ?? parsed.accounts.map((account) => account.dateTo).filter((date): date is string => !!date).sort().pop() ?? null,
    total: staged.length,
    duplicates,
    matched: counts.MATCHED,
    ambiguous: counts.AMBIGUOUS,
    unmatched: counts.UNMATCHED,
    staged: { payments: staged } satisfies Staged,
    report,
    createdById,
  });
  await em.flush();
  return { statement, summary: summaryOf(statement, report) };
}

/** Imports of the list, newest first. */
export function listStatementImports(em: EntityManager, first: number): Promise<StatementImport[]> {
  return em.find(StatementImport, {}, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: Math.min(Math.max(first, 1), MAX_PAGE_SIZE) });
}

export async function findStatementImport(em: EntityManager, id: string): Promise<StatementImport | null> {
  return isUuid(id) ? em.findOne(StatementImport, { id: id.toLowerCase() }) : null;
}

/** Rows of a PREVIEW (or RUNNING) import, in file order, read from the staged payments without loading them all. */
export async function stagedPayments(em: EntityManager, importId: string, offset: number, first: number): Promise<StagedPayment[]> {
  if (first <= 0) return [];
  const [row] = await em.execute<{ rows: StagedPayment[] | null }[]>(
    `select jsonb_path_query_array(staged, ?::jsonpath) as rows from statement_imports where id = ?`,
    [`$.payments[${Math.max(0, Math.floor(offset))} to ${Math.max(0, Math.floor(offset)) + Math.floor(first) - 1}]`, importId],
  );
  return row?.rows ?? [];
}

export function reportOf(statement: StatementImport): StatementReport {
  const report = (statement.report ?? {}) as Partial<StatementReport>;
  return { refused: report.refused ?? [], warnings: report.warnings ?? [], duplicates: report.duplicates ?? [] };
}

/** The staged payments are only needed until the import is done or discarded (a lazy column: cleared in SQL). */
async function clearStaged(em: EntityManager, id: string): Promise<void> {
  await em.execute('update statement_imports set staged = null where id = ?', [id]);
}

async function lockImport(em: EntityManager, id: string): Promise<StatementImport> {
  const rows = isUuid(id) ? await em.execute<{ id: string }[]>('select id from statement_imports where id = ? for update', [id.toLowerCase()]) : [];
  if (!rows.length) throw new NotFoundError('StatementImport', id);
  const statement = await em.findOneOrFail(StatementImport, { id: rows[0].id }, { refresh: true });
  return statement;
}

/**
 * PREVIEW → RUNNING: the background import takes it from here (counters restart from zero). The NOTIFY in the same
 * transaction reaches the workers' LISTEN connections when it commits (never for a rolled-back confirm).
 */
export async function confirmStatementImport(em: EntityManager, id: string): Promise<StatementImport> {
  return em.transactional(async (tx) => {
    const statement = await lockImport(tx, id);
    if (statement.status !== StatementImportStatus.PREVIEW) {
      throw new ConflictError(`The statement import is ${statement.status}: only a PREVIEW can be confirmed`, { status: statement.status });
    }
    Object.assign(statement, { status: StatementImportStatus.RUNNING, processed: 0, created: 0, duplicates: 0, matched: 0, ambiguous: 0, unmatched: 0 });
    await tx.execute('select pg_notify(?, ?)', [STATEMENT_IMPORT_CHANNEL, statement.id]);
    return statement;
  });
}

/** PREVIEW → DISCARDED: the staged payments are dropped, nothing is imported. */
export async function discardStatementImport(em: EntityManager, id: string): Promise<StatementImport> {
  return em.transactional(async (tx) => {
    const statement = await lockImport(tx, id);
    if (statement.status !== StatementImportStatus.PREVIEW) {
      throw new ConflictError(`The statement import is ${statement.status}: only a PREVIEW can be discarded`, { status: statement.status });
    }
    statement.status = StatementImportStatus.DISCARDED;
    statement.finishedAt = new Date();
    await clearStaged(tx, statement.id);
    return statement;
  });
}

type InsertedRow = { fingerprint: string };

/**
 * One chunk of one RUNNING import, in one transaction: the oldest RUNNING import not being worked on by another
 * instance (`for update skip locked`) gets its next IMPORT_CHUNK_SIZE payments matched against the database as it
 * is now and inserted (`on conflict (fingerprint) do nothing`: a repeated chunk, an overlapping statement or a
 * re-import never duplicates a payment); the counters and `processed` move in the same transaction, so a crash
 * resumes exactly after the last committed chunk. Known accounts of matched payments are remembered and the
 * affected counterparties' ratings recomputed. Once every payment is processed the import is DONE.
 * Returns false when there was nothing to do.
 */
export async function importNextChunk(em: EntityManager, now: () => Date = () => new Date(), importId?: string): Promise<boolean> {
  return em.transactional(async (tx) => {
    const [locked] = await tx.execute<{ id: string; processed: number; total: number }[]>(
      `select id, processed, total from statement_imports where status = 'RUNNING'${importId ? ' and id = ?' : ''}
       order by created_at, id limit 1 for update skip locked`,
      importId ? [importId] : [],
    );
    if (!locked) return false;
    try {
      await importChunkOf(tx, locked.id, now);
      await tx.flush();
    } catch (error) {
      throw new StatementImportChunkError(locked.id, error);
    }
    return true;
  });
}

/** A chunk of this import failed (its transaction rolled back). */
export class StatementImportChunkError extends Error {
  constructor(
    readonly statementImportId: string,
    readonly failure: unknown,
  ) {
    super(`A chunk of statement import ${statementImportId} failed: ${failure instanceof Error ? failure.message : String(failure)}`);
    this.name = 'StatementImportChunkError';
  }
}

async function importChunkOf(tx: EntityManager, id: string, now: () => Date): Promise<void> {
  const statement = await tx.findOneOrFail(StatementImport, { id }, { refresh: true });
  const slice = await stagedPayments(tx, statement.id, statement.processed, IMPORT_CHUNK_SIZE);
  const report = reportOf(statement);
  if (slice.length === 0) {
    statement.status = StatementImportStatus.DONE;
    statement.finishedAt = now();
    statement.processed = statement.total;
    await clearStaged(tx, statement.id);
    return;
  }

  const directory = await PaymentMatchDirectory.load(tx, slice.map((payment) => counterpartySide(payment.direction, payment.payer, payment.payee).inn));
  const rows = [...slice].sort(byDateThenLine).map((payment) => {
    const match = directory.match(matchInputOf(payment));
    return {
      id: randomUUID(),
      fingerprint: payment.fingerprint,
      direction: payment.direction,
      number: payment.number,
      date: payment.date,
      amount_minor: payment.amountMinor,
      payer_name: payment.payer.name,
      payer_inn: payment.payer.inn,
      payer_kpp: payment.payer.kpp,
      payer_account: payment.payer.account,
      payer_bic: payment.payer.bankBic,
      payee_name: payment.payee.name,
      payee_inn: payment.payee.inn,
      payee_kpp: payment.payee.kpp,
      payee_account: payment.payee.account,
      payee_bic: payment.payee.bankBic,
      purpose: payment.purpose,
      debited_at: payment.debitedAt,
      credited_at: payment.creditedAt,
      counterparty_id: match.counterpartyId,
      contract_id: match.contractId,
      invoice_id: match.invoiceId,
      match_status: match.status,
      match_confidence: match.confidence,
      match_reasons: match.reasons,
      statement_import_id: statement.id,
      line: payment.line,
      account: counterpartySide(payment.direction, payment.payer, payment.payee).account,
    };
  });
  const inserted = await tx.execute<InsertedRow[]>(
    `insert into payments (id, fingerprint, direction, number, date, amount_minor, payer_name, payer_inn, payer_kpp, payer_account, payer_bic,
       payee_name, payee_inn, payee_kpp, payee_account, payee_bic, purpose, debited_at, credited_at, counterparty_id, contract_id, invoice_id,
       match_status, match_confidence, match_reasons, statement_import_id)
     select id, fingerprint, direction, number, date, amount_minor, payer_name, payer_inn, payer_kpp, payer_account, payer_bic,
       payee_name, payee_inn, payee_kpp, payee_account, payee_bic, purpose, debited_at, credited_at, counterparty_id, contract_id, invoice_id,
       match_status, match_confidence, coalesce(match_reasons, '[]'::jsonb), statement_import_id
     from jsonb_to_recordset(?::jsonb) as r(id uuid, fingerprint text, direction text, number text, date date, amount_minor bigint,
       payer_name text, payer_inn text, payer_kpp text, payer_account text, payer_bic text, payee_name text, payee_inn text, payee_kpp text,
       payee_account text, payee_bic text, purpose text, debited_at date, credited_at date, counterparty_id uuid, contract_id uuid, invoice_id uuid,
       match_status text, match_confidence real, match_reasons jsonb, statement_import_id uuid)
     on conflict (fingerprint) do nothing
     returning fingerprint`,
    [JSON.stringify(rows)],
  );
  const created = new Set(inserted.map((row) => row.fingerprint));
  const counts = { MATCHED: 0, AMBIGUOUS: 0, UNMATCHED: 0 };
  const learned: { counterpartyId: string; account: string | null }[] = [];
  const affected = new Set<string>();
  for (const row of rows) {
    if (!created.has(row.fingerprint)) {
      if (report.duplicates.length < MAX_NOTES) {
        report.duplicates.push({ line: row.line, code: 'duplicate', message: `№ ${row.number} of ${row.date}, ${(row.amount_minor / 100).toFixed(2)}: already imported` });
      }
      continue;
    }
    counts[row.match_status] += 1;
    if (row.match_status === 'MATCHED' && row.counterparty_id) {
      learned.push({ counterpartyId: row.counterparty_id, account: row.account });
      affected.add(row.counterparty_id);
    }
  }
  await rememberKnownAccounts(tx, learned);
  if (affected.size) await recomputeRatings(tx, [...affected].sort(), now());
  await publishPaymentsMatched(tx, rows.filter((row) => created.has(row.fingerprint) && row.match_status === 'MATCHED' && row.counterparty_id).map((row) => row.id), null, now()); // matched by the import, not by a person

  statement.processed += slice.length;
  statement.created += created.size;
  statement.duplicates += rows.length - created.size;
  statement.matched += counts.MATCHED;
  statement.ambiguous += counts.AMBIGUOUS;
  statement.unmatched += counts.UNMATCHED;
  statement.report = report;
  if (statement.processed >= statement.total) {
    statement.status = StatementImportStatus.DONE;
    statement.finishedAt = now();
    await clearStaged(tx, statement.id);
  }
}

/** Marks a RUNNING import FAILED (its chunk failed for a reason a retry will not fix); imported chunks stay. */
export async function failStatementImport(em: EntityManager, id: string, error: string, now: Date = new Date()): Promise<void> {
  await em.execute(`update statement_imports set status = 'FAILED', error = ?, finished_at = ? where id = ? and status = 'RUNNING'`, [error.slice(0, 2000), now, id]);
}

export function assertUploadSize(size: number): void {
  if (size > MAX_STATEMENT_BYTES) throw new UserInputError('file', `The statement is larger than ${MAX_STATEMENT_BYTES / 1024 / 1024} MB`, { reason: 'statement.too-large' });
}
