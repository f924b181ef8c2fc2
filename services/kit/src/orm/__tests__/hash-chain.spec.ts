import { createHash } from 'node:crypto';
import { chainHash, GENESIS_HASH, hashChainDeferredSql, hashChainSql } from '../hash-chain';

describe('hash chains', () => {
  it('hashes the canonical JSON array of the scalars and the stored JSON text, so any change of any field changes the hash', () => {
    const scalars = ['kartoteka-test-v1', 1, 'Иван "Грозный"', null, GENESIS_HASH] as const;
    const expected = createHash('sha256').update(`["kartoteka-test-v1",1,"Иван \\"Грозный\\"",null,"${GENESIS_HASH}",{"a": 1}]`, 'utf8').digest('hex');
    expect(chainHash(scalars, '{"a": 1}')).toBe(expected);
    expect(chainHash(['kartoteka-test-v1', 2, 'Иван "Грозный"', null, GENESIS_HASH], '{"a": 1}')).not.toBe(expected);
    expect(chainHash(scalars, '{"a": 2}')).not.toBe(expected);
  });

  it('writes a migration that chains existing rows in order before the triggers go on, and a down that removes it all', () => {
    const { up, down } = hashChainSql({ table: 'things', format: 'f', lockKey: 42, columns: [{ sql: 'r.id::text' }, { sql: 'r.n', kind: 'int' }], jsonColumn: 'data', backfillOrder: 'at, id' });
    const backfill = up.findIndex((sql) => sql.includes('order by at, id'));
    const trigger = up.findIndex((sql) => sql.startsWith('create trigger things_chain '));
    expect(backfill).toBeGreaterThan(0);
    expect(trigger).toBeGreaterThan(backfill);
    expect(up.join('\n')).toMatch(/pg_advisory_xact_lock\(42::bigint\)/);
    expect(up.join('\n')).toMatch(/before update or delete on "things"/);
    expect(down.join('\n')).toMatch(/drop column if exists "seq"/);
  });

  it('moves the chaining to a deferred constraint trigger at commit, and back with the down', () => {
    const spec = { table: 'things', format: 'f', lockKey: 42, columns: [{ sql: 'r.id::text' }], jsonColumn: 'data', backfillOrder: 'at, id' };
    const { up, down } = hashChainDeferredSql(spec);
    expect(up[0]).toBe('drop trigger if exists things_chain on "things";');
    expect(up.join('\n')).toMatch(/create constraint trigger things_chain after insert on "things" deferrable initially deferred for each row execute function things_chain_fill\(\)/);
    expect(up.join('\n')).toMatch(/pg_advisory_xact_lock\(42::bigint\)/);
    expect(up.join('\n')).toMatch(/alter column "seq" drop not null/);
    // the down ends with the very statements hashChainSql installs
    const immediate = hashChainSql(spec).up;
    expect(down.slice(-2)).toEqual(immediate.filter((sql) => sql.includes('things_chain()')));
    expect(down).toContain(immediate.find((sql) => sql.includes('function things_append_only()')));
    expect(down.join('\n')).toMatch(/alter column "seq" set not null/);
  });
});
