import { actorId, decodeCursor, encodeCursor, NotFoundError, toConnection, UserInputError, type ConnectionShape, type Identity, type SubgraphContext } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../counterparty/bulk-sql';
import { readSpreadsheet, type SpreadsheetFormat } from './import.parser';
import { checkMapping } from './import.mapping';
import { ImportJob, type DuplicatePolicy, type ImportColumnMapping, type ImportRowOutcome, type ImportRowStatus, type ImportStatus, type ImportRowView } from './import-job.entity';

/** Rows per multi-row INSERT while a file is stored (one statement, one JSON parameter). */
export const UPLOAD_BATCH_SIZE = 2000;

/** A file with no data row, or no header, is refused at upload. */
export class ImportFileError extends UserInputError {
  constructor(message: string) {
    super('file', message, { reason: 'import.file' });
  }
}

type StoredRow = {
  row_number: number;
  cells: string[];
  status: ImportRowStatus;
  errors: { field: string; message: string }[] | null;
  existing_id: string | null;
  outcome: ImportRowOutcome | null;
  counterparty_id: string | null;
};

function view(row: StoredRow): ImportRowView {
  return {
    rowNumber: row.row_number,
    cells: row.cells,
    status: row.status,
    errors: row.errors ?? [],
    existingId: row.existing_id,
    outcome: row.outcome,
    counterpartyId: row.counterparty_id,
  };
}

/** The row filter of `importRows`: a preview verdict, or REFUSED for the rows the run refused (the report's rows). */
export type ImportRowFilter = ImportRowStatus | 'REFUSED';

/** Rows the refused-rows report lists: invalid at preview, or refused when written. */
export const REFUSED_ROWS_SQL = `(status = 'INVALID' or outcome = 'REFUSED')`;

/** The who of a job: the actor of the history entries the run writes. */
export function identityOfJob(job: ImportJob): Identity {
  if (!job.createdById) return { kind: 'anonymous' };
  return job.createdByKind === 'apiKey'
    ? { kind: 'apiKey', id: job.createdById, name: job.createdByName, scopes: [], permissions: [] }
    : { kind: 'user', id: job.createdById, name: job.createdByName, roles: [], permissions: [] };
}

/**
 * Imports of counterparties from spreadsheets: storing an uploaded file's rows, the mapping, starting and
 * cancelling; the preview and the run are rounds of the import worker (import.worker.ts).
 */
export class ImportService {
  constructor(private readonly context: Pick<SubgraphContext, 'em' | 'identity'>) {}

  /**
   * Stores a file's rows in one transaction (a multi-row INSERT per UPLOAD_BATCH_SIZE rows), so a job exists only
   * with all its rows. The first non-blank row is the header.
   */
  async upload(path: string, format: SpreadsheetFormat, fileName: string): Promise<ImportJob> {
    const identity = this.context.identity;
    return this.context.em.transactional(async (em) => {
      const job = em.create(ImportJob, {
        fileName: fileName.slice(0, 300) || 'import',
        status: 'UPLOADED',
        headers: [],
        rowCount: 0,
        mapping: [],
        duplicatePolicy: 'SKIP',
        createdById: actorId(identity),
        createdByKind: identity.kind === 'apiKey' ? 'apiKey' : 'user',
        createdByName: identity.kind === 'anonymous' ? '' : identity.name.slice(0, 200),
      });
      await em.flush();
      let headers: string[] | null = null;
      let batch: [number, string[]][] = [];
      let count = 0;
      const insert = async () => {
        if (!batch.length) return;
        // bound, not written into the SQL text: a batch is megabytes of cells
        await executeBound(
          em,
          `insert into import_rows (job_id, row_number, cells, status) select ?::uuid, (r->>0)::int, r->1, 'PENDING' from jsonb_array_elements(?::jsonb) r`,
          [job.id, JSON.stringify(batch)],
        );
        batch = [];
      };
      for await (const row of readSpreadsheet(path, format)) {
        if (!headers) {
          headers = row.map((cell, index) => cell.trim() || `#${index + 1}`);
          continue;
        }
        count += 1;
        batch.push([count, row]);
        if (batch.length >= UPLOAD_BATCH_SIZE) await insert();
      }
      await insert();
      if (!headers) throw new ImportFileError('The file is empty: the first row must name the columns');
      if (!count) throw new ImportFileError('The file has no rows under its header');
      job.headers = headers;
      job.rowCount = count;
      return job;
    });
  }

  async job(id: string): Promise<ImportJob> {
    const job = await this.context.em.findOne(ImportJob, { id });
    if (!job) throw new NotFoundError('ImportJob', id);
    return job;
  }

  /** The latest jobs, newest first (at most `limit`). */
  recent(limit: number): Promise<ImportJob[]> {
    return this.context.em.find(ImportJob, {}, { orderBy: { createdAt: 'desc', id: 'desc' }, limit });
  }

  /** Rows of a job in file order, optionally only one verdict (or the refused ones). */
  async rows(jobId: string, filter: ImportRowFilter | null | undefined, first: number, after: string | null | undefined): Promise<ConnectionShape<ImportRowView>> {
    await this.job(jobId);
    const conditions = ['job_id = ?'];
    const params: unknown[] = [jobId];
    if (filter === 'REFUSED') conditions.push(REFUSED_ROWS_SQL);
    else if (filter) {
      conditions.push('status = ?');
      params.push(filter);
    }
    const where = conditions.join(' and ');
    const [{ total }] = await this.context.em.execute<{ total: number }[]>(`select count(*)::int as total from import_rows where ${where}`, params);
    const keyset = after ? ` and row_number > ?` : '';
    const afterRow = after ? decodeCursor(after, ['int32'])[0] : null;
    const rows = await this.context.em.execute<StoredRow[]>(
      `select row_number, cells, status, errors, existing_id, outcome, counterparty_id from import_rows where ${where}${keyset} order by row_number limit ?`,
      [...params, ...(afterRow === null ? [] : [afterRow]), first + 1],
    );
    return toConnection(rows.map(view), first, total, (row) => encodeCursor([row.rowNumber]));
  }

  /**
   * Sets the mapping (and the duplicate policy) and queues the preview: every row is validated again by the worker,
   * so a changed mapping is never judged by an old verdict. Not while the job runs or after it.
   */
  async setMapping(jobId: string, columns: ImportColumnMapping[], duplicatePolicy: DuplicatePolicy): Promise<ImportJob> {
    return this.context.em.transactional(async (em) => {
      const job = await this.lock(em, jobId);
      this.requireStatus(job, ['UPLOADED', 'MAPPED', 'PREVIEWED'], 'mapped');
      checkMapping(columns, job.headers.length);
      Object.assign(job, { mapping: columns.map(({ column, field }) => ({ column, field })), duplicatePolicy, status: 'MAPPED', lastRow: 0, processed: 0 });
      resetCounters(job);
      return job;
    });
  }

  /** Starts the run of a previewed job; the policy may be changed here (the preview's verdicts do not depend on it). */
  async start(jobId: string, duplicatePolicy: DuplicatePolicy | null | undefined): Promise<ImportJob> {
    return this.context.em.transactional(async (em) => {
      const job = await this.lock(em, jobId);
      this.requireStatus(job, ['PREVIEWED'], 'started');
      Object.assign(job, { status: 'RUNNING', lastRow: 0, processed: 0, createdCount: 0, updatedCount: 0, skippedCount: 0, refusedCount: 0 });
      if (duplicatePolicy) job.duplicatePolicy = duplicatePolicy;
      return job;
    });
  }

  /** Stops a job: what a run already wrote stays (every row whole), the rest is not written. */
  async cancel(jobId: string): Promise<ImportJob> {
    return this.context.em.transactional(async (em) => {
      const job = await this.lock(em, jobId);
      if (job.status === 'CANCELLED') return job;
      this.requireStatus(job, ['UPLOADED', 'MAPPED', 'PREVIEWED', 'RUNNING'], 'cancelled');
      job.status = 'CANCELLED';
      return job;
    });
  }

  /** The rows of the refused-rows report in file order, a page at a time (keyset on the row number). */
  async *refusedRows(jobId: string, pageSize = 1000): AsyncGenerator<{ cells: string[]; errors: { field: string; message: string }[] }> {
    let after = 0;
    for (;;) {
      const rows = await this.context.em.execute<StoredRow[]>(
        `select row_number, cells, errors from import_rows where job_id = ? and ${REFUSED_ROWS_SQL} and row_number > ? order by row_number limit ?`,
        [jobId, after, pageSize],
      );
      for (const row of rows) yield { cells: row.cells, errors: row.errors ?? [] };
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1].row_number;
    }
  }

  /** The job row locked for a change (a worker round holds it too, so a change waits for the round's end). */
  private async lock(em: EntityManager, jobId: string): Promise<ImportJob> {
    const rows = await em.execute<{ id: string }[]>('select id from import_jobs where id = ? for update', [jobId]);
    if (!rows.length) throw new NotFoundError('ImportJob', jobId);
    return em.findOneOrFail(ImportJob, { id: jobId }, { refresh: true });
  }

  private requireStatus(job: ImportJob, allowed: ImportStatus[], action: string): void {
    if (!allowed.includes(job.status)) throw new UserInputError('jobId', `An import that is ${job.status.toLowerCase()} cannot be ${action}`, { reason: 'import.status', status: job.status });
  }
}

export function resetCounters(job: ImportJob): void {
  Object.assign(job, { validCount: 0, invalidCount: 0, duplicateCount: 0, createdCount: 0, updatedCount: 0, skippedCount: 0, refusedCount: 0 });
}
