import { DomainError, UserInputError, WorkerLoop, type BackgroundWorker, type Logger } from '@kartoteka/kit';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { executeBound } from '../counterparty/bulk-sql';
import { CounterpartyService } from '../counterparty/counterparty.service';
import type { CreateCounterpartyInput, UpdateCounterpartyInput } from '../counterparty/counterparty.input';
import type { CounterpartyState } from '../counterparty/counterparty-change.service';
import { checkRow, innKppKey, valuesOf, type RowError, type RowValues } from './import.mapping';
import { ImportJob, type ImportRowOutcome, type ImportRowStatus } from './import-job.entity';
import { identityOfJob, resetCounters } from './import.service';

export type ImportWorkerOptions = {
  /** Rows validated per preview round (one transaction; one duplicate lookup per round). */
  previewBatchSize?: number;
  /** Rows written per run round (one transaction; the new ones together, in a savepoint). */
  runBatchSize?: number;
  pollIntervalMs?: number;
};

export const PREVIEW_BATCH_SIZE = 5000;
export const RUN_BATCH_SIZE = 2000;

/** A failed bulk write of at most this many rows is done row by row (larger ones are split in halves first). */
const ROW_BY_ROW_MAX = 16;

type PendingRow = { row_number: number; cells: string[]; status: ImportRowStatus; existing_id: string | null; dup_key: string | null };

type Verdict = { row_number: number; status: ImportRowStatus; errors: RowError[] | null; existing_id: string | null; dup_key: string | null };

type Outcome = { row_number: number; outcome: ImportRowOutcome; counterparty_id: string | null; errors: RowError[] | null };

/** Active staff by lower-cased e-mail → id (the read model of identity's users): the manager column's lookup. */
async function activeManagers(em: EntityManager): Promise<Map<string, string>> {
  const rows = await em.execute<{ id: string; email: string }[]>('select id, lower(email) as email from user_refs where active');
  return new Map(rows.map((row) => [row.email, row.id]));
}

/** Active counterparties holding any of these INN/KPP keys (one query). */
async function activeByKeys(em: EntityManager, keys: string[]): Promise<Map<string, { id: string; name: string }>> {
  if (!keys.length) return new Map();
  const inns = [...new Set(keys.map((key) => key.split('/')[0]))];
  const rows = await em.execute<{ id: string; name: string; inn: string; kpp: string | null }[]>(
    `select id, name, inn, kpp from counterparties where status <> 'ARCHIVED' and inn in (?)`,
    [inns],
  );
  const wanted = new Set(keys);
  return new Map(rows.map((row): [string, { id: string; name: string }] => [innKppKey(row.inn, row.kpp), { id: row.id, name: row.name }]).filter(([key]) => wanted.has(key)));
}

function duplicateNote(state: CounterpartyState, name: string): RowError {
  const requisites = state.kpp ? `INN ${state.inn} and KPP ${state.kpp}` : `INN ${state.inn}`;
  return { field: 'inn', message: `A counterparty with ${requisites} already exists: ${name}` };
}

/**
 * One preview round of a job: validates the next rows with the counterparty rules (import.mapping's checkRow) and
 * marks duplicates — of an active counterparty (one query for the round) or of an earlier row of the file (one
 * query over the rows already judged, plus the round's own) — then stores the verdicts with one UPDATE.
 */
async function previewRound(em: EntityManager, job: ImportJob, batchSize: number): Promise<void> {
  const rows = await em.execute<PendingRow[]>('select row_number, cells from import_rows where job_id = ? and row_number > ? order by row_number limit ?', [job.id, job.lastRow, batchSize]);
  const managers = await activeManagers(em);
  const checked = rows.map((row) => ({ row, ...checkRow(valuesOf(row.cells, job.mapping), managers) }));
  const keys = [...new Set(checked.flatMap(({ state }) => (state ? [innKppKey(state.inn, state.kpp)] : [])))];
  const existing = await activeByKeys(em, keys);
  const earlier = new Map<string, number>();
  if (keys.length) {
    const found = await em.execute<{ dup_key: string; row_number: number }[]>(
      `select dup_key, min(row_number)::int as row_number from import_rows where job_id = ? and row_number <= ? and status = 'VALID' and dup_key in (?) group by dup_key`,
      [job.id, job.lastRow, keys],
    );
    for (const row of found) earlier.set(row.dup_key, row.row_number);
  }
  const verdicts: Verdict[] = checked.map(({ row, state, errors }) => {
    if (!state) return { row_number: row.row_number, status: 'INVALID', errors, existing_id: null, dup_key: null };
    const key = innKppKey(state.inn, state.kpp);
    const holder = existing.get(key);
    if (holder) return { row_number: row.row_number, status: 'DUPLICATE', errors: [duplicateNote(state, holder.name)], existing_id: holder.id, dup_key: key };
    const first = earlier.get(key);
    if (first !== undefined) return { row_number: row.row_number, status: 'DUPLICATE', errors: [{ field: 'inn', message: `The same INN and KPP as row ${first} of the file` }], existing_id: null, dup_key: key };
    earlier.set(key, row.row_number);
    return { row_number: row.row_number, status: 'VALID', errors: null, existing_id: null, dup_key: key };
  });
  if (verdicts.length) {
    await executeBound(
      em,
      `update import_rows r set status = v.status, errors = v.errors, existing_id = v.existing_id, dup_key = v.dup_key, outcome = null, counterparty_id = null
       from jsonb_to_recordset(?::jsonb) as v(row_number int, status text, errors jsonb, existing_id uuid, dup_key text)
       where r.job_id = ? and r.row_number = v.row_number`,
      [JSON.stringify(verdicts), job.id],
    );
  }
  job.validCount += verdicts.filter((verdict) => verdict.status === 'VALID').length;
  job.invalidCount += verdicts.filter((verdict) => verdict.status === 'INVALID').length;
  job.duplicateCount += verdicts.filter((verdict) => verdict.status === 'DUPLICATE').length;
  job.processed += verdicts.length;
  job.lastRow = rows.length ? rows[rows.length - 1].row_number : job.lastRow;
  if (rows.length < batchSize) {
    job.status = 'PREVIEWED';
    job.lastRow = 0;
  }
}

function asCreateInput(state: CounterpartyState): CreateCounterpartyInput {
  return { ...state } as CreateCounterpartyInput;
}

/** The fields a row gives (mapped and not blank) over an existing counterparty; its contacts and accounts are added to the card's. */
function asUpdateInput(id: string, version: number, state: CounterpartyState, values: RowValues, current: CurrentLists): UpdateCounterpartyInput {
  const input: UpdateCounterpartyInput = { id, version };
  if (values.NAME) input.name = state.name;
  if (values.SHORT_NAME) input.shortName = state.shortName;
  if (values.KIND) input.kind = state.kind;
  if (values.STATUS) input.status = state.status;
  if (values.OGRN) input.ogrn = state.ogrn;
  if (values.LEGAL_ADDRESS) input.legalAddress = state.legalAddress;
  if (values.POSTAL_ADDRESS) input.postalAddress = state.postalAddress;
  if (values.TAGS) input.tags = [...new Set([...current.tags, ...state.tags])];
  if (values.MANAGER_EMAIL) input.responsibleManagerId = state.responsibleManagerId;
  const contactKey = (contact: { name: string; email: string | null }) => contact.email ?? `name:${contact.name}`;
  const newContacts = state.contacts.filter((contact) => !current.contacts.some((known) => contactKey(known) === contactKey(contact)));
  if (newContacts.length) input.contacts = [...current.contacts, ...newContacts];
  const newAccounts = state.bankAccounts.filter((account) => !current.bankAccounts.some((known) => known.bik === account.bik && known.account === account.account));
  if (newAccounts.length) input.bankAccounts = [...current.bankAccounts, ...newAccounts];
  return input;
}

type CurrentLists = Pick<CounterpartyState, 'contacts' | 'bankAccounts' | 'tags'> & { version: number };

/** Version, tags, contacts and accounts of counterparties to update: three queries for a round, no entities loaded. */
async function currentLists(em: EntityManager, ids: string[]): Promise<Map<string, CurrentLists>> {
  const result = new Map<string, CurrentLists>();
  if (!ids.length) return result;
  const heads = await em.execute<{ id: string; version: number; tags: string[] }[]>(`select id, version, tags from counterparties where id in (?)`, [ids]);
  for (const head of heads) result.set(head.id, { version: head.version, tags: head.tags, contacts: [], bankAccounts: [] });
  const contacts = await em.execute<{ counterparty_id: string; name: string; position: string | null; email: string | null; phone: string | null; mailing_consent: boolean }[]>(
    `select counterparty_id, name, position, email, phone, mailing_consent from counterparty_contacts where counterparty_id in (?) order by sort_order`,
    [ids],
  );
  for (const { counterparty_id: id, mailing_consent: mailingConsent, ...contact } of contacts) result.get(id)?.contacts.push({ ...contact, mailingConsent });
  const accounts = await em.execute<{ counterparty_id: string; bank_name: string; bik: string; account: string; correspondent_account: string | null }[]>(
    `select counterparty_id, bank_name, bik, account, correspondent_account from counterparty_bank_accounts where counterparty_id in (?) order by sort_order`,
    [ids],
  );
  for (const row of accounts) result.get(row.counterparty_id)?.bankAccounts.push({ bankName: row.bank_name, bik: row.bik, account: row.account, correspondentAccount: row.correspondent_account });
  return result;
}

function errorsOf(error: unknown): RowError[] {
  if (error instanceof UserInputError) return [{ field: String(error.extensions.field ?? ''), message: error.message }];
  if (error instanceof DomainError) return [{ field: '', message: error.message }];
  return [{ field: '', message: 'The row could not be written' }];
}

/**
 * One run round of a job: the next rows, written by the counterparty service — the new ones together with
 * `createValidated` (one set-based INSERT per table, in a savepoint; if any row fails there, again in halves, the last
 * few rows one by one with `create`, each in a savepoint of its own), duplicates under the UPDATE policy with `update` one by one — so every row is
 * written whole (counterparty, contacts, accounts, history, timeline, outbox event) or not at all. Every row's outcome
 * is stored, with the job's `lastRow`, in the round's transaction: a process killed mid-round loses the whole round,
 * outcomes included, and the next round (on any replica) does it again; no row is written twice.
 */
async function runRound(em: EntityManager, job: ImportJob, batchSize: number, logger: Logger): Promise<void> {
  const rows = await em.execute<PendingRow[]>(
    'select row_number, cells, status, existing_id, dup_key from import_rows where job_id = ? and row_number > ? order by row_number limit ?',
    [job.id, job.lastRow, batchSize],
  );
  const identity = identityOfJob(job);
  const managers = await activeManagers(em);
  const update = job.duplicatePolicy === 'UPDATE';
  // duplicates to update: the holders found now (the preview's may have been archived or changed since)
  const duplicateKeys = update ? [...new Set(rows.filter((row) => row.status === 'DUPLICATE' && row.dup_key).map((row) => row.dup_key as string))] : [];
  const holders = await activeByKeys(em, duplicateKeys);
  const lists = await currentLists(em, [...new Set([...holders.values()].map((holder) => holder.id))]);
  const written = new Map<string, string>();
  const outcomes = new Map<number, Outcome>();
  const creates: { row: PendingRow; state: CounterpartyState; key: string }[] = [];
  const updates: { row: PendingRow; state: CounterpartyState; key: string; values: RowValues }[] = [];
  for (const row of rows) {
    if (row.status === 'INVALID') {
      outcomes.set(row.row_number, { row_number: row.row_number, outcome: 'REFUSED', counterparty_id: null, errors: null });
      continue;
    }
    if (row.status === 'DUPLICATE' && !update) {
      outcomes.set(row.row_number, { row_number: row.row_number, outcome: 'SKIPPED', counterparty_id: row.existing_id, errors: null });
      continue;
    }
    const values = valuesOf(row.cells, job.mapping);
    // checked again: managers may have left, the mapping rules are the service's
    const { state, errors } = checkRow(values, managers);
    if (!state) {
      outcomes.set(row.row_number, { row_number: row.row_number, outcome: 'REFUSED', counterparty_id: null, errors });
      continue;
    }
    const key = innKppKey(state.inn, state.kpp);
    if (row.status === 'DUPLICATE') updates.push({ row, state, key, values });
    else creates.push({ row, state, key });
  }

  const writeRow = async (row: PendingRow, work: (service: CounterpartyService) => Promise<{ outcome: ImportRowOutcome; id: string }>): Promise<void> => {
    try {
      const result = await em.transactional((tx) => work(new CounterpartyService({ em: tx, identity })), { clear: true });
      outcomes.set(row.row_number, { row_number: row.row_number, outcome: result.outcome, counterparty_id: result.id, errors: null });
    } catch (error) {
      if (!(error instanceof DomainError)) logger.warn({ err: error, jobId: job.id, rowNumber: row.row_number }, 'import row not written');
      const existingId = error instanceof UserInputError ? (error.extensions.existingId as string | undefined) : undefined;
      // taken since the preview: a duplicate after all
      const outcome: ImportRowOutcome = existingId && !update ? 'SKIPPED' : 'REFUSED';
      outcomes.set(row.row_number, { row_number: row.row_number, outcome, counterparty_id: existingId ?? null, errors: errorsOf(error) });
    }
  };

  // New counterparties: all of the round's in one go (CounterpartyService.createValidated: checkRow above ran the
  // service's rules on these very states; a savepoint). If any row fails there (a counterparty created meanwhile
  // with the same INN + KPP, a manager deactivated), each half is tried again the same way, down to a few rows,
  // which are written one by one with `create`: a bad row costs a handful of bulk attempts, not a round of single writes.
  const createAll = async (items: typeof creates): Promise<void> => {
    if (!items.length) return;
    const bulk = await em
      .transactional((tx) => new CounterpartyService({ em: tx, identity }).createValidated(items.map(({ state }) => state)))
      .catch((error: unknown) => {
        if (!(error instanceof DomainError)) logger.debug({ err: error, jobId: job.id }, 'bulk import round fell back to halves');
        return null;
      });
    if (bulk) {
      items.forEach(({ row, key }, index) => {
        written.set(key, bulk[index].id);
        outcomes.set(row.row_number, { row_number: row.row_number, outcome: 'CREATED', counterparty_id: bulk[index].id, errors: null });
      });
      return;
    }
    if (items.length > ROW_BY_ROW_MAX) {
      const half = Math.ceil(items.length / 2);
      await createAll(items.slice(0, half));
      await createAll(items.slice(half));
      return;
    }
    for (const { row, state, key } of items) {
      await writeRow(row, async (service) => {
        const created = await service.create(asCreateInput(state));
        written.set(key, created.id);
        return { outcome: 'CREATED', id: created.id };
      });
    }
  };
  await createAll(creates);

  // Duplicates under the UPDATE policy, one by one (each a savepoint), after the creates: a later row of the file
  // updates the counterparty an earlier row of this round created.
  for (const { row, state, key, values } of updates) {
    const targetId = written.get(key) ?? holders.get(key)?.id ?? null;
    await writeRow(row, async (service) => {
      if (targetId === null) {
        const created = await service.create(asCreateInput(state));
        written.set(key, created.id);
        return { outcome: 'CREATED', id: created.id };
      }
      const current = lists.get(targetId) ?? (await currentLists(em, [targetId])).get(targetId);
      if (!current) throw new UserInputError('inn', 'The counterparty to update is gone');
      const updated = await service.update(asUpdateInput(targetId, current.version, state, values, current));
      lists.delete(targetId); // a second row for it reads the new version
      return { outcome: 'UPDATED', id: updated.id };
    });
  }

  const ordered = rows.map((row) => outcomes.get(row.row_number)).filter((item): item is Outcome => item !== undefined);
  if (ordered.length) {
    await executeBound(
      em,
      `update import_rows r set outcome = v.outcome, counterparty_id = v.counterparty_id, errors = coalesce(v.errors, r.errors)
       from jsonb_to_recordset(?::jsonb) as v(row_number int, outcome text, counterparty_id uuid, errors jsonb)
       where r.job_id = ? and r.row_number = v.row_number`,
      [JSON.stringify(ordered), job.id],
    );
  }
  const count = (outcome: ImportRowOutcome) => ordered.filter((item) => item.outcome === outcome).length;
  job.createdCount += count('CREATED');
  job.updatedCount += count('UPDATED');
  job.skippedCount += count('SKIPPED');
  job.refusedCount += count('REFUSED');
  job.processed += ordered.length;
  if (rows.length) job.lastRow = rows[rows.length - 1].row_number;
  if (rows.length < batchSize) job.status = 'COMPLETED';
}

/**
 * The import worker: previews (MAPPED jobs) and runs (RUNNING jobs), a round at a time. A round holds its job's row
 * lock (`for update skip locked`), so on several replicas each job is worked by one at a time and a mapping change
 * or a cancel waits for the round to end.
 */
export class ImportWorker implements BackgroundWorker {
  readonly name = 'counterparty-import';
  private readonly loop: WorkerLoop;
  private readonly previewBatchSize: number;
  private readonly runBatchSize: number;

  constructor(private readonly deps: { orm: MikroORM; logger: Logger }, options: ImportWorkerOptions = {}) {
    this.previewBatchSize = options.previewBatchSize ?? PREVIEW_BATCH_SIZE;
    this.runBatchSize = options.runBatchSize ?? RUN_BATCH_SIZE;
    this.loop = new WorkerLoop({ name: this.name, logger: deps.logger, iterate: () => this.step(), pollIntervalMs: options.pollIntervalMs ?? 1000 });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** New work (a mapping set, a run started): start a round now. */
  wake(): void {
    this.loop.wake();
  }

  /** One round of one job; true when there was work (more may be waiting). */
  step(): Promise<boolean> {
    return this.deps.orm.em.fork().transactional(async (em) => {
      const [next] = await em.execute<{ id: string }[]>(
        `select id from import_jobs where status in ('MAPPED', 'RUNNING') order by created_at, id limit 1 for update skip locked`,
      );
      if (!next) return false;
      const job = await em.findOneOrFail(ImportJob, { id: next.id });
      if (job.status === 'MAPPED') {
        if (job.lastRow === 0) resetCounters(job);
        await previewRound(em, job, this.previewBatchSize);
      } else {
        await runRound(em, job, this.runBatchSize, this.deps.logger);
      }
      return true;
    });
  }

  /** Rounds until no job has work left (tests, the benchmark). */
  async drain(): Promise<number> {
    let rounds = 0;
    while (await this.step()) rounds += 1;
    return rounds;
  }
}
