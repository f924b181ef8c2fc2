import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { apiKeyIdentity, API_KEY_SCOPES, type Identity } from '@kartoteka/kit';
import { demoIdentity, seedCounterpartyRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { documentsSubgraph } from '../../../subgraph';
import { AUDIT_CHAIN_LOCK_KEY, AuditService, auditRecordHash, GENESIS_HASH, type AuditEntry } from '../audit.service';
import { auditedTransaction, deferAudit } from '../audited-transaction';

const admin: Identity = demoIdentity('admin@kartoteka.local');
const manager: Identity = demoIdentity('manager@kartoteka.local');
const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const partner: Identity = apiKeyIdentity('00000000-0000-4000-8000-00000000cccc', 'ERP', [...API_KEY_SCOPES]);

let subgraph: TestSubgraph;
let statements: string[] = [];

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(undefined, { workers: false }), { onQuery: (sql) => statements.push(sql) });
});
afterAll(() => subgraph?.close());

type Row = { id: string; seq: string; document_id: string; action: string; actor_id: string | null; actor_kind: string; version_id: string | null; details: Record<string, unknown>; recorded_at: string; prev_hash: string; hash: string };

function sql<T extends object[]>(query: string, params: unknown[] = []): Promise<T> {
  return subgraph.orm.em.getConnection().execute<T>(query, params);
}

function allRows(): Promise<Row[]> {
  return sql<Row[]>('select * from audit_records order by seq');
}

/** Records in its own transaction, as a mutation would. */
function record(entry: Partial<AuditEntry> & { documentId: string }): Promise<void> {
  return subgraph.orm.em.fork().transactional((em) => new AuditService(em).record({ action: 'DOCUMENT_UPDATED', actorId: null, actorKind: 'system', ...entry }));
}

function verify() {
  return new AuditService(subgraph.orm.em.fork()).verifyChain();
}

/** Tampering as a superuser: ordinary triggers (the append-only guard) do not fire in replica mode. */
function tamper(statementsToRun: [string, unknown[]][]): Promise<void> {
  return subgraph.orm.em.fork().transactional(async (em: EntityManager) => {
    await em.execute('set local session_replication_role = replica');
    for (const [query, params] of statementsToRun) await em.execute(query, params);
  });
}

/** Puts a saved row back exactly (replica mode), so later tests see an intact chain again. */
function restoreStatements(row: Row): [string, unknown[]][] {
  return [
    ['delete from audit_records where id = ?', [row.id]],
    [
      'insert into audit_records (id, seq, document_id, action, actor_id, actor_kind, version_id, details, recorded_at, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::timestamptz, ?, ?)',
      [row.id, row.seq, row.document_id, row.action, row.actor_id, row.actor_kind, row.version_id, JSON.stringify(row.details), row.recorded_at, row.prev_hash, row.hash],
    ],
  ];
}

async function expectIntact(): Promise<void> {
  const rows = await allRows();
  expect(await verify()).toEqual({ valid: true, checkedCount: rows.length, firstBrokenSeq: null, firstBrokenRecordId: null, reason: null, headSeq: Number(rows[rows.length - 1].seq), headHash: rows[rows.length - 1].hash });
}

/** A middle record of a chain of at least 5. */
async function middleRows(): Promise<Row[]> {
  const documentId = randomUUID();
  for (let i = 0; i < 5; i += 1) await record({ documentId, details: { step: i } });
  const rows = await allRows();
  return rows.slice(-5);
}

describe('AuditService.record', () => {
  it('chains records: seq 1, 2, 3, … each linked to the hash of the one before, over every stored field', async () => {
    const documentId = randomUUID();
    const versionId = randomUUID();
    await record({ documentId: documentId.toUpperCase(), action: 'DOCUMENT_CREATED', actorId: manager.kind === 'user' ? manager.id : null, actorKind: 'user', details: { title: 'Договор поставки', amount: { minor: 100_000, currency: 'RUB' } } });
    await record({ documentId, action: 'VERSION_ADDED', actorId: partner.kind === 'apiKey' ? partner.id : null, actorKind: 'apiKey', versionId, details: { files: ['a.pdf'], skipped: undefined } });
    await record({ documentId: randomUUID(), action: 'STATUS_CHANGED' });

    const rows = await allRows();
    expect(rows.map((row) => Number(row.seq))).toEqual([1, 2, 3]);
    expect(rows[0]).toMatchObject({ document_id: documentId, action: 'DOCUMENT_CREATED', actor_kind: 'user', actor_id: '00000000-0000-4000-8000-000000000002', version_id: null, prev_hash: GENESIS_HASH, details: { title: 'Договор поставки', amount: { minor: 100_000, currency: 'RUB' } } });
    expect(rows[1]).toMatchObject({ action: 'VERSION_ADDED', actor_kind: 'apiKey', actor_id: '00000000-0000-4000-8000-00000000cccc', version_id: versionId, details: { files: ['a.pdf'] } });
    expect(rows[2]).toMatchObject({ actor_kind: 'system', actor_id: null, details: {} });
    expect(rows[1].prev_hash).toBe(rows[0].hash);
    expect(rows[2].prev_hash).toBe(rows[1].hash);
    expect(new Set(rows.map((row) => row.hash)).size).toBe(3);
    for (const row of rows) expect(row.hash).toMatch(/^[0-9a-f]{64}$/);

    // The hash is reproducible from the stored fields alone.
    const [stored] = await sql<{ recorded_at: string; details: string }[]>(
      `select to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as recorded_at, details::text as details from audit_records where seq = 1`,
    );
    const first = rows[0];
    expect(auditRecordHash({ seq: 1, id: first.id, documentId: first.document_id, action: first.action, actorId: first.actor_id, actorKind: first.actor_kind, versionId: null, recordedAt: stored.recorded_at, detailsText: stored.details, prevHash: GENESIS_HASH })).toBe(first.hash);
    await expectIntact();
  });

  it('commits and rolls back with the caller’s transaction: a rolled-back record leaves no trace and no gap', async () => {
    const before = await allRows();
    const documentId = randomUUID();
    await expect(
      subgraph.orm.em.fork().transactional(async (em) => {
        await new AuditService(em).record({ documentId, action: 'DOCUMENT_SIGNED', actorId: null, actorKind: 'system' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await allRows()).toHaveLength(before.length);

    // Outside a transaction it opens its own.
    await new AuditService(subgraph.orm.em.fork()).record({ documentId, action: 'FILE_DOWNLOADED', actorId: null, actorKind: 'system' });
    const after = await allRows();
    expect(after).toHaveLength(before.length + 1);
    expect(after[after.length - 1]).toMatchObject({ seq: String(before.length + 1), document_id: documentId, action: 'FILE_DOWNLOADED' });
    await expectIntact();
  });

  it('keeps one valid chain under 30 concurrent transactions', async () => {
    const before = (await allRows()).length;
    const documentIds = [randomUUID(), randomUUID(), randomUUID()];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        subgraph.orm.em.fork().transactional(async (em) => {
          const audit = new AuditService(em);
          await audit.record({ documentId: documentIds[i % 3], action: 'STEP_APPROVED', actorId: null, actorKind: 'system', details: { i } });
          // A second record in the same transaction follows the first directly.
          if (i % 2 === 0) await audit.record({ documentId: documentIds[i % 3], action: 'ROUTE_STARTED', actorId: null, actorKind: 'system', details: { i } });
        }),
      ),
    );
    const rows = await allRows();
    expect(rows).toHaveLength(before + 45);
    expect(rows.map((row) => Number(row.seq))).toEqual(Array.from({ length: before + 45 }, (_, i) => i + 1));
    const added = rows.slice(before);
    expect(new Set(added.filter((row) => row.action === 'STEP_APPROVED').map((row) => row.details.i))).toEqual(new Set(Array.from({ length: 30 }, (_, i) => i)));
    for (const row of added.filter((r) => r.action === 'ROUTE_STARTED')) {
      const previous = rows[Number(row.seq) - 2];
      expect(previous).toMatchObject({ action: 'STEP_APPROVED', details: row.details });
    }
    await expectIntact();
  });
});

describe('AuditService.record: appended at the commit', () => {
  const RECORDED_AT = `to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

  /** Whether another transaction can take the chain's lock now (it is released again at once). */
  async function chainLockFree(): Promise<boolean> {
    return subgraph.orm.em.fork().transactional(async (em) => {
      const [row] = await em.execute<{ free: boolean }[]>('select pg_try_advisory_xact_lock(?::bigint) as free', [String(AUDIT_CHAIN_LOCK_KEY)]);
      return row.free;
    });
  }

  function gate(): { promise: Promise<void>; open: () => void } {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => {
      open = resolve;
    });
    return { promise, open };
  }

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('gives the records of one transaction consecutive seqs in call order, each with its own recordedAt', async () => {
    const before = (await allRows()).length;
    const documentId = randomUUID();
    const stamps: [number, number][] = [];
    await subgraph.orm.em.fork().transactional(async (em) => {
      const audit = new AuditService(em);
      for (const step of [0, 1, 2]) {
        const from = Date.now();
        await audit.record({ documentId, action: 'STEP_APPROVED', actorId: null, actorKind: 'system', details: { step } });
        stamps.push([from, Date.now()]);
        await pause(15);
      }
    });
    const rows = await sql<{ seq: string; details: { step: number }; recorded_at: string }[]>(`select seq, details, ${RECORDED_AT} as recorded_at from audit_records where document_id = ? order by seq`, [documentId]);
    expect(rows.map((row) => Number(row.seq))).toEqual([before + 1, before + 2, before + 3]);
    expect(rows.map((row) => row.details.step)).toEqual([0, 1, 2]);
    rows.forEach((row, index) => {
      const at = Date.parse(row.recorded_at);
      expect(at).toBeGreaterThanOrEqual(stamps[index][0]);
      expect(at).toBeLessThanOrEqual(stamps[index][1]);
    });
    expect(new Set(rows.map((row) => row.recorded_at)).size).toBe(3);
    await expectIntact();
  });

  it('does not hold the chain’s lock before the commit phase; a transaction that recorded first and commits last is appended last', async () => {
    const before = (await allRows()).length;
    const [slow, fast] = [randomUUID(), randomUUID()];
    const recorded = gate();
    const release = gate();
    const slowTransaction = subgraph.orm.em.fork().transactional(async (em) => {
      await new AuditService(em).record({ documentId: slow, action: 'STEP_APPROVED', actorId: null, actorKind: 'system' });
      recorded.open();
      await release.promise;
    });
    await recorded.promise;
    try {
      expect(await chainLockFree()).toBe(true);
      // Another writer appends and commits meanwhile, without waiting for the open transaction.
      await record({ documentId: fast });
    } finally {
      release.open();
      await slowTransaction;
    }
    const rows = (await allRows()).slice(before);
    expect(rows.map((row) => row.document_id)).toEqual([fast, slow]);
    expect(Date.parse(rows[1].recorded_at)).toBeLessThan(Date.parse(rows[0].recorded_at));
    await expectIntact();
  });

  it('never forks the chain when transactions with several records each commit concurrently', async () => {
    const before = (await allRows()).length;
    const documentId = randomUUID();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        subgraph.orm.em.fork().transactional(async (em) => {
          const audit = new AuditService(em);
          for (let k = 0; k < 3; k += 1) {
            await audit.record({ documentId, action: 'STEP_APPROVED', actorId: null, actorKind: 'system', details: { i, k } });
            await em.execute('select pg_sleep(0.002)');
          }
        }),
      ),
    );
    const rows = (await allRows()).slice(before);
    expect(rows).toHaveLength(36);
    // each transaction's records are contiguous and in call order
    for (let start = 0; start < rows.length; start += 3) {
      const group = rows.slice(start, start + 3);
      expect(group.map((row) => row.details)).toEqual([0, 1, 2].map((k) => ({ i: group[0].details.i, k })));
    }
    await expectIntact();
  });

  it('leaves no record and no gap when the transaction rolls back, after several records or on a failed statement after them', async () => {
    const before = (await allRows()).length;
    const documentId = randomUUID();
    await expect(
      subgraph.orm.em.fork().transactional(async (em) => {
        const audit = new AuditService(em);
        await audit.record({ documentId, action: 'STEP_APPROVED', actorId: null, actorKind: 'system' });
        await audit.record({ documentId, action: 'DOCUMENT_SIGNED', actorId: null, actorKind: 'system' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    // A statement failing after the records were queued rolls them back too.
    await expect(
      subgraph.orm.em.fork().transactional(async (em) => {
        await new AuditService(em).record({ documentId, action: 'STEP_APPROVED', actorId: null, actorKind: 'system' });
        await em.execute('select 1 / 0');
      }),
    ).rejects.toThrow(/division by zero/);
    expect(await sql('select 1 from audit_records where document_id = ?', [documentId])).toEqual([]);
    expect(await chainLockFree()).toBe(true);
    await record({ documentId });
    const rows = await allRows();
    expect(rows).toHaveLength(before + 1);
    expect(rows[rows.length - 1]).toMatchObject({ seq: String(before + 1), document_id: documentId });
    await expectIntact();
  });

  it('appends records made in a nested transaction (savepoint) at the commit of the outer one, in call order', async () => {
    const before = (await allRows()).length;
    const documentId = randomUUID();
    await subgraph.orm.em.fork().transactional(async (em) => {
      await new AuditService(em).record({ documentId, action: 'STEP_APPROVED', actorId: null, actorKind: 'system', details: { n: 1 } });
      await em.transactional((inner) => new AuditService(inner).record({ documentId, action: 'STEP_APPROVED', actorId: null, actorKind: 'system', details: { n: 2 } }));
      expect(await chainLockFree()).toBe(true);
      await new AuditService(em).record({ documentId, action: 'STEP_APPROVED', actorId: null, actorKind: 'system', details: { n: 3 } });
    });
    const rows = (await allRows()).slice(before);
    expect(rows.map((row) => row.details)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await expectIntact();
  });

  it('deferred records (auditedTransaction) keep the time they were queued at and their order', async () => {
    const before = (await allRows()).length;
    const documentId = randomUUID();
    let queuedAt = 0;
    await auditedTransaction(subgraph.orm.em.fork(), async (em) => {
      deferAudit(em, { documentId, action: 'STEP_APPROVED', actorId: null, actorKind: 'system', details: { n: 1 } });
      queuedAt = Date.now();
      await pause(40);
      deferAudit(em, { documentId, action: 'DOCUMENT_SIGNED', actorId: null, actorKind: 'system', details: { n: 2 } });
      expect(await chainLockFree()).toBe(true);
    });
    const rows = (await allRows()).slice(before);
    expect(rows.map((row) => row.action)).toEqual(['STEP_APPROVED', 'DOCUMENT_SIGNED']);
    expect(Date.parse(rows[0].recorded_at)).toBeLessThanOrEqual(queuedAt);
    expect(Date.parse(rows[1].recorded_at) - Date.parse(rows[0].recorded_at)).toBeGreaterThanOrEqual(35);
    await expectIntact();
  });

  it('in a transaction begun without the commit hook (a worker’s own event manager): arms it at the first record, or appends at once from a savepoint', async () => {
    const before = (await allRows()).length;
    const documentId = randomUUID();
    // A consumer's shape: its transaction, then an audited transaction (a savepoint) inside it.
    await subgraph.orm.em.fork({ freshEventManager: true }).transactional(async (em) => {
      await auditedTransaction(em, async (inner) => {
        deferAudit(inner, { documentId, action: 'STEP_APPROVED', actorId: null, actorKind: 'system', details: { n: 1 } });
      });
      expect(await chainLockFree()).toBe(true);
    });
    // A savepoint of such a transaction cannot reach its commit hook: the record is appended at once, still in order.
    await subgraph.orm.em.fork({ freshEventManager: true }).transactional(async (em) => {
      await em.transactional((inner) => new AuditService(inner).record({ documentId, action: 'STEP_APPROVED', actorId: null, actorKind: 'system', details: { n: 2 } }));
      expect(await chainLockFree()).toBe(false);
      await new AuditService(em).record({ documentId, action: 'STEP_APPROVED', actorId: null, actorKind: 'system', details: { n: 3 } });
    });
    const rows = (await allRows()).slice(before);
    expect(rows.map((row) => row.details)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await expectIntact();
  });

  it('a read of the trail inside the transaction sees the records it has made so far', async () => {
    const documentId = randomUUID();
    await subgraph.orm.em.fork().transactional(async (em) => {
      const audit = new AuditService(em);
      await audit.record({ documentId, action: 'STEP_APPROVED', actorId: null, actorKind: 'system' });
      const trail = await audit.trailOfDocument(documentId, { first: 5 });
      expect(trail.totalCount).toBe(1);
      expect((await audit.verifyChain()).valid).toBe(true);
      await audit.record({ documentId, action: 'DOCUMENT_SIGNED', actorId: null, actorKind: 'system' });
    });
    expect((await sql<{ action: string }[]>('select action from audit_records where document_id = ? order by seq', [documentId])).map((row) => row.action)).toEqual(['STEP_APPROVED', 'DOCUMENT_SIGNED']);
    await expectIntact();
  });
});

describe('append-only guard', () => {
  /** Runs a statement in a transaction that is always rolled back (so a missing guard cannot damage the chain); returns its error. */
  async function attempt(query: string, params: unknown[] = []): Promise<string> {
    try {
      await subgraph.orm.em.fork().transactional(async (em) => {
        await em.execute(query, params);
        throw new Error('the statement succeeded');
      });
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  }

  it('rejects UPDATE, DELETE and TRUNCATE of audit records', async () => {
    const [row] = await allRows();
    expect(await attempt("update audit_records set details = '{\"forged\": true}' where id = ?", [row.id])).toMatch(/audit_records is append-only: UPDATE is not allowed/);
    expect(await attempt('delete from audit_records where id = ?', [row.id])).toMatch(/audit_records is append-only: DELETE is not allowed/);
    expect(await attempt('truncate audit_records')).toMatch(/audit_records is append-only: TRUNCATE is not allowed/);
    expect((await allRows())[0]).toEqual(row);
    await expectIntact();
  });
});

describe('AuditService.verifyChain', () => {
  it('detects an edited record (details) as hash-mismatch', async () => {
    const [, , target] = await middleRows();
    await tamper([["update audit_records set details = jsonb_set(details, '{step}', '99') where id = ?", [target.id]]]);
    const position = (await allRows()).findIndex((row) => row.id === target.id) + 1;
    expect(await verify()).toEqual({ valid: false, checkedCount: position, firstBrokenSeq: Number(target.seq), firstBrokenRecordId: target.id, reason: 'hash-mismatch', headSeq: null, headHash: null });
    await tamper(restoreStatements(target));
    await expectIntact();
  });

  it('detects a change of the recorded time by a microsecond', async () => {
    const [target] = await middleRows();
    await tamper([["update audit_records set recorded_at = recorded_at + interval '1 microsecond' where id = ?", [target.id]]]);
    expect(await verify()).toMatchObject({ valid: false, firstBrokenSeq: Number(target.seq), reason: 'hash-mismatch' });
    await tamper(restoreStatements(target));
    await expectIntact();
  });

  it('detects a deleted record as sequence-gap at the record after it', async () => {
    const [, target, next] = await middleRows();
    await tamper([['delete from audit_records where id = ?', [target.id]]]);
    expect(await verify()).toMatchObject({ valid: false, firstBrokenSeq: Number(next.seq), firstBrokenRecordId: next.id, reason: 'sequence-gap' });
    await tamper(restoreStatements(target).slice(1));
    await expectIntact();
  });

  it('detects swapped records: hash-mismatch, and link-mismatch when the forger also recomputes the hashes', async () => {
    const [, a, b] = await middleRows();
    const swap: [string, unknown[]][] = [
      ['update audit_records set seq = -1 where id = ?', [a.id]],
      ['update audit_records set seq = ? where id = ?', [a.seq, b.id]],
      ['update audit_records set seq = ? where id = ?', [b.seq, a.id]],
    ];
    await tamper(swap);
    expect(await verify()).toMatchObject({ valid: false, firstBrokenSeq: Number(a.seq), firstBrokenRecordId: b.id, reason: 'hash-mismatch' });

    // A forger who knows the algorithm re-hashes both moved records: their own hashes check out, the links do not.
    const rehash = async (id: string): Promise<[string, unknown[]]> => {
      const [row] = await sql<{ seq: string; document_id: string; action: string; actor_id: string | null; actor_kind: string; version_id: string | null; recorded_at: string; details: string; prev_hash: string }[]>(
        `select seq, document_id, action, actor_id, actor_kind, version_id, to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as recorded_at, details::text as details, prev_hash from audit_records where id = ?`,
        [id],
      );
      const hash = auditRecordHash({ seq: Number(row.seq), id, documentId: row.document_id, action: row.action, actorId: row.actor_id, actorKind: row.actor_kind, versionId: row.version_id, recordedAt: row.recorded_at, detailsText: row.details, prevHash: row.prev_hash });
      return ['update audit_records set hash = ? where id = ?', [hash, id]];
    };
    await tamper([await rehash(a.id), await rehash(b.id)]);
    expect(await verify()).toMatchObject({ valid: false, firstBrokenSeq: Number(a.seq), firstBrokenRecordId: b.id, reason: 'link-mismatch' });

    await tamper([...restoreStatements(a), ...restoreStatements(b)].filter(([query]) => query.startsWith('delete')));
    await tamper([...restoreStatements(a), ...restoreStatements(b)].filter(([query]) => query.startsWith('insert')));
    await expectIntact();
  });

  it('detects a forged record appended with its own valid hash as link-mismatch', async () => {
    const rows = await middleRows();
    const last = rows[rows.length - 1];
    const forged = { seq: Number(last.seq) + 1, id: randomUUID(), documentId: last.document_id, action: 'DOCUMENT_SIGNED', actorId: null, actorKind: 'system', versionId: null, recordedAt: '2026-01-01T00:00:00.000000Z', detailsText: '{}', prevHash: rows[0].hash };
    await tamper([
      [
        "insert into audit_records (id, seq, document_id, action, actor_id, actor_kind, version_id, details, recorded_at, prev_hash, hash) values (?, ?, ?, ?, null, 'system', null, '{}', ?, ?, ?)",
        [forged.id, forged.seq, forged.documentId, forged.action, forged.recordedAt, forged.prevHash, auditRecordHash(forged)],
      ],
    ]);
    expect(await verify()).toMatchObject({ valid: false, firstBrokenSeq: forged.seq, firstBrokenRecordId: forged.id, reason: 'link-mismatch' });
    await tamper([['delete from audit_records where id = ?', [forged.id]]]);
    await expectIntact();
  });

  it('walks chains longer than one batch', async () => {
    const documentId = randomUUID();
    await subgraph.orm.em.fork().transactional(async (em) => {
      const audit = new AuditService(em);
      for (let i = 0; i < 1100; i += 1) await audit.record({ documentId, action: 'FILE_DOWNLOADED', actorId: null, actorKind: 'system', details: { i } });
    });
    await expectIntact();
    const [target] = (await allRows()).slice(-3);
    await tamper([["update audit_records set action = 'DOCUMENT_SIGNED' where id = ?", [target.id]]]);
    expect(await verify()).toMatchObject({ valid: false, firstBrokenSeq: Number(target.seq), reason: 'hash-mismatch' });
    await tamper(restoreStatements(target));
    await expectIntact();
  });
});

describe('GraphQL', () => {
  const VERIFY = '{ verifyAuditChain { valid checkedCount firstBrokenSeq firstBrokenRecordId reason headSeq headHash } }';

  it('verifyAuditChain is for administrators only', async () => {
    const rows = await allRows();
    const result = await subgraph.request<{ verifyAuditChain: Record<string, unknown> }>(VERIFY, {}, admin);
    expect(result.errors).toBeUndefined();
    expect(result.data?.verifyAuditChain).toEqual({ valid: true, checkedCount: rows.length, firstBrokenSeq: null, firstBrokenRecordId: null, reason: null, headSeq: rows.length, headHash: rows[rows.length - 1].hash });

    for (const identity of [manager, viewer, partner]) {
      const denied = await subgraph.request(VERIFY, {}, identity);
      expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(denied.data).toBeNull();
    }
    const anonymous = await subgraph.request(VERIFY);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('Document.auditTrail pages a document’s records newest first, batched across documents', async () => {
    const counterpartyId = randomUUID();
    await seedCounterpartyRefs(subgraph.orm.em, [counterpartyId]);
    const created: string[] = [];
    for (const title of ['Договор № 1', 'Договор № 2']) {
      const result = await subgraph.request<{ createDocument: { id: string } }>(
        'mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }',
        { input: { type: 'OTHER', counterpartyId, title } },
        manager,
      );
      expect(result.errors).toBeUndefined();
      created.push(result.data!.createDocument.id);
    }
    const [documentId, otherId] = created;
    const managerId = manager.kind === 'user' ? manager.id : '';
    for (let i = 0; i < 12; i += 1) await record({ documentId, action: 'STEP_APPROVED', actorId: managerId, actorKind: 'user', details: { step: i } });
    await record({ documentId, action: 'VERSION_ADDED', actorId: partner.kind === 'apiKey' ? partner.id : null, actorKind: 'apiKey' });
    await record({ documentId: otherId, action: 'LINK_ADDED', details: { targetId: documentId } });
    const expected = await sql<{ id: string; seq: string }[]>('select id, seq from audit_records where document_id = ? order by seq desc', [documentId]);

    const TRAIL = `query($id: ID!, $after: String) { document(id: $id) { auditTrail(first: 5, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id seq action actor { id } actorId actorKind versionId details recordedAt hash prevHash } }
    } } }`;
    type TrailNode = { id: string; seq: number; action: string; actor: { id: string } | null; actorId: string | null; actorKind: string; details: Record<string, unknown>; recordedAt: string; hash: string; prevHash: string };
    type Trail = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: TrailNode }[] };
    const seen: TrailNode[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const result: { data?: { document: { auditTrail: Trail } } | null; errors?: unknown[] } = await subgraph.request<{ document: { auditTrail: Trail } }>(TRAIL, { id: documentId, after }, viewer);
      expect(result.errors).toBeUndefined();
      const trail: Trail = result.data!.document.auditTrail;
      expect(trail.totalCount).toBe(expected.length);
      seen.push(...trail.edges.map((edge) => edge.node));
      if (!trail.pageInfo.hasNextPage) break;
      after = trail.pageInfo.endCursor;
    }
    expect(seen.map((node) => node.id)).toEqual(expected.map((row) => row.id));
    expect(seen.map((node) => node.seq)).toEqual(expected.map((row) => Number(row.seq)));
    expect(seen[0]).toMatchObject({ action: 'VERSION_ADDED', actor: null, actorId: '00000000-0000-4000-8000-00000000cccc', actorKind: 'API_KEY', details: {} });
    expect(seen[1]).toMatchObject({ action: 'STEP_APPROVED', actor: { id: managerId }, actorKind: 'USER', details: { step: 11 } });
    expect(seen[1].prevHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Number.isNaN(Date.parse(seen[1].recordedAt))).toBe(false);

    const bad = await subgraph.request(TRAIL, { id: documentId, after: 'nonsense' }, viewer);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });

    statements = [];
    const both = await subgraph.request<{ _entities: { id: string; auditTrail: { totalCount: number; edges: { node: { action: string } }[] } }[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Document { id auditTrail(first: 3) { totalCount edges { node { action } } } } } }`,
      { r: [documentId, otherId].map((id) => ({ __typename: 'Document', id })) },
      viewer,
    );
    expect(both.errors).toBeUndefined();
    const [a, b] = both.data!._entities;
    expect(a).toMatchObject({ id: documentId, auditTrail: { totalCount: expected.length } });
    expect(a.auditTrail.edges.map((edge) => edge.node.action)).toEqual(['VERSION_ADDED', 'STEP_APPROVED', 'STEP_APPROVED']);
    expect(b.auditTrail.edges.map((edge) => edge.node.action)).toContain('LINK_ADDED');
    expect(statements.filter((statement) => statement.includes('audit_records'))).toHaveLength(2);
  });
});
