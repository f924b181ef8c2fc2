import { MikroORM } from '@mikro-orm/postgresql';
import { Entity, PrimaryKey } from '@mikro-orm/core';
import { createOrmOptions } from '../orm-config';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';

@Entity({ tableName: 'config_probes' })
class ConfigProbe {
  @PrimaryKey({ type: 'int' }) id!: number;
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('orm_config');
});
afterAll(() => database.drop());

it("every connection of a service's ORM runs without JIT compilation (the server's default is on)", async () => {
  const orm = await MikroORM.init(createOrmOptions({ service: 'configprobe', entities: [ConfigProbe], migrationsList: [] }, { databaseUrl: database.url, poolMax: 3 }));
  try {
    const connection = orm.em.getConnection();
    // three statements at once take three pooled connections: each has the setting from its start
    const settings = await Promise.all([1, 2, 3].map(() => connection.execute<{ jit: string }[]>(`select current_setting('jit') as jit, pg_sleep(0.05)`)));
    expect(settings.map(([row]) => row.jit)).toEqual(['off', 'off', 'off']);
  } finally {
    await orm.close(true);
  }
});
