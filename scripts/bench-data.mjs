#!/usr/bin/env node
// `pnpm bench:data`: fills the services' databases with the benchmark dataset — 100k counterparties (valid
// requisites, contacts, bank accounts), 1M documents with registration numbers and approval routes (~3M steps),
// 300k deals on the published case templates with their stage visits, and finance's facts (signed contracts,
// invoices, acts) with 1M payments — plus the read models every service keeps, so every reference resolves.
//
// Everything is generated inside PostgreSQL with set-based SQL (generate_series, INSERT … SELECT): only the
// 100k counterparties' requisites are computed here, with kit's own makeInn10/makeOgrn/makeSettlementAccount,
// and sent once per database as arrays. Ids are derived from row numbers (`be4cda7a-<kind>-4000-8000-<n>`), so
// the databases agree on them without copying rows between them. Each database is loaded in one transaction:
// its secondary indexes are dropped first and rebuilt at the end (much faster than maintaining them row by
// row); a failure rolls everything back. The dependent rows (versions, links, routes, stages, steps, stage visits)
// are inserted without an ORDER BY: a scan of generate_series (with a nested loop over a small series) yields them
// in id order already, and sorting millions of wide rows would spill to disk for nothing. VACUUM (ANALYZE) runs
// last: statistics for the planner, and the visibility map and hint bits set once here (what autovacuum does soon
// after such a load in a running install) rather than by the first queries of a benchmark, so that counts can be
// answered from indexes alone.
//
// Usage: node scripts/bench-data.mjs [--scale=1] [--json]
//   database URLs: <SERVICE>_DATABASE_URL, else KARTOTEKA_DATABASE_URL (a server URL) + /kartoteka_<service>,
//   else postgres://postgres@127.0.0.1:5432/kartoteka_<service> (as `pnpm start` against that server).
//   The databases must be migrated (start the stack once) and must not hold the dataset yet.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const KIT = join(ROOT, 'services/kit/dist');
const require = createRequire(import.meta.url);

export const SERVICES = ['identity', 'counterparties', 'documents', 'deals', 'finance'];

/** Rows per counterparty of the dependent data, at every scale. */
export const DOCUMENTS_PER_COUNTERPARTY = 10;
export const DEALS_PER_COUNTERPARTY = 3;
export const PAYMENTS_PER_COUNTERPARTY = 10;
/** Counterparties at scale 1. */
export const FULL_COUNTERPARTIES = 100_000;

/** First 8 hex digits of every generated id. */
export const ID_TAG = 'be4cda7a';
export const ID_KINDS = {
  counterparty: '0c01', contact: '0c02', bankAccount: '0c03', change: '0c04',
  document: '0d01', version: '0d02', route: '0d03', stage: '0d04', step: '0d05', link: '0d06',
  deal: '0e01', visit: '0e02', payment: '0f01',
};
/** The id of the n-th generated row of a kind (as the SQL below derives it). */
export function benchId(kind, n) {
  const hex = `${ID_TAG}${ID_KINDS[kind]}40008000${n.toString(16).padStart(12, '0')}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
const idSql = (kind, expr) => `('${ID_TAG}${ID_KINDS[kind]}40008000' || lpad(to_hex(${expr}), 12, '0'))::uuid`;

/** Number prefixes of the documents service (services/documents/src/modules/journal/journal.service.ts) when none is configured. */
const DEFAULT_JOURNAL_PREFIXES = {
  INCOMING_LETTER: 'ВХ', OUTGOING_LETTER: 'ИСХ', CONTRACT: 'Д', SUPPLEMENTARY_AGREEMENT: 'ДС', INVOICE: 'СЧ',
  ACT: 'АКТ', PAYMENT_ORDER: 'ПП', COMMERCIAL_OFFER: 'КП', OTHER: 'ПР',
};

const WORDS = ['Ромашка', 'Вектор', 'Альфа', 'Сибирь', 'Техно', 'Строй', 'Логистик', 'Энерго', 'Агро', 'Север', 'Медиа', 'Трейд', 'Урал', 'Волга', 'Прогресс', 'Гранит', 'Орион', 'Полюс', 'Меридиан', 'Капитал'];
const FORMS = ['ООО', 'ООО', 'ООО', 'АО', 'ПАО'];
const SURNAMES = ['Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Петров', 'Соколов', 'Михайлов', 'Новиков', 'Фёдоров', 'Морозов', 'Волков'];
const FIRST_NAMES = ['Александр', 'Мария', 'Дмитрий', 'Елена', 'Сергей', 'Анна', 'Андрей', 'Ольга', 'Алексей', 'Наталья', 'Игорь', 'Татьяна'];
const POSITIONS = ['Генеральный директор', 'Главный бухгалтер', 'Менеджер по закупкам', 'Юрист', 'Коммерческий директор'];
const CITIES = ['Москва', 'Санкт-Петербург', 'Казань', 'Екатеринбург', 'Новосибирск', 'Нижний Новгород', 'Самара', 'Краснодар'];
const STREETS = ['Ленина', 'Мира', 'Садовая', 'Гагарина', 'Советская', 'Профсоюзная', 'Заводская', 'Центральная'];
const BANKS = [
  { bik: '044525225', name: 'ПАО Сбербанк' },
  { bik: '044525593', name: 'АО «Альфа-Банк»' },
  { bik: '044030653', name: 'Северо-Западный банк ПАО Сбербанк' },
  { bik: '046577674', name: 'Уральский банк ПАО Сбербанк' },
  { bik: '045004641', name: 'Сибирский банк ПАО Сбербанк' },
];
// short on purpose: the title's trigram index is the costliest one to build
const SUBJECTS = ['серверы', 'CRM', 'кондиционеры', 'мебель', 'бухучёт', 'ИТ-аудит', 'спецодежда', 'ремонт цеха', 'уборка', 'канцтовары', 'портал', 'аренда склада', 'перевозки', 'запчасти', 'видеонаблюдение', 'охрана труда'];
const DEAL_TITLES = ['Поставка серверного оборудования', 'Внедрение CRM-системы', 'Годовое сервисное обслуживание', 'Поставка офисной мебели', 'Аутсорсинг бухгалтерского учёта', 'Модернизация ИТ-инфраструктуры', 'Поставка спецодежды и СИЗ', 'Ремонт производственного цеха', 'Разработка корпоративного портала', 'Аренда складских помещений', 'Грузоперевозки по ЦФО', 'Монтаж системы видеонаблюдения'];
const LOST_REASONS = ['Выбрали конкурента', 'Нет бюджета в этом году', 'Проект отложен заказчиком', 'Не устроили сроки поставки', 'Слишком высокая цена'];
const DOCUMENT_TYPES = ['CONTRACT', 'INVOICE', 'INVOICE', 'ACT', 'SUPPLEMENTARY_AGREEMENT', 'INCOMING_LETTER', 'OUTGOING_LETTER', 'COMMERCIAL_OFFER', 'PAYMENT_ORDER', 'OTHER'];
const TYPE_TITLES = { CONTRACT: 'Договор', INVOICE: 'Счёт', ACT: 'Акт', SUPPLEMENTARY_AGREEMENT: 'Допсоглашение', INCOMING_LETTER: 'Письмо', OUTGOING_LETTER: 'Письмо', COMMERCIAL_OFFER: 'КП', PAYMENT_ORDER: 'Платёжка', OTHER: 'Записка' };

export function databaseUrls(env = process.env) {
  const server = env.KARTOTEKA_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  return Object.fromEntries(SERVICES.map((service) => {
    const own = env[`${service.toUpperCase()}_DATABASE_URL`];
    if (own) return [service, own];
    const url = new URL(server);
    url.pathname = `/kartoteka_${service}`;
    return [service, url.toString()];
  }));
}

/** The counts a scale yields (what the generator writes, the spec checks). */
export function countsFor(scale) {
  const counterparties = Math.max(10, Math.round(FULL_COUNTERPARTIES * scale));
  return { counterparties, documents: counterparties * DOCUMENTS_PER_COUNTERPARTY, deals: counterparties * DEALS_PER_COUNTERPARTY, payments: counterparties * PAYMENTS_PER_COUNTERPARTY };
}

const pad = (n, width) => String(n).padStart(width, '0');

/** The counterparties' own columns, computed with kit's requisites (valid INN, KPP, OGRN, accounts). */
function counterpartyArrays(count, managers) {
  const { makeInn10, makeInn12, makeOgrn, makeOgrnip, makeSettlementAccount, makeCorrespondentAccount } = require(join(KIT, 'requisites/index.js'));
  const banks = BANKS.map((bank, i) => ({ ...bank, correspondent: makeCorrespondentAccount(`30101810${pad(i + 1, 11)}`, bank.bik) }));
  const columns = { name: [], kind: [], status: [], inn: [], kpp: [], ogrn: [], manager: [], address: [], bik: [], bank: [], account: [], correspondent: [] };
  for (let n = 0; n < count; n += 1) {
    const sole = n % 10 === 9;
    const statusSlot = n % 20;
    const bank = banks[n % banks.length];
    columns.kind.push(sole ? 'SOLE_PROPRIETOR' : 'LEGAL_ENTITY');
    columns.name.push(sole
      ? `ИП ${SURNAMES[n % SURNAMES.length]} ${FIRST_NAMES[Math.floor(n / 12) % FIRST_NAMES.length]} (${n})`
      : `${FORMS[n % FORMS.length]} «${WORDS[n % WORDS.length]}${WORDS[Math.floor(n / WORDS.length) % WORDS.length].toLowerCase()} ${n}»`);
    columns.status.push(statusSlot === 0 ? 'ARCHIVED' : statusSlot < 5 ? 'PROSPECT' : statusSlot < 8 ? 'SUPPLIER' : statusSlot < 10 ? 'PARTNER' : 'CLIENT');
    columns.inn.push(sole ? makeInn12(`99${pad(n, 8)}`) : makeInn10(`99${pad(n, 7)}`));
    columns.kpp.push(sole ? null : `99${pad((n % 50) + 1, 2)}01001`);
    columns.ogrn.push(sole ? makeOgrnip(`31599${pad(n, 9)}`) : makeOgrn(`10299${pad(n, 7)}`));
    columns.manager.push(managers[n % managers.length]);
    columns.address.push(`г. ${CITIES[n % CITIES.length]}, ул. ${STREETS[Math.floor(n / 8) % STREETS.length]}, д. ${(n % 150) + 1}`);
    columns.bik.push(bank.bik);
    columns.bank.push(bank.name);
    columns.account.push(makeSettlementAccount(`${sole ? '40802810' : '40702810'}${pad(n, 11)}`, bank.bik));
    columns.correspondent.push(bank.correspondent);
  }
  return columns;
}

/** `bench_cp` (temporary, one row per counterparty, n from 0) in the session of `client`. */
async function loadCounterpartyTable(client, cp) {
  await client.query(
    `create temp table bench_cp on commit drop as
       select (t.ord - 1)::int as n, ${idSql('counterparty', 't.ord - 1')} as id, t.name, t.kind, t.status, t.inn, t.kpp, t.ogrn, t.manager, t.address, t.bik, t.bank, t.account, t.correspondent
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
              with ordinality as t(name, kind, status, inn, kpp, ogrn, manager, address, bik, bank, account, correspondent, ord)`,
    [cp.name, cp.kind, cp.status, cp.inn, cp.kpp, cp.ogrn, cp.manager, cp.address, cp.bik, cp.bank, cp.account, cp.correspondent],
  );
}

/**
 * The documents as a pure function of their row number d (both documents and finance derive them, so finance's
 * facts are the same documents). Columns: d, c (counterparty number), k (slot within the counterparty), h (hash),
 * type, status, date, amount, registered, signed, year, prefix.
 */
function documentRowsSql(countParam, todayParam, prefixesParam, maxSlot = DOCUMENTS_PER_COUNTERPARTY - 1) {
  const types = `array[${DOCUMENT_TYPES.map((t) => `'${t}'`).join(',')}]`;
  return `
    select g.*,
      case when g.type in ('CONTRACT','INVOICE','ACT','SUPPLEMENTARY_AGREEMENT','COMMERCIAL_OFFER','PAYMENT_ORDER') then ((g.h / 1000) % 4990 + 10) * 100000 end::bigint as amount,
      (g.status in ('SIGNED','IN_FORCE','EXECUTED','TERMINATED','CANCELLED') or (g.type in ('INCOMING_LETTER','OUTGOING_LETTER') and g.status <> 'DRAFT')) as registered,
      g.status in ('SIGNED','IN_FORCE','EXECUTED','TERMINATED','CANCELLED') as signed,
      extract(year from g.date)::int as year,
      ${prefixesParam}::jsonb ->> g.type as prefix
    from (
      select b.*,
        case
          when b.type = 'CONTRACT' then case when b.r < 8 then 'DRAFT' when b.r < 16 then 'ON_APPROVAL' when b.r < 19 then 'REJECTED' when b.r < 24 then 'APPROVED' when b.r < 34 then 'SIGNED' when b.r < 80 then 'IN_FORCE' when b.r < 92 then 'EXECUTED' when b.r < 97 then 'TERMINATED' else 'CANCELLED' end
          when b.type in ('INVOICE','ACT','SUPPLEMENTARY_AGREEMENT') then case when b.r < 8 then 'DRAFT' when b.r < 15 then 'ON_APPROVAL' when b.r < 18 then 'REJECTED' when b.r < 22 then 'APPROVED' when b.r < 97 then 'SIGNED' else 'CANCELLED' end
          else case when b.r < 10 then 'DRAFT' when b.r < 20 then 'ON_APPROVAL' when b.r < 24 then 'REJECTED' when b.r < 34 then 'APPROVED' else 'SIGNED' end
        end as status
      from (
        select d, d / ${DOCUMENTS_PER_COUNTERPARTY} as c, d % ${DOCUMENTS_PER_COUNTERPARTY} as k, h, h % 100 as r,
               (${types})[d % ${DOCUMENTS_PER_COUNTERPARTY} + 1] as type,
               ${todayParam}::date - ((h / 100) % 1095)::int as date
          from (select d, (d::bigint * 2654435761 + 97) % 4294967291 as h from generate_series(0, ${countParam}::int - 1) d${maxSlot < DOCUMENTS_PER_COUNTERPARTY - 1 ? ` where d % ${DOCUMENTS_PER_COUNTERPARTY} <= ${maxSlot}` : ''}) s
      ) b
    ) g offset 0`;
}

/** documentRowsSql plus the registration number (gap-free per type and year, after the journals' last numbers). */
function numberedDocumentsSql(countParam, todayParam, prefixesParam, offsetsParam, maxSlot = DOCUMENTS_PER_COUNTERPARTY - 1) {
  return `
    select x.*,
      case when x.registered then x.prefix || '-' || x.year || '-' || lpad(x.seq::text, greatest(5, length(x.seq::text)), '0') end as number
    from (
      select r.*, case when r.registered then coalesce((${offsetsParam}::jsonb ->> (r.type || ':' || r.year))::int, 0) + row_number() over (partition by r.registered, r.type, r.year order by r.d) end as seq
        from (${documentRowsSql(countParam, todayParam, prefixesParam, maxSlot)}) r
    ) x`;
}

/**
 * A contract's start date: its date, except for a contract signed but not yet in force, which starts within the
 * next 60 days — so the daily job that puts signed contracts in force (documents) has no backlog of ten thousand
 * contracts to move when the stack starts on the dataset, and finance's facts agree with the documents.
 */
const contractStartSql = (row, todayParam) => `(case when ${row}.status = 'SIGNED' then ${todayParam}::date + 1 + (${row}.h % 60)::int else ${row}.date end)`;

const titleSql = (row) => `(array[${DOCUMENT_TYPES.map((type) => `'${TYPE_TITLES[type]}'`).join(', ')}])[${row}.k + 1]`;

/** Secondary (non-constraint) indexes of tables: dropped before a bulk load, rebuilt after it. */
async function dropIndexes(client, tables) {
  const { rows } = await client.query(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i join pg_class t on t.oid = i.indrelid join pg_namespace ns on ns.oid = t.relnamespace
      where ns.nspname = current_schema() and t.relname = any($1) and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
    [tables],
  );
  for (const row of rows) await client.query(`drop index ${row.name}`);
  return rows.map((row) => row.def);
}

/** CPU seconds a server process used so far (utime + stime), when the server runs on this machine; null otherwise. */
function backendCpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** CPU seconds of every server backend the generator used, per pipeline (see `inTransaction`). */
const backendCpu = [];

/** Runs `work` in one transaction on a fresh connection, with bulk-friendly session settings. */
function inTransaction(url, label, work) {
  return withClient(url, label, async (client) => {
    await client.query('begin');
    try {
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
  });
}

/** Runs `work` on a fresh connection with bulk-friendly session settings (outside a transaction: VACUUM needs that). */
async function withClient(url, label, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(url).hostname);
  const pid = (await client.query('select pg_backend_pid() as pid')).rows[0].pid;
  try {
    const query = client.query.bind(client);
    // an error names the statement it came from
    client.query = (text, values) => query(text, values).catch((error) => {
      throw new Error(`${error.message} (position ${error.position ?? '?'}) in: ${String(text).replace(/\s+/g, ' ').slice(0, 120)}…`);
    });
    // no parallel index workers: the pipelines already keep the cores busy, and each backend's CPU then counts all its work
    await client.query("set synchronous_commit = off; set work_mem = '256MB'; set maintenance_work_mem = '1GB'; set max_parallel_maintenance_workers = 0");
    return await work(client);
  } finally {
    const cpu = local ? backendCpuSeconds(pid) : null;
    if (cpu !== null) backendCpu.push({ label, cpuSeconds: cpu });
    await client.end();
  }
}

/**
 * Generates the dataset. `urls`: one PostgreSQL URL per service; `scale`: 1 = the full dataset; `today`:
 * YYYY-MM-DD the data ends on. Returns the timings and row counts per table.
 */
export async function generateBenchData({ urls, scale = 1, today = new Date().toISOString().slice(0, 10), log = () => undefined }) {
  const started = Date.now();
  const nodeCpu = process.cpuUsage();
  backendCpu.length = 0;
  const counts = countsFor(scale);
  const N = counts.counterparties;
  const timings = [];
  const timed = async (service, table, work) => {
    const at = Date.now();
    const result = await work().catch((error) => {
      throw new Error(`${service}.${table}: ${error.message}`);
    });
    const rows = typeof result === 'number' ? result : result?.rowCount ?? null;
    const entry = { service, table, rows, ms: Date.now() - at };
    timings.push(entry);
    log(`${`${service}.${table}`.padEnd(40)} ${String(rows ?? '').padStart(9)} rows ${String(entry.ms).padStart(7)} ms`);
    return result;
  };
  if (!existsSync(join(KIT, 'requisites/index.js'))) throw new Error('services/kit is not built: run `pnpm build` (or `pnpm start` once) first');

  // identity's staff, the authors, owners and approvers of everything generated
  const identity = new pg.Client({ connectionString: urls.identity });
  await identity.connect();
  const users = (await identity.query('select id, email, name, roles, active, updated_at from users where active order by email')).rows;
  await identity.end();
  if (users.length === 0) throw new Error('identity has no active users: start the stack once (it seeds the staff) before generating');
  const managers = users.filter((user) => user.roles.includes('MANAGER')).map((user) => user.id);
  const staff = users.map((user) => user.id);
  const director = (users.find((user) => user.roles.includes('ADMIN')) ?? users[0]).id;
  const managerIds = managers.length ? managers : staff;
  const usersJson = JSON.stringify(users);
  const upsertUsers = (client, table) =>
    client.query(`insert into ${table} (id, email, name, roles, active, updated_at)
                  select u.id, u.email, u.name, u.roles, u.active, u.updated_at from jsonb_to_recordset($1::jsonb) as u(id uuid, email text, name text, roles text[], active boolean, updated_at timestamptz)
                  on conflict (id) do nothing`, [usersJson]);

  const existing = new pg.Client({ connectionString: urls.counterparties });
  await existing.connect();
  const present = (await existing.query('select 1 from counterparties where id = $1', [benchId('counterparty', 0)])).rowCount;
  await existing.end();
  if (present) throw new Error('the benchmark dataset is already in these databases (drop them, or start on fresh ones)');

  const cp = counterpartyArrays(N, managerIds);
  timings.push({ service: 'generator', table: 'requisites (kit, in Node)', rows: N, ms: Date.now() - started });

  // journals: the documents' numbers continue each (type, year) journal; finance derives the same numbers
  const docsMeta = new pg.Client({ connectionString: urls.documents });
  await docsMeta.connect();
  const prefixes = { ...DEFAULT_JOURNAL_PREFIXES, ...Object.fromEntries((await docsMeta.query('select document_type, prefix from document_journal_settings')).rows.map((row) => [row.document_type, row.prefix])) };
  const offsets = Object.fromEntries((await docsMeta.query('select document_type, year, last_number from document_journals')).rows.map((row) => [`${row.document_type}:${row.year}`, row.last_number]));
  await docsMeta.end();

  const deals = new pg.Client({ connectionString: urls.deals });
  await deals.connect();
  const templates = (await deals.query(
    `select t.id as template_id, v.id as version_id, v.definition
       from case_templates t join lateral (select id, definition from case_template_versions where template_id = t.id order by number desc limit 1) v on true
      where t.status = 'PUBLISHED' order by t.name`,
  )).rows;
  await deals.end();
  if (templates.length === 0) throw new Error('deals has no published case template: start the stack once (it installs the default one)');

  const common = { N, today, staff, director, prefixes: JSON.stringify(prefixes), offsets: JSON.stringify(offsets) };
  await Promise.all([
    loadCounterparties(urls.counterparties, cp, upsertUsers, timed),
    loadDocuments(urls.documents, cp, upsertUsers, timed, common),
    loadApprovals(urls.documents, timed, common),
    loadDeals(urls.deals, cp, upsertUsers, timed, common, templates),
    loadFinance(urls.finance, cp, upsertUsers, timed, common),
  ]);
  // journals after both documents' transactions (the approval one is independent of it)
  await inTransaction(urls.documents, 'journals', (client) => timed('documents', 'document_journals', () => client.query(
    `insert into document_journals (document_type, year, last_number)
     select type, extract(year from registered_at)::int, count(*) from documents
      where id between $1 and $2 and registered_at is not null group by 1, 2
     on conflict (document_type, year) do update set last_number = document_journals.last_number + excluded.last_number`,
    [benchId('document', 0), benchId('document', 0xffffffffffff)])));
  await Promise.all(['counterparties', 'documents', 'deals', 'finance'].map((service) =>
    withClient(urls[service], `analyze ${service}`, (client) => timed(service, 'VACUUM (ANALYZE)', () => client.query('vacuum (analyze)')))));
  return { counts, timings, totalMs: Date.now() - started, cpu: cpuSummary(process.cpuUsage(nodeCpu)) };
}

/**
 * CPU seconds per pipeline (the server's backends and this process) and the wall time they would take on an idle
 * 2-core machine: the five loads run side by side (bounded by the longest one or by half their sum), then the
 * journals, then the four ANALYZEs side by side. On a busy machine the wall time says little; this does.
 */
function cpuSummary(node) {
  const of = (labels) => backendCpu.filter((entry) => labels(entry.label)).map((entry) => entry.cpuSeconds);
  const phase = (values) => (values.length ? Math.max(Math.max(...values), values.reduce((a, b) => a + b, 0) / 2) : 0);
  const nodeSeconds = (node.user + node.system) / 1e6;
  const loads = of((label) => !label.startsWith('analyze') && label !== 'journals');
  const idleTwoCoreSeconds = phase([...loads, nodeSeconds]) + phase(of((label) => label === 'journals')) + phase(of((label) => label.startsWith('analyze')));
  return { backends: backendCpu.map((entry) => ({ ...entry })), nodeSeconds, totalSeconds: backendCpu.reduce((sum, entry) => sum + entry.cpuSeconds, nodeSeconds), idleTwoCoreSeconds };
}

async function loadCounterparties(url, cp, upsertUsers, timed) {
  await inTransaction(url, 'counterparties', async (client) => {
    const indexes = await dropIndexes(client, ['counterparties', 'counterparty_contacts', 'counterparty_bank_accounts', 'counterparty_changes']);
    await loadCounterpartyTable(client, cp);
    await timed('counterparties', 'user_refs', () => upsertUsers(client, 'user_refs'));
    await timed('counterparties', 'counterparties', () => client.query(
      `insert into counterparties (id, created_at, updated_at, name, kind, status, status_before_archive, inn, kpp, ogrn, legal_address, postal_address, tags, responsible_manager_id, version, archived_at)
       select id, now() - (n % 900) * interval '1 day', now() - (n % 30) * interval '1 day', name, kind, status, case when status = 'ARCHIVED' then 'CLIENT' end,
              inn, kpp, ogrn, address, address, case when n % 7 = 0 then '{ключевой}'::text[] else '{}'::text[] end, manager, case when status = 'ARCHIVED' then 2 else 1 end,
              case when status = 'ARCHIVED' then now() - (n % 30) * interval '1 day' end
         from bench_cp order by n`));
    await timed('counterparties', 'counterparty_contacts', () => client.query(
      `insert into counterparty_contacts (id, counterparty_id, sort_order, name, position, email, phone)
       select ${idSql('contact', 'n * 2 + i')}, id, i, ($1::text[])[(n + i) % cardinality($1::text[]) + 1] || ' ' || ($2::text[])[(n / 3 + i) % cardinality($2::text[]) + 1],
              ($3::text[])[(n + i * 3) % cardinality($3::text[]) + 1], 'contact' || n || '-' || i || '@bench.example.ru', '+7 (495) ' || lpad(((n * 7 + i) % 10000000)::text, 7, '0')
         from bench_cp, generate_series(0, 1) i order by n, i`, [FIRST_NAMES, SURNAMES, POSITIONS]));
    await timed('counterparties', 'counterparty_bank_accounts', () => client.query(
      `insert into counterparty_bank_accounts (id, counterparty_id, sort_order, bank_name, bik, account, correspondent_account)
       select ${idSql('bankAccount', 'n')}, id, 0, bank, bik, account, correspondent from bench_cp order by n`));
    await timed('counterparties', 'counterparty_changes', () => client.query(
      `insert into counterparty_changes (id, counterparty_id, version, at, action, actor_id, actor_kind, actor_name, changes)
       select ${idSql('change', 'n * 2 + v - 1')}, id, v, now() - (case when v = 1 then n % 900 else n % 30 end) * interval '1 day',
              case when v = 1 then 'CREATED' else 'ARCHIVED' end, manager, 'user', null,
              case when v = 1 then jsonb_build_array(jsonb_build_object('field', 'name', 'from', null, 'to', name)) else jsonb_build_array(jsonb_build_object('field', 'status', 'from', 'CLIENT', 'to', 'ARCHIVED')) end
         from bench_cp, generate_series(1, 2) v where v = 1 or status = 'ARCHIVED' order by n, v`));
    // the list's copy of finance's rating (event `finance.rating.changed`), so the list can be filtered and sorted
    // by it at scale: 8 in 10 rated, scores spread over 0–100 (grades as finance's GRADE_THRESHOLDS). Finance's
    // own ratings (factors, evidence) are not generated: the card's rating panel of a generated counterparty is empty.
    await timed('counterparties', 'counterparty_ratings', () => client.query(
      `insert into counterparty_ratings (counterparty_id, score, grade, method_version, computed_at)
       select id, score, case when score >= 85 then 'A' when score >= 70 then 'B' when score >= 50 then 'C' else 'D' end, 1, now() - (n % 30) * interval '1 day'
         from (select id, n, ((n::bigint * 2654435761 + 11) % 4294967291 % 1001) / 10.0 as score from bench_cp where n % 10 < 8) r order by n`));
    await timed('counterparties', 'indexes', async () => { for (const def of indexes) await client.query(def); return indexes.length; });
  });
}

/** counterparty_refs (documents, deals, finance): the read model of the counterparties. */
const insertRefs = (client) => client.query(
  `insert into counterparty_refs (id, name, short_name, inn, kpp, status, updated_at) select id, name, null, inn, kpp, status, now() from bench_cp order by n`);

async function loadDocuments(url, cp, upsertUsers, timed, { N, today, staff, director, prefixes, offsets }) {
  const D = N * DOCUMENTS_PER_COUNTERPARTY;
  await inTransaction(url, 'documents', async (client) => {
    const indexes = await dropIndexes(client, ['documents', 'document_versions', 'document_links', 'counterparty_refs']);
    await loadCounterpartyTable(client, cp);
    await timed('documents', 'staff_members', () => upsertUsers(client, 'staff_members'));
    await timed('documents', 'counterparty_refs', () => insertRefs(client));
    await timed('documents', 'documents', () => client.query(
      `insert into documents (id, created_at, updated_at, type, number, date, title, amount_minor, currency, status, counterparty_id, author_id, version, responsible_id,
                              restricted, registered_at, signed_at, current_version_number, subject, vat_minor, start_date, end_date, payment_terms, due_date,
                              period_start, period_end, payment_date, sender_number, sender_date, signed_by_id)
       select ${idSql('document', 'x.d')}, x.date + time '09:00', x.date + time '16:00' + (x.h % 5) * interval '1 day', x.type, x.number, x.date,
              ${titleSql('x')} || ' — ' || ($4::text[])[x.h % cardinality($4::text[]) + 1], x.amount, case when x.amount is not null then 'RUB' end, x.status,
              ${idSql('counterparty', 'x.c')}, ($5::uuid[])[x.c % cardinality($5::uuid[]) + 1], 1, ($5::uuid[])[x.c % cardinality($5::uuid[]) + 1],
              false, case when x.registered then x.date + time '10:00' end, case when x.signed then x.date + time '15:00' end, case when x.status = 'DRAFT' then 0 else 1 end,
              case when x.type = 'CONTRACT' then ($4::text[])[x.h % cardinality($4::text[]) + 1] end,
              case when x.amount is not null then x.amount / 6 end,
              case when x.type = 'CONTRACT' then ${contractStartSql('x', '$2')} end, case when x.type = 'CONTRACT' then ${contractStartSql('x', '$2')} + 365 end,
              case when x.type = 'CONTRACT' then 'Оплата в течение 10 банковских дней после выставления счёта' end,
              case when x.type = 'INVOICE' then x.date + 10 end,
              case when x.type = 'ACT' then x.date - 30 end, case when x.type = 'ACT' then x.date end,
              case when x.type = 'PAYMENT_ORDER' then x.date end,
              case when x.type = 'INCOMING_LETTER' then 'ИСХ-' || (x.h % 9000 + 100) end, case when x.type = 'INCOMING_LETTER' then x.date - 2 end,
              case when x.signed then $6::uuid end
         from (${numberedDocumentsSql('$1', '$2', '$3', '$7')}) x order by x.d`,
      [D, today, prefixes, SUBJECTS, staff, director, offsets]));
    await timed('documents', 'document_versions', () => client.query(
      `insert into document_versions (id, created_at, updated_at, document_id, number, comment, author_id)
       select ${idSql('version', 'x.d')}, x.date + time '09:05', x.date + time '09:05', ${idSql('document', 'x.d')}, 1, 'Первая редакция', ($4::uuid[])[x.c % cardinality($4::uuid[]) + 1]
         from (${documentRowsSql('$1', '$2', '$3')}) x where x.status <> 'DRAFT'`, [D, today, prefixes, staff]));
    await timed('documents', 'document_links', () => client.query(
      `insert into document_links (id, created_at, updated_at, source_id, target_id, kind, created_by_id)
       select ${idSql('link', 'd')}, now(), now(), ${idSql('document', 'd')}, ${idSql('document', `d - d % ${DOCUMENTS_PER_COUNTERPARTY}`)},
              case d % ${DOCUMENTS_PER_COUNTERPARTY} when 3 then 'ACT_FOR' when 4 then 'SUPPLEMENT_TO' else 'INVOICE_FOR' end, null
         from generate_series(0, $1::int - 1) d where d % ${DOCUMENTS_PER_COUNTERPARTY} between 1 and 4`, [D]));
    await timed('documents', 'indexes (documents, versions, links, refs)', async () => { for (const def of indexes) await client.query(def); return indexes.length; });
  });
}

/**
 * Approval routes of every document past DRAFT: round 1, two stages (parallel approval by 2–3 people, then the
 * sign-off by one), their steps' states following the document's status.
 */
async function loadApprovals(url, timed, { N, today, staff, director, prefixes }) {
  const D = N * DOCUMENTS_PER_COUNTERPARTY;
  const routeStatus = `case x.status when 'ON_APPROVAL' then 'ACTIVE' when 'APPROVED' then 'ACTIVE' when 'REJECTED' then 'REJECTED' else 'COMPLETED' end`;
  await inTransaction(url, 'approvals', async (client) => {
    const indexes = await dropIndexes(client, ['approval_routes', 'approval_stages', 'approval_steps']);
    await timed('documents', 'approval_routes', () => client.query(
      `insert into approval_routes (id, created_at, updated_at, document_id, round, template_id, template_name, status, started_by_id, version_id, version_number, finished_at, finish_comment, finished_by_id)
       select ${idSql('route', 'x.d')}, x.date + time '09:10', x.date + time '14:00', ${idSql('document', 'x.d')}, 1, null, 'Стандартный маршрут', ${routeStatus},
              ($4::uuid[])[x.c % cardinality($4::uuid[]) + 1], ${idSql('version', 'x.d')}, 1,
              case when ${routeStatus} <> 'ACTIVE' then x.date + time '14:00' end, null, case when ${routeStatus} = 'REJECTED' then ($4::uuid[])[(x.d + 1) % cardinality($4::uuid[]) + 1] end
         from (${documentRowsSql('$1', '$2', '$3')}) x where x.status <> 'DRAFT'`, [D, today, prefixes, staff]));
    await timed('documents', 'approval_stages', () => client.query(
      `insert into approval_stages (id, created_at, updated_at, route_id, position, name, mode, rule, quorum, sign_off, status, completed_at)
       select ${idSql('stage', 'x.d * 2 + s')}, x.date + time '09:10', x.date + time '14:00', x.route_id, s,
              case s when 0 then 'Согласование' else 'Подписание' end, case s when 0 then 'PARALLEL' else 'SEQUENTIAL' end, 'ALL', null, s = 1,
              y.status, case when y.status = 'COMPLETED' then x.date + time '13:00' + s * interval '1 hour' end
         from (select r.d, r.date, r.status, ${idSql('route', 'r.d')} as route_id from (${documentRowsSql('$1', '$2', '$3')}) r where r.status <> 'DRAFT' offset 0) x
         cross join generate_series(0, 1) s
         cross join lateral (select case
           when x.status = 'ON_APPROVAL' then case s when 0 then 'ACTIVE' else 'WAITING' end
           when x.status = 'APPROVED' then case s when 0 then 'COMPLETED' else 'ACTIVE' end
           when x.status = 'REJECTED' then case s when 0 then 'REJECTED' else 'CANCELLED' end
           else 'COMPLETED' end as status) y
`, [D, today, prefixes]));
    // steps 0..n-2: the approval stage, step n-1: the sign-off; n = 3 or 4 (3.3 on average: ~3M at scale 1)
    await timed('documents', 'approval_steps', () => client.query(
      `insert into approval_steps (id, created_at, updated_at, route_id, stage_id, document_id, position, role, assignee_ids, deadline_hours, due_at, status,
                                   decided_by_id, decided_at, comment, decision_version_id, decision_version_number, overdue_notified_at)
       select ${idSql('step', 'z.d * 4 + z.i')}, z.date + time '09:10', z.date + time '14:00', z.route_id, case z.s when 0 then z.stage0_id else z.stage1_id end, z.document_id,
              case z.s when 0 then z.i else 0 end, null, array[z.assignee], case z.s when 0 then 48 else 24 end,
              case when z.st = 'PENDING' then z.date + time '09:10' + case z.s when 0 then interval '48 hours' else interval '24 hours' end end, z.st,
              case when z.st in ('APPROVED', 'REJECTED') then z.assignee end, case when z.st in ('APPROVED', 'REJECTED') then z.date + time '12:00' + z.i * interval '20 minutes' end,
              case when z.st = 'REJECTED' then 'Требуется доработка: уточните сроки и сумму' end,
              case when z.st in ('APPROVED', 'REJECTED') then z.version_id end, case when z.st in ('APPROVED', 'REJECTED') then 1 end,
              -- a deadline that passed before today was reported when it passed: the deadline job has no backlog of
              -- a hundred thousand notifications to send when the stack starts on the dataset
              case when z.st = 'PENDING' and z.date + time '09:10' + case z.s when 0 then interval '48 hours' else interval '24 hours' end < $2::date
                   then z.date + time '09:10' + case z.s when 0 then interval '48 hours' else interval '24 hours' end end
         from (
           select x.d, x.date, x.route_id, x.stage0_id, x.stage1_id, x.document_id, x.version_id, i, case when i = n - 1 then 1 else 0 end as s,
                  case when i = n - 1 then $5::uuid else ($4::uuid[])[(x.d + i) % cardinality($4::uuid[]) + 1] end as assignee,
                  case
                    when x.status = 'ON_APPROVAL' then case when i = n - 1 then 'WAITING' when i = 0 then 'APPROVED' else 'PENDING' end
                    when x.status = 'APPROVED' then case when i = n - 1 then 'PENDING' else 'APPROVED' end
                    when x.status = 'REJECTED' then case when i = n - 1 then 'CANCELLED' when i = 0 then 'APPROVED' when i = 1 then 'REJECTED' else 'CANCELLED' end
                    else 'APPROVED' end as st
             from (select r.d, r.date, r.status, 3 + (r.d % 10 < 3)::int as n, ${idSql('route', 'r.d')} as route_id, ${idSql('stage', 'r.d * 2')} as stage0_id,
                          ${idSql('stage', 'r.d * 2 + 1')} as stage1_id, ${idSql('document', 'r.d')} as document_id, ${idSql('version', 'r.d')} as version_id
                     from (${documentRowsSql('$1', '$2', '$3')}) r where r.status <> 'DRAFT' offset 0) x
             cross join generate_series(0, 3) i where i < x.n
         ) z`, [D, today, prefixes, staff, director]));
    await timed('documents', 'indexes (approvals)', async () => { for (const def of indexes) await client.query(def); return indexes.length; });
  });
}

/** The stage paths deals can have taken on a template (open stages in order, then a won or lost one), with weights. */
function dealPaths(templates) {
  const options = [];
  const picks = [];
  for (const template of templates) {
    const stages = template.definition.stages;
    const open = stages.filter((stage) => stage.outcome === 'OPEN').map((stage) => stage.key);
    const won = stages.find((stage) => stage.outcome === 'WON')?.key;
    const lost = stages.find((stage) => stage.outcome === 'LOST')?.key;
    const add = (path, status, weight) => {
      options.push({ template_id: template.template_id, version_id: template.version_id, path, status });
      for (let i = 0; i < weight; i += 1) picks.push(options.length);
    };
    open.forEach((_, i) => add(open.slice(0, i + 1), 'OPEN', 4));
    if (won) add([...open, won], 'WON', 8);
    if (lost) open.forEach((_, i) => add([...open.slice(0, i + 1), lost], 'LOST', 2));
  }
  return { options, picks };
}

async function loadDeals(url, cp, upsertUsers, timed, { N, today }, templates) {
  const E = N * DEALS_PER_COUNTERPARTY;
  const { options, picks } = dealPaths(templates);
  await inTransaction(url, 'deals', async (client) => {
    const indexes = await dropIndexes(client, ['deals', 'deal_stage_visits', 'counterparty_refs']);
    await loadCounterpartyTable(client, cp);
    await timed('deals', 'user_refs', () => upsertUsers(client, 'user_refs'));
    await timed('deals', 'counterparty_refs', () => insertRefs(client));
    await client.query(
      `create temp table bench_paths on commit drop as
         select t.o, t.template_id, t.version_id, array(select jsonb_array_elements_text(t.path)) as path, t.status
           from jsonb_to_recordset($1::jsonb) as t(o int, template_id uuid, version_id uuid, path jsonb, status text)`, [JSON.stringify(options.map((option, i) => ({ ...option, o: i + 1 })))]);
    const dealRows = `
      select e.e, ${idSql('deal', 'e.e')} as deal_id, e.c, e.h, e.created, p.template_id, p.version_id, p.path, p.status, cardinality(p.path) as len
        from (select e, e / ${DEALS_PER_COUNTERPARTY} as c, h, $2::date - ((h / 7) % 700)::int + time '09:00' as created, ($3::int[])[h % cardinality($3::int[]) + 1] as o
                from (select e, (e::bigint * 2246822519 + 13) % 4294967291 as h from generate_series(0, $1::int - 1) e) s) e
        join bench_paths p on p.o = e.o offset 0`;
    // the board's totals (`deal_stage_totals`, kept by a row trigger on `deals`) are rebuilt set-based after the load:
    // 300k trigger calls updating a dozen rows in one transaction would each walk a growing chain of row versions
    await client.query('alter table deals disable trigger deals_stage_totals');
    await timed('deals', 'deals', () => client.query(
      `insert into deals (id, created_at, updated_at, title, amount_minor, currency, stage, counterparty_id, owner_id, expected_close_date, version, template_id, template_version_id,
                          status, close_reason, form_data, stage_entered_at)
       select x.deal_id, x.created, x.created + (x.len - 1) * interval '5 days', ($4::text[])[x.h % cardinality($4::text[]) + 1],
              ((x.h / 1000) % 4950 + 50) * 100000, 'RUB', x.path[x.len], b.id, b.manager, (x.created + interval '60 days')::date, x.len, x.template_id, x.version_id,
              x.status, case when x.status = 'LOST' then ($5::text[])[x.h % cardinality($5::text[]) + 1] end, '{}'::jsonb, x.created + (x.len - 1) * interval '5 days'
         from (${dealRows}) x join bench_cp b on b.n = x.c order by x.e`, [E, today, picks, DEAL_TITLES, LOST_REASONS]));
    await timed('deals', 'deal_stage_visits', () => client.query(
      `insert into deal_stage_visits (id, deal_id, stage_key, entered_at, left_at)
       select ${idSql('visit', 'x.e * 16 + i - 1')}, x.deal_id, x.path[i], x.created + (i - 1) * interval '5 days',
              case when i < x.len then x.created + i * interval '5 days' end
         from (${dealRows}) x cross join lateral generate_series(1, x.len) i`, [E, today, picks]));
    await timed('deals', 'deal_stage_totals', async () => {
      await client.query('delete from deal_stage_totals');
      const result = await client.query(
        `insert into deal_stage_totals (template_id, stage, currency, slot, deal_count, amount_minor)
         select template_id, stage, coalesce(currency, ''), deal_stage_totals_slot(id), count(*), coalesce(sum(amount_minor), 0)
           from deals where template_id is not null group by 1, 2, 3, 4`);
      await client.query('alter table deals enable trigger deals_stage_totals');
      return result;
    });
    await timed('deals', 'indexes', async () => { for (const def of indexes) await client.query(def); return indexes.length; });
  });
}

async function loadFinance(url, cp, upsertUsers, timed, { N, today, staff, prefixes, offsets }) {
  const D = N * DOCUMENTS_PER_COUNTERPARTY;
  const P = N * PAYMENTS_PER_COUNTERPARTY;
  const { DEMO_OWN_COMPANY } = require(join(KIT, 'index.js'));
  await inTransaction(url, 'finance', async (client) => {
    const indexes = await dropIndexes(client, ['finance_documents', 'payments', 'counterparty_refs']);
    await loadCounterpartyTable(client, cp);
    await timed('finance', 'user_refs', () => upsertUsers(client, 'user_refs'));
    await timed('finance', 'counterparty_refs', () => insertRefs(client));
    await timed('finance', 'known_accounts', () => client.query('insert into known_accounts (counterparty_id, account) select id, account from bench_cp order by n'));
    const facts = `x.type in ('CONTRACT','INVOICE','ACT','SUPPLEMENTARY_AGREEMENT') and x.status in ('SIGNED','IN_FORCE','EXECUTED','TERMINATED')`;
    // the signed contracts, invoices, acts and agreements as documents' `signed` events leave them
    await timed('finance', 'finance_documents', () => client.query(
      `insert into finance_documents (id, type, counterparty_id, contract_id, invoice_id, number, title, date, amount_minor, currency, due_date, start_date, end_date, period_end, status, verified, responsible_id, signed_at, updated_at)
       select ${idSql('document', 'x.d')}, x.type, ${idSql('counterparty', 'x.c')}, case when x.type <> 'CONTRACT' then ${idSql('document', `x.d - x.k`)} end, null, x.number,
              ${titleSql('x')} || ' — ' || ($5::text[])[x.h % cardinality($5::text[]) + 1], x.date, x.amount, 'RUB',
              case when x.type = 'INVOICE' then x.date + 10 end, case when x.type = 'CONTRACT' then ${contractStartSql('x', '$2')} end, case when x.type = 'CONTRACT' then ${contractStartSql('x', '$2')} + 365 end,
              case when x.type = 'ACT' then x.date end, x.status, true, ($6::uuid[])[x.c % cardinality($6::uuid[]) + 1], x.date + time '15:00', x.date + time '15:00'
         from (${numberedDocumentsSql('$1', '$2', '$3', '$4', 4)}) x where ${facts} order by x.d`, [D, today, prefixes, offsets, SUBJECTS, staff]));
    // payments: 8 of 10 incoming (the first four pay the counterparty's two invoices in halves), 2 outgoing; 90% matched
    await timed('finance', 'payments', () => client.query(
      `insert into payments (id, fingerprint, direction, number, date, amount_minor, currency, payer_name, payer_inn, payer_kpp, payer_account, payer_bic,
                             payee_name, payee_inn, payee_kpp, payee_account, payee_bic, purpose, debited_at, credited_at, counterparty_id, contract_id, invoice_id,
                             match_status, match_confidence, match_reasons, matched_at, created_at)
       select ${idSql('payment', 'y.p')},
              encode(sha256(convert_to(y.date || '|' || y.number || '|' || y.amount || '|' || y.payer_account || '|' || y.payee_account || '|' || y.direction, 'UTF8')), 'hex'),
              y.direction, y.number, y.date, y.amount, 'RUB', y.payer_name, y.payer_inn, y.payer_kpp, y.payer_account, y.payer_bic,
              y.payee_name, y.payee_inn, y.payee_kpp, y.payee_account, y.payee_bic, y.purpose, y.date, y.date,
              case when y.match = 'MATCHED' then y.cp_id end, case when y.match = 'MATCHED' and y.invoice_id is not null then y.contract_id end,
              case when y.match = 'MATCHED' then y.invoice_id end, y.match,
              case y.match when 'MATCHED' then 1 when 'AMBIGUOUS' then 0.5 else 0 end,
              case y.match when 'MATCHED' then '["inn","account"]'::jsonb when 'AMBIGUOUS' then '["inn"]'::jsonb else '[]'::jsonb end,
              case when y.match = 'MATCHED' then y.date + time '18:00' end, y.date + time '18:00'
         from (
           select q.p, q.direction, q.number, q.date, q.amount, q.match, b.id as cp_id, q.invoice_id, q.contract_id,
                  case when q.incoming then b.name else $3 end as payer_name, case when q.incoming then b.inn else $4 end as payer_inn,
                  case when q.incoming then b.kpp else $5 end as payer_kpp, case when q.incoming then b.account else $6 end as payer_account,
                  case when q.incoming then b.bik else $7 end as payer_bic,
                  case when q.incoming then $3 else b.name end as payee_name, case when q.incoming then $4 else b.inn end as payee_inn,
                  case when q.incoming then $5 else b.kpp end as payee_kpp, case when q.incoming then $6 else b.account end as payee_account,
                  case when q.incoming then $7 else b.bik end as payee_bic,
                  case when q.invoice_id is not null then 'Оплата по счёту ' || q.inv_number || ' от ' || to_char(q.inv_date, 'DD.MM.YYYY') || ', в т.ч. НДС 20%'
                       when q.incoming then 'Оплата по договору, в т.ч. НДС 20%' else 'Оплата услуг по договору, НДС не облагается' end as purpose
             from (
               select s.p, s.c, s.incoming, case when s.incoming then 'INCOMING' else 'OUTGOING' end as direction, (1000 + s.p % 899000)::text as number,
                      coalesce(inv.date + 3 + (s.j / 2) * 5, $2::date - ((s.h / 100) % 1095)::int) as date,
                      coalesce(inv.amount_minor / 2, ((s.h / 1000) % 4990 + 10) * 10000) as amount,
                      case when s.h % 100 < 90 then 'MATCHED' when s.h % 100 < 95 then 'AMBIGUOUS' else 'UNMATCHED' end as match,
                      inv.id as invoice_id, inv.contract_id, inv.number as inv_number, inv.date as inv_date
                 from (select p, p / ${PAYMENTS_PER_COUNTERPARTY} as c, p % ${PAYMENTS_PER_COUNTERPARTY} as j, p % ${PAYMENTS_PER_COUNTERPARTY} < 8 as incoming, (p::bigint * 3266489917 + 7) % 4294967291 as h
                         from generate_series(0, $1::int - 1) p) s
                 left join finance_documents inv on s.j < 4 and inv.id = ${idSql('document', `s.c * ${DOCUMENTS_PER_COUNTERPARTY} + 1 + s.j % 2`)}
             ) q join bench_cp b on b.n = q.c
         ) y order by y.p`,
      [P, today, DEMO_OWN_COMPANY.name, DEMO_OWN_COMPANY.inn, DEMO_OWN_COMPANY.kpp, DEMO_OWN_COMPANY.account, DEMO_OWN_COMPANY.bik]));
    await timed('finance', 'indexes', async () => { for (const def of indexes) await client.query(def); return indexes.length; });
  });
}

async function main() {
  const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')).map(([key, value]) => [key, value ?? 'true']));
  const scale = Number(args.scale ?? process.env.BENCH_DATA_SCALE ?? 1);
  if (!(scale > 0)) throw new Error(`--scale must be a positive number, got ${args.scale}`);
  const urls = databaseUrls();
  const json = args.json === 'true';
  const log = json ? () => undefined : (line) => console.log(line);
  log(`bench:data scale ${scale}: ${JSON.stringify(countsFor(scale))}`);
  const result = await generateBenchData({ urls, scale, log });
  if (json) console.log(JSON.stringify(result));
  else {
    if (result.cpu.backends.length) {
      log(`CPU seconds: ${result.cpu.backends.map((entry) => `${entry.label} ${entry.cpuSeconds.toFixed(1)}`).join(', ')}, generator ${result.cpu.nodeSeconds.toFixed(1)}; total ${result.cpu.totalSeconds.toFixed(1)}`);
      log(`on an idle 2-core machine (CPU-bound estimate): ${result.cpu.idleTwoCoreSeconds.toFixed(1)} s`);
    }
    console.log(`total ${(result.totalMs / 1000).toFixed(1)} s (wall)`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
