import { Entity, PrimaryKey } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import { createOrmOptions } from '../../orm/orm-config';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { scheduledJob } from '../scheduled-job';
import { scaled } from '../../../jest.timing';

@Entity({ tableName: 'job_probes' })
class JobProbe {
  @PrimaryKey({ type: 'uuid' })
  id!: string;
}

const logger = pino({ level: 'silent' });
let database: TestDatabase;
let orms: MikroORM[];

beforeAll(async () => {
  database = await createTestDatabase('jobs');
  // Two ORMs stand for two instances of a service.
  orms = await Promise.all([0, 1].map(() => MikroORM.init(createOrmOptions({ service: 'jobs', entities: [JobProbe], migrationsList: [] }, { databaseUrl: database.url, poolMax: 3 }))));
});
afterAll(async () => {
  await Promise.all(orms.map((orm) => orm.close(true)));
  await database.drop();
});

async function waitFor(description: string, probe: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + scaled(timeoutMs);
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('scheduledJob', () => {
  it('runs on one instance at a time: the other skips while the lock is held', async () => {
    const release = gate();
    let entered = false;
    const holder = scheduledJob({ name: 'nightly', intervalMs: 60_000, orm: orms[0], logger, run: async () => {
      entered = true;
      await release.opened;
    } });
    const other = scheduledJob({ name: 'nightly', intervalMs: 60_000, orm: orms[1], logger, run: async () => undefined });
    const unrelated = scheduledJob({ name: 'hourly', intervalMs: 60_000, orm: orms[1], logger, run: async () => undefined });

    const holding = holder.runOnce();
    await waitFor('the first run to hold the lock', () => entered);
    expect(await other.runOnce()).toBe(false);
    expect(await unrelated.runOnce()).toBe(true);
    release.open();
    expect(await holding).toBe(true);
    expect(await other.runOnce()).toBe(true);
  });

  it('never overlaps across instances when both loops run, and keeps going after a failing run', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    let failures = 0;
    const work = async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 15));
      running -= 1;
      runs += 1;
      if (runs % 3 === 1) {
        failures += 1;
        throw new Error('flaky job');
      }
    };
    const jobs = orms.map((orm) => scheduledJob({ name: 'overdue', intervalMs: 5, initialDelayMs: 0, orm, logger, run: work }));
    jobs.forEach((job) => job.start());
    await waitFor('a dozen runs', () => runs >= 12);
    await Promise.all(jobs.map((job) => job.stop()));
    expect(most).toBe(1);
    expect(failures).toBeGreaterThanOrEqual(4);
    // stop() waited for the run in progress.
    expect(running).toBe(0);
  });

  it('keeps the result of its last run and logs the report a result asks for', async () => {
    const lines: { msg: string; job?: string; announced?: number }[] = [];
    const recording = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as (typeof lines)[number]) });
    let announced = 2;
    const job = scheduledJob({ name: 'reporter', intervalMs: 60_000, orm: orms[0], logger: recording, run: async () => ({ announced: announced-- }), reportOf: (result) => (result.announced ? 'announced' : null) });
    expect(job.lastResult()).toBeNull();
    expect(await job.runOnce()).toBe(true);
    expect(job.lastResult()).toEqual({ announced: 2 });
    await job.runOnce();
    await job.runOnce();
    expect(job.lastResult()).toEqual({ announced: 0 });
    expect(lines.filter((line) => line.msg === 'announced').map((line) => [line.job, line.announced])).toEqual([
      ['reporter', 2],
      ['reporter', 1],
    ]);
  });

  it('rolls the run back when it fails', async () => {
    const job = scheduledJob({ name: 'writer', intervalMs: 60_000, orm: orms[0], logger, run: async (em) => {
      await em.execute('create table job_marks (id int)');
      throw new Error('half done');
    } });
    await expect(job.runOnce()).rejects.toThrow('half done');
    const rows = await orms[0].em.getConnection().execute<{ exists: boolean }[]>("select to_regclass('job_marks') is not null as exists");
    expect(rows[0].exists).toBe(false);
  });
});
