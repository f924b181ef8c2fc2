#!/usr/bin/env node
// `pnpm backup`: every Kartoteka database to one folder, each with `pg_dump -Fc`, plus manifest.json (what, from
// where, which versions, checksums). Restore with `pnpm restore <folder>`. See deploy/README.md.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { databaseOf, findPgTool, libpqOf, log, parseArgs, resolveTargets, ROOT, run, runMain, serverMajor, sha256Of } from './backup-common.mjs';

const USAGE = `usage: node scripts/backup.mjs [--out <folder>] [--only identity,counterparties,…] [--database <name>=<postgres url>]…
  Databases: --database options, else <NAME>_DATABASE_URL variables, else KARTOTEKA_DATABASE_URL (as for pnpm start),
  else the embedded PostgreSQL of pnpm start. Default folder: .data/backups/<UTC time>.`;

async function main(argv) {
  const options = parseArgs(argv, { valued: ['--out'] });
  const targets = await resolveTargets(options);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = resolve(options.out ?? join(process.env.KARTOTEKA_DATA_DIR ?? join(ROOT, '.data'), 'backups', stamp));
  mkdirSync(out, { recursive: true, mode: 0o700 });
  const entries = [];
  for (const target of targets) {
    const major = await serverMajor(target.url);
    if (major === null) {
      if (target.optional) {
        log(`${target.name}: no database ${databaseOf(target.url)} (the event bus is not PostgreSQL here), skipped`);
        continue;
      }
      throw new Error(`${target.name}: database ${databaseOf(target.url)} does not exist`);
    }
    const pgDump = findPgTool('pg_dump', major);
    const file = `${target.name}.dump`;
    const { dbname, env } = libpqOf(target.url);
    // custom format: compressed, restorable selectively and in parallel; one consistent snapshot per database
    run(pgDump.binary, ['--format=custom', '--compress=6', `--file=${join(out, file)}`, `--dbname=${dbname}`], env);
    const bytes = statSync(join(out, file)).size;
    entries.push({ name: target.name, database: databaseOf(target.url), file, bytes, sha256: await sha256Of(join(out, file)), serverMajor: major, pgDumpMajor: pgDump.major });
    log(`${target.name}: ${databaseOf(target.url)} → ${file} (${bytes} bytes, pg_dump ${pgDump.major}, server ${major})`);
  }
  const manifest = { format: 'kartoteka-backup/1', createdAt: new Date().toISOString(), databases: entries };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  console.log(out);
}

runMain(main, USAGE);
