import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export type TestDatabase = { url: string; name: string; drop: () => Promise<void> };

/** Server for tests: the machine's PostgreSQL unless TEST_DATABASE_URL points elsewhere. */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A throwaway database per test file (and worker), dropped afterwards. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `t_${prefix}_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new Client({ connectionString: testServerUrl() });
  await admin.connect();
  try {
    await admin.query(`create database "${name}" template template0 encoding 'UTF8'`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(testServerUrl(), name),
    drop: async () => {
      const client = new Client({ connectionString: testServerUrl() });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
