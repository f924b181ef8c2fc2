import { cappedCountOf, type ConnectionShape, type CountedConnection, decodeCursor, encodeCursor, groupByKeys, isUuid, preparedRows, readOnlyMapper, toConnection, UserInputError } from '@kartoteka/kit';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Counterparty, CounterpartyBankAccount, CounterpartyContact, type CounterpartyStatus } from './counterparty.entity';
import { CounterpartyChange } from './counterparty-change.entity';
import type { RatingGrade } from '../rating/counterparty-rating.entity';

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

/**
 * The orders of the list: by name (without the legal form), INN, responsible manager, time of the last change,
 * reliability rating, or by search relevance.
 */
export type CounterpartyListOrder = 'NAME' | 'INN' | 'MANAGER' | 'UPDATED' | 'RATING' | 'RELEVANCE';
export type SortDirection = 'ASC' | 'DESC';

/** The direction of an order when none is asked for: names and numbers A→Z, the last changed and the best rated first. */
export const DEFAULT_DIRECTION: Record<Exclude<CounterpartyListOrder, 'RELEVANCE'>, SortDirection> = {
  NAME: 'ASC',
  INN: 'ASC',
  MANAGER: 'ASC',
  UPDATED: 'DESC',
  RATING: 'DESC',
};

/** At most this many ids in one `counterpartiesByIds`. */
export const MAX_IDS = 50;

/**
 * The orders by one key and the id: the key's SQL (read as text into the cursor and cast back to `type` to
 * compare, so timestamps keep their microseconds), and whether it needs the managers' names.
 * MANAGER: by the manager's name, counterparties without one after all others (U+10FFFF sorts last in the
 * databases' C.UTF-8 collation); its rows are sorted, not walked on an index (the names live in the read model).
 */
const KEYED_ORDERS: Record<'NAME' | 'INN' | 'MANAGER' | 'UPDATED', { key: string; type: string; manager: boolean }> = {
  NAME: { key: 'c.sort_name', type: 'text', manager: false },
  INN: { key: 'c.inn', type: 'text', manager: false },
  MANAGER: { key: 'coalesce(mu.name, chr(1114111))', type: 'text', manager: true },
  UPDATED: { key: 'c.updated_at', type: 'timestamptz', manager: false },
};

export type CounterpartyListQuery = {
  search?: string | null;
  status?: CounterpartyStatus | null;
  /** Only counterparties rated at least this (0–100); unrated ones are left out. */
  minRating?: number | null;
  /** Only counterparties with one of these grades; empty or null: any (rated or not). */
  ratingGrades?: readonly RatingGrade[] | null;
  /** null: by relevance with a search, by name without. */
  sort?: Exclude<CounterpartyListOrder, 'RELEVANCE'> | null;
  /** null: the order's default (DEFAULT_DIRECTION); ignored for relevance. */
  direction?: SortDirection | null;
  first: number;
  after?: string | null;
  /** false: `totalCount` stays 0 and nothing is counted (an export's later pages, a query that does not select it). */
  withTotal?: boolean;
  /** Also count the matching rows up to this cap (counterparty.count.ts). */
  countUpTo?: number | null;
};

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

/**
 * The better pg_trgm similarity of the search to the full or the short name. pg_trgm lowercases the words it takes
 * trigrams of, so the names go in as they are: `lower()` of every matching name in each function cost a few per cent
 * of the search and changes no score (the search is lowercased once, a constant).
 */
function similarityTo(kind: 'word_similarity' | 'similarity', search: string): Sql {
  const fn = raw(kind);
  return sql`greatest(${fn}(lower(${search}), c.name), coalesce(${fn}(lower(${search}), c.short_name), 0))`;
}

/**
 * Relevance of a row for a search, numeric with 4 decimals so that keyset cursors compare exactly.
 * Names: 1 when a name contains the search literally, plus how well the search matches a word sequence of
 * the name (word similarity, typo-tolerant), plus half of how close it is to the whole name (similarity:
 * «Ромашка» before «Ромашка-Плюс Трейд» for "ромашка"). INN / OGRN prefix: 1 for an exact number, else 0.
 *
 * `match` is the condition as one OR (the keyed orders filter with it); `branches` are the same matches split into
 * disjoint conditions, each led by one indexable condition, for the relevance order to scan one after the other
 * (`union all`). With the OR, PostgreSQL rechecks every trigram candidate against the whole OR and then filters it
 * with the whole OR again (the `<%` operators are stable, so it cannot prove the second pass redundant): a typo's
 * candidates paid word similarity twice before being scored. A branch evaluates its own condition once, after the
 * cheap "does not contain" tests that leave the literal matches to the first branch.
 */
function relevance(mode: Exclude<SearchMode, { kind: 'none' }>): { match: Sql; branches: Sql[]; score: Sql } {
  if (mode.kind === 'digits') {
    const prefix = `${mode.digits}%`;
    const match = sql`(c.inn like ${prefix} or c.ogrn like ${prefix})`;
    return {
      match,
      branches: [match],
      score: sql`(case when c.inn = ${mode.digits} or c.ogrn = ${mode.digits} then 1 else 0 end)::numeric(6, 4)`,
    };
  }
  const pattern = `%${escapeLike(mode.text)}%`;
  // Plain ORs of indexable conditions (no coalesce): the trigram indexes serve both `like` and `<%`.
  const contains = sql`(lower(c.name) like lower(${pattern}) or lower(c.short_name) like lower(${pattern}))`;
  const containsNot = sql`not (lower(c.name) like lower(${pattern})) and (c.short_name is null or not (lower(c.short_name) like lower(${pattern})))`;
  const nameLike = sql`lower(${mode.text}) <% lower(c.name)`;
  const shortNameLike = sql`lower(${mode.text}) <% lower(c.short_name)`;
  return {
    match: sql`(${contains} or ${nameLike} or ${shortNameLike})`,
    branches: [contains, sql`${containsNot} and ${nameLike}`, sql`${containsNot} and not (${nameLike}) and ${shortNameLike}`],
    score: sql`round((${similarityTo('word_similarity', mode.text)} + ${similarityTo('similarity', mode.text)} / 2 + case when ${contains} then 1 else 0 end)::numeric, 4)`,
  };
}

function invalidCursor(): never {
  throw new UserInputError('after', 'The cursor is not valid for this list');
}

/** The cursor of a change in a counterparty's history (newest first, by version). */
const historyCursor = (change: CounterpartyChange): string => encodeCursor([change.version]);

/** What the card asks for besides the counterparty's own columns (`historyFirst`: the size of the history's first page). */
export type CardParts = { contacts: boolean; bankAccounts: boolean; historyFirst: number | null };

type KnownUserRow = { id: string; name: string };

/** A counterparty read for its card, with the parts asked for and the users the read model knows among `userIds`. */
export type CardRow = {
  counterparty: Counterparty;
  contacts?: CounterpartyContact[];
  bankAccounts?: CounterpartyBankAccount[];
  history?: ConnectionShape<CounterpartyChange>;
  /** The user ids the card refers to (manager, history actors) and those of them the read model knows. */
  userIds: (string | null)[];
  users: KnownUserRow[];
};

/** SQL of the counterparties subgraph: list and search, batched loads of the card's parts, row locks. */
export class CounterpartyRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * One page of counterparties, keyset-paginated with cursors that say which order they belong to:
   * - by one key, then id, in either direction (KEYED_ORDERS): `NAME` (no search, or `sort: NAME`) by the name
   *   without its legal form (the generated `sort_name`), `INN`, `MANAGER`, `UPDATED`;
   * - with a search and no `sort`, by relevance, then id;
   * - `sort: RATING`: by the stored copy of finance's rating, best first (`DESC`) or worst first (`ASC`), unrated
   *   last, then by the name's sort key and id (so ties and the unrated tail page exactly).
   * A cursor names its order and direction: one of another order is refused (BAD_USER_INPUT on `after`).
   * Rating filters and the rating order join `counterparty_ratings` (finance's ratings, kept from its events).
   */
  async list(query: CounterpartyListQuery): Promise<CountedConnection<Counterparty>> {
    const mode = searchModeOf(query.search);
    const order: CounterpartyListOrder = query.sort ?? (mode.kind === 'none' ? 'NAME' : 'RELEVANCE');
    const direction: SortDirection = order === 'RELEVANCE' ? 'DESC' : (query.direction ?? DEFAULT_DIRECTION[order]);
    const tag = `${order}:${direction}`;
    const ratingFilters: Sql[] = [];
    if (query.minRating !== null && query.minRating !== undefined) {
      if (!Number.isFinite(query.minRating) || query.minRating < 0 || query.minRating > 100) throw new UserInputError('minRating', 'minRating must be between 0 and 100');
      ratingFilters.push(sql`r.score >= ${query.minRating}`);
    }
    const grades = [...new Set(query.ratingGrades ?? [])];
    if (grades.length) ratingFilters.push(sql`r.grade in (${grades})`);
    const filters: Sql[] = [query.status ? sql`c.status = ${query.status}` : sql`c.status <> 'ARCHIVED'`, ...ratingFilters];
    const withRating = order === 'RATING' || ratingFilters.length > 0;
    const from = withRating ? raw('counterparties c left join counterparty_ratings r on r.counterparty_id = c.id') : raw('counterparties c');

    // the relevance order's matches: the rows of each branch (disjoint) with their scores
    let scored: Sql | null = null;
    if (mode.kind !== 'none') {
      const { match, branches, score } = relevance(mode);
      const others = joinSql(filters, ' and ');
      scored = joinSql(
        branches.map((branch) => sql`select c.id, ${score} as search_score from ${from} where ${others} and ${branch}`),
        ' union all ',
      );
      filters.push(match);
    }
    const where = joinSql(filters, ' and ');
    const count = sql`select count(*)::int as total from ${from} where ${where}`;
    const countUpTo = query.countUpTo ?? null;
    const cappedCount = countUpTo === null ? null : sql`select count(*)::int as total from (select 1 from ${from} where ${where} limit ${countUpTo + 1}) capped`;
    const limit = query.first + 1;

    let page: Sql;
    let cursorOf: (row: Record<string, unknown>) => string;
    if (order !== 'RATING' && order !== 'RELEVANCE') {
      const { key, type, manager } = KEYED_ORDERS[order];
      const compare = raw(direction === 'ASC' ? '>' : '<');
      const dir = raw(direction === 'ASC' ? 'asc' : 'desc');
      let keyset = EMPTY;
      if (query.after) {
        const [cursorTag, value, id] = decodeCursor(query.after, ['string', 'string', 'uuid']);
        if (cursorTag !== tag) invalidCursor();
        keyset = sql` and (${raw(key)}, c.id) ${compare} (${value}::${raw(type)}, ${id}::uuid)`;
      }
      const source = manager ? sql`${from} left join user_refs mu on mu.id = c.responsible_manager_id` : from;
      page = sql`select c.*, (${raw(key)})::text as sort_key from ${source} where ${where}${keyset} order by ${raw(key)} ${dir}, c.id ${dir} limit ${limit}`;
      cursorOf = (row) => encodeCursor([tag, String(row.sort_key), String(row.id)]);
    } else if (order === 'RATING') {
      // Two index walks, each stopping after a page: the rated ones by score (best first by default; the ratings'
      // score index, then the name within a score), then the unrated ones by name, last in both directions.
      // Sorting all 100k rows by the joined score is not needed.
      const best = direction === 'DESC';
      let ratedKeyset = EMPTY;
      let unratedKeyset = EMPTY;
      let rated = true;
      if (query.after) {
        const [cursorTag, score, name, id] = decodeCursor(query.after, ['string', 'decimal?', 'string', 'uuid']);
        if (cursorTag !== tag) invalidCursor();
        const next = sql`(c.sort_name, c.id) > (${name}, ${id}::uuid)`;
        if (score === null) {
          rated = false;
          unratedKeyset = sql` and ${next}`;
        } else {
          ratedKeyset = best
            ? sql` and r.score <= ${score}::numeric and (r.score < ${score}::numeric or ${next})`
            : sql` and r.score >= ${score}::numeric and (r.score > ${score}::numeric or ${next})`;
        }
      }
      const scoreOrder = raw(best ? 'desc' : 'asc');
      const ratedPage = sql`select c.*, r.score as rating_score from counterparty_ratings r join counterparties c on c.id = r.counterparty_id
        where r.score is not null and ${where}${ratedKeyset} order by r.score ${scoreOrder} nulls last, c.sort_name asc, c.id asc limit ${limit}`;
      // a rating filter leaves the unrated ones out
      const unratedPage = ratingFilters.length
        ? null
        : sql`select c.*, null::numeric as rating_score from counterparties c
            where not exists (select 1 from counterparty_ratings r where r.counterparty_id = c.id and r.score is not null) and ${where}${unratedKeyset}
            order by c.sort_name asc, c.id asc limit ${limit}`;
      const parts = [...(rated ? [ratedPage] : []), ...(unratedPage ? [unratedPage] : [])].map((part) => sql`(${part})`);
      page = parts.length
        ? sql`select u.* from (${joinSql(parts, ' union all ')}) u order by u.rating_score ${scoreOrder} nulls last, u.sort_name asc, u.id asc limit ${limit}`
        : sql`select c.*, null::numeric as rating_score from counterparties c where false`;
      cursorOf = (row) => encodeCursor([tag, row.rating_score === null || row.rating_score === undefined ? null : String(row.rating_score), String(row.sort_name), String(row.id)]);
    } else {
      let keyset = EMPTY;
      if (query.after) {
        const [cursorTag, after, id] = decodeCursor(query.after, ['string', 'decimal', 'uuid']);
        if (cursorTag !== 's') invalidCursor();
        keyset = sql` where ranked.search_score < ${after}::numeric or (ranked.search_score = ${after}::numeric and ranked.id > ${id}::uuid)`;
      }
      // Ranking by relevance scores every matching row (pg_trgm functions, the bulk of the time), so the matches are
      // scored once, kept as (id, score), and both the page and the count are read from them: one statement, and no
      // second scan of the trigram candidates for the count. The page's rows are then read by their primary key.
      page = sql`with matches as materialized (${scored ?? sql`select c.id, 0 as search_score from ${from} where ${where}`})
        select c.*, ranked.search_score, counted.match_count
          from (select count(*)::int as match_count from matches) counted
          left join lateral (select ranked.* from matches ranked${keyset} order by ranked.search_score desc, ranked.id asc limit ${limit}) ranked on true
          left join counterparties c on c.id = ranked.id
         order by ranked.search_score desc, ranked.id asc`;
      cursorOf = (row) => encodeCursor(['s', String(row.search_score), String(row.id)]);
    }

    const { rows, total, capped } =
      order === 'RELEVANCE'
        ? await this.searchPage(page).then(({ pageRows, matchCount }) => ({
            rows: pageRows,
            total: query.withTotal === false ? 0 : matchCount,
            capped: countUpTo === null ? null : Math.min(matchCount, countUpTo + 1),
          }))
        : mode.kind === 'none'
        ? await Promise.all([this.rows(page), query.withTotal === false ? 0 : this.count(count), cappedCount ? this.count(cappedCount) : null]).then(([pageRows, totalCount, cappedTotal]) => ({
            rows: pageRows,
            total: totalCount,
            capped: cappedTotal,
          }))
        : await this.withSearchThreshold(async (repository) => ({
            rows: await repository.rows(page),
            total: query.withTotal === false ? 0 : await repository.count(count),
            capped: cappedCount ? await repository.count(cappedCount) : null,
          }));
    const cursors = new Map<string, string>();
    const counterparties = rows.map((row) => {
      const columns = { ...row };
      delete columns.search_score;
      delete columns.match_count;
      delete columns.rating_score;
      delete columns.sort_key;
      const counterparty = this.em.map(Counterparty, columns);
      cursors.set(counterparty.id, cursorOf(row));
      return counterparty;
    });
    const connection = toConnection(counterparties, query.first, total, (counterparty) => cursors.get(counterparty.id) ?? '');
    return countUpTo === null || capped === null ? connection : { ...connection, cappedCount: cappedCountOf(capped, countUpTo) };
  }

  /**
   * The card: one counterparty with, in the same statement, the parts its card asks for (`parts`), so the card
   * costs one round trip here instead of one per part: the responsible manager's name (always: a left join), the
   * contacts and bank accounts, and the first page of the history with its total and its actors' names. Rows are
   * mapped to the same entities the batched loads (contactsOf, bankAccountsOf, historyOf) return.
   */
  async findCard(id: string, parts: CardParts): Promise<CardRow | null> {
    if (!isUuid(id)) return null;
    const columns: Sql[] = [raw('c.*'), raw('mu.id as card_manager_id, mu.name as card_manager_name')];
    if (parts.contacts) columns.push(raw(`(select coalesce(jsonb_agg(to_jsonb(x) order by x.sort_order), '[]'::jsonb) from counterparty_contacts x where x.counterparty_id = c.id) as card_contacts`));
    if (parts.bankAccounts) columns.push(raw(`(select coalesce(jsonb_agg(to_jsonb(x) order by x.sort_order), '[]'::jsonb) from counterparty_bank_accounts x where x.counterparty_id = c.id) as card_bank_accounts`));
    if (parts.historyFirst !== null) {
      columns.push(
        sql`(select coalesce(jsonb_agg(to_jsonb(h) || jsonb_build_object('card_actor_id', u.id, 'card_actor_name', u.name) order by h.version desc), '[]'::jsonb) from (select x.* from counterparty_changes x where x.counterparty_id = c.id order by x.version desc limit ${parts.historyFirst + 1}) h left join user_refs u on u.id = h.actor_id) as card_history`,
        raw('(select count(*)::int from counterparty_changes x where x.counterparty_id = c.id) as card_history_total'),
      );
    }
    const statement = sql`select ${joinSql(columns, ', ')} from counterparties c left join user_refs mu on mu.id = c.responsible_manager_id where c.id = ${id}`;
    // a prepared statement (kit's preparedRows): planning this statement cost more than running it
    const [row] = await preparedRows(this.em, statement.text, statement.params);
    if (!row) return null;
    const { card_manager_id: managerId, card_manager_name: managerName, card_contacts: contacts, card_bank_accounts: bankAccounts, card_history: history, card_history_total: historyTotal, ...own } = row;
    // read-only entities (kit's readOnlyMapper): a card is never written, so no identity map or change tracking
    const counterparty = readOnlyMapper(this.em, Counterparty)(own);
    const known = [counterparty];
    const users: KnownUserRow[] = managerId ? [{ id: String(managerId), name: String(managerName) }] : [];
    const card: CardRow = { counterparty, users, userIds: [counterparty.responsibleManagerId] };
    if (Array.isArray(contacts)) {
      const contact = readOnlyMapper(this.em, CounterpartyContact);
      card.contacts = contacts.map((row: Record<string, unknown>) => contact(row, known));
    }
    if (Array.isArray(bankAccounts)) {
      const bankAccount = readOnlyMapper(this.em, CounterpartyBankAccount);
      card.bankAccounts = bankAccounts.map((row: Record<string, unknown>) => bankAccount(row, known));
    }
    if (Array.isArray(history) && parts.historyFirst !== null) {
      const change = readOnlyMapper(this.em, CounterpartyChange);
      const changes = history.map(({ card_actor_id: actorId, card_actor_name: actorName, ...row }: Record<string, unknown>) => {
        if (actorId) users.push({ id: String(actorId), name: String(actorName) });
        return change(row, known);
      });
      for (const change of changes) if (change.actorKind === 'user') card.userIds.push(change.actorId);
      card.history = toConnection(changes, parts.historyFirst, Number(historyTotal ?? 0), historyCursor);
    }
    return card;
  }

  /**
   * Counterparties by id, in no particular order, as read-only entities (kit's readOnlyMapper): the references other
   * subgraphs resolve (a deal board asks for hundreds at once) and `counterpartiesByIds` only read them, so no
   * identity map or change tracking. Load with `em.findOne` to change one.
   */
  async findByIds(ids: readonly string[]): Promise<Counterparty[]> {
    const valid = ids.filter(isUuid);
    if (!valid.length) return [];
    const toCounterparty = readOnlyMapper(this.em, Counterparty);
    return (await this.rows(sql`select c.* from counterparties c where c.id in (${valid})`)).map((row) => toCounterparty(row));
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
    return ids.map((id, index) => toConnection(changes[index], first, totalOf.get(id) ?? 0, historyCursor));
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

  /**
   * Runs `work` in a transaction with the search's typo tolerance of `<%` (a setting, set for this transaction only),
   * and without parallel workers: the relevance search's `union all` of index scans is planned as a Parallel Append
   * otherwise, two more processes for a ~40 ms statement, which on a busy server only add their start-up and contend
   * with the other requests' statements.
   */
  private withSearchThreshold<T>(work: (repository: CounterpartyRepository) => Promise<T>): Promise<T> {
    return this.em.transactional(async (tx) => {
      await tx.execute(`select set_config('pg_trgm.word_similarity_threshold', '${SEARCH_SIMILARITY_THRESHOLD}', true), set_config('max_parallel_workers_per_gather', '0', true)`);
      return work(new CounterpartyRepository(tx));
    });
  }

  /**
   * A page in relevance order and the number of all matching rows, from the one statement built by `list`: its rows
   * carry `match_count`; an empty page comes back as one row without a counterparty (no id).
   */
  private async searchPage(page: Sql): Promise<{ pageRows: Record<string, unknown>[]; matchCount: number }> {
    const rows = await this.withSearchThreshold((repository) => repository.rows(page));
    return { pageRows: rows.filter((row) => row.id !== null && row.id !== undefined), matchCount: Number(rows[0]?.match_count ?? 0) };
  }
}

function args(query: Sql): [string, unknown[]] {
  return [query.text, query.params];
}
