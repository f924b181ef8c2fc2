#!/usr/bin/env node
// `pnpm restore <folder>`: the databases of a `pnpm backup` folder back into PostgreSQL with pg_restore. Stop the
// services first (scale them to 0). See deploy/README.md, "Backup and restore".
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { databaseOf, findPgTool, libpqOf, log, maintenanceUrl, parseArgs, resolveTargets, run, runMain, serverMajor, sha256Of, UsageError } from './backup-common.mjs';

const USAGE = `usage: node scripts/restore.mjs <backup folder> [--clean | --recreate] [--only identity,…] [--database <name>=<postgres url>]…
  Where to: as for backup.mjs (--database, <NAME>_DATABASE_URL, KARTOTEKA_DATABASE_URL, the embedded PostgreSQL).
  A missing database is created. An existing one that holds tables is refused unless
    --clean     restores over it (pg_restore --clean --if-exists: the dumped objects are dropped and re-created), or
    --recreate  drops and re-creates the database (needs the right to create databases).`;

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name) => `"${name.replace(/"/g, '""')}"`;

async function createDatabase(url) {
  await withClient(maintenanceUrl(url), (client) => client.query(`create database ${quoteIdent(databaseOf(url))} template template0 encoding 'UTF8'`));
}

async function main(argv) {
  const options = parseArgs(argv, { flags: ['--clean', '--recreate'] });
  if (options.positional.length !== 1) throw new UsageError('name one backup folder');
  if (options.clean && options.recreate) throw new UsageError('--clean or --recreate, not both');
  const folder = resolve(options.positional[0]);
  const manifestFile = join(folder, 'manifest.json');
  if (!existsSync(manifestFile)) throw new UsageError(`${manifestFile} does not exist`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  if (manifest.format !== 'kartoteka-backup/1') throw new Error(`${manifestFile}: unknown format ${manifest.format}`);

  const targets = await resolveTargets({ ...options, only: options.only ?? (Object.keys(options.databases).length ? null : manifest.databases.map((entry) => entry.name)) });
  const plan = targets.map((target) => {
    const entry = manifest.databases.find((candidate) => candidate.name === target.name);
    if (!entry) throw new Error(`the backup holds no ${target.name} database (it has ${manifest.databases.map((e) => e.name).join(', ')})`);
    return { target, entry };
  });

  // check everything before changing anything: files intact, target databases in the state the flags allow
  for (const { target, entry } of plan) {
    const file = join(folder, entry.file);
    if (!existsSync(file)) throw new Error(`${entry.file} is missing from ${folder}`);
    if ((await sha256Of(file)) !== entry.sha256) throw new Error(`${entry.file}: checksum differs from the manifest (damaged or changed file)`);
    const major = await serverMajor(target.url);
    target.exists = major !== null;
    target.major = major ?? (await serverMajor(maintenanceUrl(target.url)));
    if (target.exists && !options.clean && !options.recreate) {
      const tables = await withClient(target.url, (client) => client.query(`select count(*)::int as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')`));
      if (tables.rows[0].n > 0) throw new UsageError(`${target.name}: database ${databaseOf(target.url)} exists and holds ${tables.rows[0].n} tables; pass --clean or --recreate to replace its contents`);
    }
  }

  for (const { target, entry } of plan) {
    // reads the archive (written by pg_dump `pgDumpMajor`) and talks to the target server
    const pgRestore = findPgTool('pg_restore', target.major, entry.pgDumpMajor);
    if (options.recreate && target.exists) {
      await withClient(maintenanceUrl(target.url), (client) => client.query(`drop database ${quoteIdent(databaseOf(target.url))} with (force)`));
      target.exists = false;
    }
    if (!target.exists) await createDatabase(target.url);
    const { dbname, env } = libpqOf(target.url);
    // objects belong to the restoring role (each service's own role in production), grants are not carried over
    const args = ['--exit-on-error', '--single-transaction', '--no-owner', '--no-privileges', `--dbname=${dbname}`];
    if (options.clean && target.exists) args.push('--clean', '--if-exists');
    run(pgRestore.binary, [...args, join(folder, entry.file)], env);
    log(`${target.name}: ${entry.file} → ${databaseOf(target.url)} (pg_restore ${pgRestore.major}, server ${target.major})`);
  }
}

runMain(main, USAGE);
