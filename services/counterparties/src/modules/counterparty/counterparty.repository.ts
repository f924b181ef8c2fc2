import { type ConnectionShape, decodeCursor, encodeCursor, groupByKeys, isUuid, toConnection, UserInputError } from '@kartoteka/kit';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Counterparty, CounterpartyBankAccount, CounterpartyContact, type CounterpartyStatus } from './counterparty.entity';
import { CounterpartyChange } from './counterparty-change.entity';

/** A piece of SQL with its `?` parameters (MikroORM escapes and inlines them). */
type Sql = { text: string; params: unknown[] };

function isSql(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && 'text' in value && 'params' in value;
}

/** Tagged template: interpolated values become parameters, interpolated Sql pieces are spliced in. */
function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  let text = strings[0];
  const params: unknown[] = [];
  values.forEach((value, index) => {
    if (isSql(value)) {
      text += value.text;
      params.push(...value.params);
    } else {
      text += '?';
      params.push(value);
    }
    text += strings[index + 1];
  });
  return { text, params };
}

function joinSql(parts: Sql[], separator: string): Sql {
  return { text: parts.map((part) => part.text).join(separator), params: parts.flatMap((part) => part.params) };
}

/** Trusted SQL text (never user input). */
function raw(text: string): Sql {
  return { text, params: [] };
}

const EMPTY = raw('');

/**
 * Minimum word similarity (pg_trgm) for a name to match a search: one wrong letter in a 7-letter word
 * ("рамашка" for «Ромашка») scores 0.5, unrelated names stay well below 0.4.
 */
export const SEARCH_SIMILARITY_THRESHOLD = 0.4;


function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}

export type CounterpartyListQuery = { search?: string | null; status?: CounterpartyStatus | null; first: number; after?: string | null };

type SearchMode =
  | { kind: 'none' }
  | { kind: 'digits'; digits: string }
  | { kind: 'text'; text: string };

function searchModeOf(search: string | null | undefined): SearchMode {
  const text = (search ?? '').trim().replace(/\s+/g, ' ');
  if (!text) return { kind: 'none' };
  if (/^[\d ]+$/.test(text)) return { kind: 'digits', digits: text.replace(/ /g, '') };
  return { kind: 'text', text };
}

/** The better pg_trgm similarity of the search to the full or the short name. */
function similarityTo(kind: 'word_similarity' | 'similarity', search: string): Sql {
  const fn = raw(kind);
  return sql`greatest(${fn}(lower(${search}), lower(c.name)), coalesce(${fn}(lower(${search}), lower(c.short_name)), 0))`;
}

/**
 * Relevance of a row for a search, numeric with 4 decimals so that keyset cursors compare exactly.
 * Names: 1 when a name contains the search literally, plus how well the search matches a word sequence of
 * the name (word similarity, typo-tolerant), plus half of how close it is to the whole name (similarity:
 * «Ромашка» before «Ромашка-Плюс Трейд» for "ромашка"). INN / OGRN prefix: 1 for an exact number, else 0.
 */
function relevance(mode: Exclude<SearchMode, { kind: 'none' }>): { match: Sql; score: Sql } {
  if (mode.kind === 'digits') {
    const prefix = `${mode.digits}%`;
    return {
      match: sql`(c.inn like ${prefix} or c.ogrn like ${prefix})`,
      score: sql`(case when c.inn = ${mode.digits} or c.ogrn = ${mode.digits} then 1 else 0 end)::numeric(6, 4)`,
    };
  }
  const pattern = `%${escapeLike(mode.text)}%`;
  // Plain ORs of indexable conditions (no coalesce): the trigram indexes serve both `like` and `<%`.
  const contains = sql`(lower(c.name) like lower(${pattern}) or lower(c.short_name) like lower(${pattern}))`;
  return {
    match: sql`(${contains} or lower(${mode.text}) <% lower(c.name) or lower(${mode.text}) <% lower(c.short_name))`,
    score: sql`round((${similarityTo('word_similarity', mode.text)} + ${similarityTo('similarity', mode.text)} / 2 + case when ${contains} then 1 else 0 end)::numeric, 4)`,
  };
}

function invalidCursor(): never {
  throw new UserInputError('after', 'The cursor is not valid for this list');
}

/** SQL of the counterparties subgraph: list and search, batched loads of the card's parts, row locks. */
export class CounterpartyRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * One page of counterparties. Without a search: by name, then id. With a search: by relevance, then id.
   * Both orders are keyset-paginated with cursors that say which order they belong to.
   */
  async list(query: CounterpartyListQuery): Promise<ConnectionShape<Counterparty>> {
    const mode = searchModeOf(query.search);
    const filters: Sql[] = [query.status ? sql`c.status = ${query.status}` : sql`c.status <> 'ARCHIVED'`];

    if (mode.kind === 'none') {
      const where = joinSql(filters, ' and ');
      let keyset = EMPTY;
      if (query.after) {
        const [tag, name, id] = decodeCursor(query.after, ['string', 'string', 'uuid']);
        if (tag !== 'n' || typeof name !== 'string' || typeof id !== 'string' || !isUuid(id)) invalidCursor();
        keyset = sql` and (c.name, c.id) > (${name}, ${id}::uuid)`;
      }
      const [rows, total] = await Promise.all([
        this.rows(sql`select c.* from counterparties c where ${where}${keyset} order by c.name asc, c.id asc limit ${query.first + 1}`),
        this.count(sql`select count(*)::int as total from counterparties c where ${where}`),
      ]);
      const counterparties = rows.map((row) => this.em.map(Counterparty, row));
      return toConnection(counterparties, query.first, total, (row) => encodeCursor(['n', row.name, row.id]));
    }

    const { match, score } = relevance(mode);
    const where = joinSql([...filters, match], ' and ');
    let keyset = EMPTY;
    if (query.after) {
      const [tag, after, id] = decodeCursor(query.after, ['string', 'decimal', 'uuid']);
      if (tag !== 's' || typeof after !== 'string' || !/^\d+(\.\d+)?$/.test(after) || typeof id !== 'string' || !isUuid(id)) invalidCursor();
      keyset = sql` where ranked.search_score < ${after}::numeric or (ranked.search_score = ${after}::numeric and ranked.id > ${id}::uuid)`;
    }
    // The typo tolerance of `<%` is a setting: set it for this transaction only.
    const { rows, total } = await this.em.transactional(async (tx) => {
      await tx.execute(`select set_config('pg_trgm.word_similarity_threshold', '${SEARCH_SIMILARITY_THRESHOLD}', true)`);
      const repository = new CounterpartyRepository(tx);
      return {
        rows: await repository.rows(
          sql`select ranked.* from (select c.*, ${score} as search_score from counterparties c where ${where}) ranked${keyset} order by ranked.search_score desc, ranked.id asc limit ${query.first + 1}`,
        ),
        total: await repository.count(sql`select count(*)::int as total from counterparties c where ${where}`),
      };
    });
    const scores = new Map<string, string>();
    const counterparties = rows.map(({ search_score: rowScore, ...row }) => {
      const counterparty = this.em.map(Counterparty, row);
      scores.set(counterparty.id, String(rowScore));
      return counterparty;
    });
    return toConnection(counterparties, query.first, total, (counterparty) => encodeCursor(['s', scores.get(counterparty.id) ?? '0', counterparty.id]));
  }

  findByIds(ids: readonly string[]): Promise<Counterparty[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.em.find(Counterparty, { id: { $in: valid } }) : Promise.resolve([]);
  }

  /** Contacts of many counterparties in one query, grouped and ordered as entered. */
  async contactsOf(ids: readonly string[]): Promise<CounterpartyContact[][]> {
    const rows = await this.em.find(CounterpartyContact, { counterparty: { $in: [...ids] } }, { orderBy: { sortOrder: 'asc' } });
    return groupByKeys(ids, rows, (row) => row.counterparty.id);
  }

  /** Bank accounts of many counterparties in one query. */
  async bankAccountsOf(ids: readonly string[]): Promise<CounterpartyBankAccount[][]> {
    const rows = await this.em.find(CounterpartyBankAccount, { counterparty: { $in: [...ids] } }, { orderBy: { sortOrder: 'asc' } });
    return groupByKeys(ids, rows, (row) => row.counterparty.id);
  }

  /** The same page of history (newest first) for many counterparties: two queries whatever their number. */
  async historyOf(ids: readonly string[], first: number, after: string | null | undefined): Promise<ConnectionShape<CounterpartyChange>[]> {
    let before = EMPTY;
    if (after) {
      const [version] = decodeCursor(after, ['int32']);
      if (typeof version !== 'number' || !Number.isInteger(version)) invalidCursor();
      before = sql` and x.version < ${version}`;
    }
    const [rows, totals] = await Promise.all([
      this.rows(
        sql`select page.* from unnest(array[${[...ids]}]::uuid[]) as k(id) cross join lateral (select x.* from counterparty_changes x where x.counterparty_id = k.id${before} order by x.version desc limit ${first + 1}) page`,
      ),
      this.em.execute<{ counterparty_id: string; total: number }[]>(
        ...args(sql`select counterparty_id, count(*)::int as total from counterparty_changes where counterparty_id in (${[...ids]}) group by counterparty_id`),
      ),
    ]);
    const changes = groupByKeys(
      ids,
      rows.map((row) => this.em.map(CounterpartyChange, row)),
      (change) => change.counterparty.id,
    );
    const totalOf = new Map(totals.map((row) => [row.counterparty_id, row.total]));
    return ids.map((id, index) => toConnection(changes[index], first, totalOf.get(id) ?? 0, (change) => encodeCursor([change.version])));
  }

  /** Another active counterparty with this INN + KPP (a null KPP is a value of its own), if any. */
  findActiveDuplicate(inn: string, kpp: string | null, exceptId: string | null): Promise<Counterparty | null> {
    return this.em.findOne(Counterparty, { inn, kpp, status: { $ne: 'ARCHIVED' }, ...(exceptId ? { id: { $ne: exceptId } } : {}) });
  }

  /**
   * Loads a counterparty for a change with its row locked until the transaction ends (concurrent changes
   * wait, then see the new version), and its lists when the change needs them.
   */
  async lockForChange(id: string, options: { withLists: boolean }): Promise<Counterparty | null> {
    if (!isUuid(id)) return null;
    const counterparty = await this.em.findOne(Counterparty, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!counterparty) return null;
    if (options.withLists) {
      await counterparty.contacts.init();
      await counterparty.bankAccounts.init();
    }
    return counterparty;
  }

  private rows(query: Sql): Promise<Record<string, unknown>[]> {
    return this.em.execute<Record<string, unknown>[]>(...args(query));
  }

  private async count(query: Sql): Promise<number> {
    const [row] = await this.em.execute<{ total: number }[]>(...args(query));
    return row?.total ?? 0;
  }
}

function args(query: Sql): [string, unknown[]] {
  return [query.text, query.params];
}
