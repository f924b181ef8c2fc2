import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { BigIntType, Collection, Entity, Enum, ManyToOne, OneToMany, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '../base.entity';
import { createOrmOptions } from '../orm-config';
import { readOnlyMapper, readOnlyRows, type RawRow } from '../read-only-rows';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';

/** One column of every kind the services' entities declare. */
@Entity({ tableName: 'row_probes' })
class RowProbe extends BaseEntity {
  @Property({ type: 'string', length: 100 })
  name!: string;

  @Property({ type: 'text', nullable: true })
  note: string | null = null;

  @Enum({ items: ['DRAFT', 'SIGNED'] })
  status: Opt<'DRAFT' | 'SIGNED'> = 'DRAFT';

  @Property({ type: 'date', nullable: true })
  day: string | null = null;

  @Property({ type: new BigIntType('number'), nullable: true })
  amountMinor: number | null = null;

  @Property({ type: new BigIntType('string'), nullable: true })
  bigCounter: string | null = null;

  @Property({ type: 'decimal', precision: 10, scale: 4, nullable: true })
  score: string | null = null;

  @Property({ type: 'double', nullable: true })
  ratio: number | null = null;

  @Property({ columnType: 'char(3)', nullable: true })
  currency: string | null = null;

  @Property({ type: 'boolean', default: false })
  active: Opt<boolean> = false;

  @Property({ type: 'timestamptz', nullable: true })
  signedAt: Date | null = null;

  @Property({ type: 'smallint' })
  position!: number;

  @Property({ type: 'jsonb', default: '{}' })
  details: Opt<Record<string, unknown>> = {};

  @Property({ type: 'text[]' })
  tags: Opt<string[]> = [];

  @Property({ version: true, type: 'integer' })
  version!: Opt<number>;

  @OneToMany(() => RowProbeItem, (item) => item.probe)
  items = new Collection<RowProbeItem>(this);

  get label(): Opt<string> {
    return `${this.name} (${this.status})`;
  }
}

@Entity({ tableName: 'row_probe_items' })
class RowProbeItem {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @ManyToOne(() => RowProbe, { deleteRule: 'cascade' })
  probe!: RowProbe;

  /** A relation mapped to its key, as deals' templateId. */
  @ManyToOne(() => RowProbe, { mapToPk: true, fieldName: 'source_probe_id', nullable: true })
  sourceProbeId: string | null = null;

  @Property({ type: 'timestamptz' })
  at!: Date;
}

let database: TestDatabase;
let orm: MikroORM;
const statements: string[] = [];
let probeId: string;
let emptyProbeId: string;
const signedAt = new Date('2026-11-30T21:15:42.123Z');

beforeAll(async () => {
  database = await createTestDatabase('read_only_rows');
  orm = await MikroORM.init(
    createOrmOptions({ service: 'rowprobe', entities: [RowProbe, RowProbeItem], migrationsList: [] }, { databaseUrl: database.url, poolMax: 3, onQuery: (sql) => statements.push(sql) }),
  );
  await orm.schema.createSchema();
  const em = orm.em.fork();
  const probe = em.create(RowProbe, {
    name: 'Ромашка',
    note: 'текст',
    status: 'SIGNED',
    day: '2026-12-01',
    amountMinor: 9_007_199_254_740,
    bigCounter: '9223372036854775807',
    score: '12.3456',
    ratio: 0.25,
    currency: 'RUB',
    active: true,
    signedAt,
    position: 3,
    details: { nested: { list: [1, 'два'] } },
    tags: ['a', 'b'],
  });
  const empty = em.create(RowProbe, { name: 'Пустой', position: 0 });
  em.create(RowProbeItem, { probe, sourceProbeId: empty.id, at: signedAt });
  em.create(RowProbeItem, { probe, at: new Date('2026-12-01T00:00:00.000Z') });
  await em.flush();
  probeId = probe.id;
  emptyProbeId = empty.id;
});

afterAll(async () => {
  await orm?.close(true);
  await database?.drop();
});

const SCALARS = ['id', 'createdAt', 'updatedAt', 'name', 'note', 'status', 'day', 'amountMinor', 'bigCounter', 'score', 'ratio', 'currency', 'active', 'signedAt', 'position', 'details', 'tags', 'version'] as const;

async function probeRow(id: string): Promise<RawRow> {
  const [row] = await orm.em.fork().getConnection().execute<RawRow[]>(`select p.*, 42 as not_a_column from row_probes p where p.id = ?`, [id]);
  return row;
}

describe('readOnlyMapper', () => {
  it('converts every column kind of a raw row to the type the entity declares', async () => {
    const row = await probeRow(probeId);
    // what the driver hands over: timestamps as text, bigint and numeric as text
    expect(typeof row.signed_at).toBe('string');
    expect(typeof row.amount_minor).toBe('string');
    const probe = readOnlyMapper(orm.em.fork(), RowProbe)(row);

    expect(probe).toBeInstanceOf(RowProbe);
    expect(probe).toBeInstanceOf(BaseEntity);
    expect(probe.id).toBe(probeId);
    expect(probe.createdAt).toBeInstanceOf(Date);
    expect(probe.updatedAt).toBeInstanceOf(Date);
    expect(probe.name).toBe('Ромашка');
    expect(probe.note).toBe('текст');
    expect(probe.status).toBe('SIGNED');
    expect(probe.day).toBe('2026-12-01');
    expect(probe.amountMinor).toBe(9_007_199_254_740);
    expect(probe.bigCounter).toBe('9223372036854775807');
    expect(probe.score).toBe('12.3456');
    expect(probe.ratio).toBe(0.25);
    expect(probe.currency).toBe('RUB');
    expect(probe.active).toBe(true);
    expect(probe.signedAt).toEqual(signedAt);
    expect(probe.position).toBe(3);
    expect(probe.details).toEqual({ nested: { list: [1, 'два'] } });
    expect(probe.tags).toEqual(['a', 'b']);
    expect(probe.version).toBe(1);
    expect(probe.label).toBe('Ромашка (SIGNED)');
    // a to-many collection is there, not loaded
    expect(probe.items).toBeInstanceOf(Collection);
    expect(probe.items.isInitialized()).toBe(false);
    // a column the entity does not declare is left out
    expect(Object.keys(probe)).not.toContain('not_a_column');
    expect(Object.keys(probe)).not.toContain('notAColumn');
  });

  it('keeps nulls null and gives the same values as em.map, column by column', async () => {
    for (const id of [probeId, emptyProbeId]) {
      const row = await probeRow(id);
      const readOnly = readOnlyMapper(orm.em.fork(), RowProbe)({ ...row });
      const managed = orm.em.fork().map(RowProbe, { ...row });
      for (const key of SCALARS) {
        expect([key, readOnly[key]]).toEqual([key, managed[key]]);
        expect([key, readOnly[key]?.constructor]).toEqual([key, managed[key]?.constructor]);
      }
    }
    const empty = readOnlyMapper(orm.em.fork(), RowProbe)(await probeRow(emptyProbeId));
    expect([empty.note, empty.day, empty.amountMinor, empty.bigCounter, empty.score, empty.ratio, empty.currency, empty.signedAt]).toEqual([null, null, null, null, null, null, null, null]);
    expect([empty.active, empty.details, empty.tags]).toEqual([false, {}, []]);
  });

  it('maps rows nested as JSON (jsonb_agg of to_jsonb): timestamps from text, to-one relations to the known entity or an id-only reference', async () => {
    const em = orm.em.fork();
    const [row] = await em.getConnection().execute<RawRow[]>(
      `select (select jsonb_agg(to_jsonb(i) order by i.at) from row_probe_items i where i.probe_id = p.id) as items from row_probes p where p.id = ?`,
      [probeId],
    );
    const nested = row.items as RawRow[];
    expect(typeof nested[0].at).toBe('string');
    const parent = readOnlyMapper(em, RowProbe)(await probeRow(probeId));

    const [first, second] = readOnlyRows(em, RowProbeItem, nested, [parent]);
    expect(first).toBeInstanceOf(RowProbeItem);
    expect(first.at).toEqual(signedAt);
    expect(second.at).toEqual(new Date('2026-12-01T00:00:00.000Z'));
    expect(first.probe).toBe(parent);
    expect(first.sourceProbeId).toBe(emptyProbeId);
    expect(second.sourceProbeId).toBeNull();

    const [unknownParent] = readOnlyRows(em, RowProbeItem, nested);
    expect(unknownParent.probe).toBeInstanceOf(RowProbe);
    expect(unknownParent.probe).not.toBe(parent);
    expect(unknownParent.probe.id).toBe(probeId);
  });

  it('refuses a value that is none of an enum items, as em.map does', async () => {
    const row = { ...(await probeRow(probeId)), status: 'LOST' };
    expect(() => readOnlyMapper(orm.em.fork(), RowProbe)(row)).toThrow(/status/);
  });

  it('leaves the unit of work alone: nothing in the identity map, a flush after a change writes nothing', async () => {
    const em = orm.em.fork();
    const probe = readOnlyMapper(em, RowProbe)(await probeRow(probeId));
    expect(em.getUnitOfWork().getIdentityMap().values()).toHaveLength(0);
    probe.name = 'changed in memory only';
    statements.length = 0;
    await em.flush();
    expect(statements.filter((sql) => /row_probes/.test(sql))).toEqual([]);
    expect((await probeRow(probeId)).name).toBe('Ромашка');
  });
});
