import { decodeCursor, encodeCursor, isUuid, toConnection, UserInputError, type ConnectionShape, type LoaderRegistry } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { TIMELINE_KINDS, TimelineEntry, type TimelineKind } from './timeline-entry.entity';

export type TimelineQuery = { first: number; after?: string | null; kinds?: readonly TimelineKind[] | null; from?: Date | null; to?: Date | null };

type Filter = { first: number; after: { at: string; id: string } | null; kinds: TimelineKind[] | null; from: Date | null; to: Date | null };

function cursorOf(entry: TimelineEntry): string {
  return encodeCursor([entry.occurredAt.toISOString(), entry.eventId]);
}

/** Checks the arguments (typed BAD_USER_INPUT on the argument's name) before anything is read. */
export function checkTimelineQuery(query: TimelineQuery): Filter {
  if (!Number.isInteger(query.first) || query.first < 1 || query.first > 100) throw new UserInputError('first', 'first must be between 1 and 100');
  const after = query.after ? decodeCursor(query.after, ['timestamp', 'uuid'] as const) : null;
  const kinds = query.kinds ? [...new Set(query.kinds)] : null;
  if (kinds && !kinds.length) throw new UserInputError('kinds', 'Choose at least one kind, or leave kinds out for all of them');
  if (kinds?.some((kind) => !(TIMELINE_KINDS as readonly string[]).includes(kind))) throw new UserInputError('kinds', 'Unknown kind');
  for (const [field, value] of [['from', query.from], ['to', query.to]] as const) {
    if (value && Number.isNaN(value.getTime())) throw new UserInputError(field, `${field} is not a valid date-time`);
  }
  if (query.from && query.to && query.from.getTime() > query.to.getTime()) throw new UserInputError('to', '"to" must not be before "from"');
  return { first: query.first, after: after ? { at: after[0], id: after[1] } : null, kinds, from: query.from ?? null, to: query.to ?? null };
}

/** Reads counterparties' timelines: newest first, keyset pages over (occurred_at, event_id). */
export class TimelineService {
  constructor(private readonly em: EntityManager, private readonly loaders?: LoaderRegistry) {}

  /** One page of one counterparty's timeline; the same page of many counterparties in one request is read together. */
  async page(counterpartyId: string, query: TimelineQuery): Promise<ConnectionShape<TimelineEntry>> {
    const filter = checkTimelineQuery(query);
    const id = counterpartyId.toLowerCase();
    if (!this.loaders) return (await this.pages([id], filter))[0];
    const key = JSON.stringify([filter.first, query.after ?? null, filter.kinds, filter.from?.toISOString() ?? null, filter.to?.toISOString() ?? null]);
    const loader = this.loaders.get<ConnectionShape<TimelineEntry>>(`counterparty:timeline:${key}`, (ids) => this.pages(ids, filter));
    return (await loader.load(id)) ?? toConnection([], filter.first, 0, cursorOf);
  }

  /** Two statements for any number of counterparties: a LATERAL index scan per counterparty, and the totals. */
  private async pages(counterpartyIds: readonly string[], filter: Filter): Promise<ConnectionShape<TimelineEntry>[]> {
    const ids = [...new Set(counterpartyIds.filter(isUuid).map((id) => id.toLowerCase()))];
    if (!ids.length) return counterpartyIds.map(() => toConnection<TimelineEntry>([], filter.first, 0, cursorOf));
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.kinds) {
      conditions.push('x.kind in (?)');
      params.push(filter.kinds);
    }
    if (filter.from) {
      conditions.push('x.occurred_at >= ?');
      params.push(filter.from);
    }
    if (filter.to) {
      conditions.push('x.occurred_at <= ?');
      params.push(filter.to);
    }
    const filters = conditions.map((condition) => ` and ${condition}`).join('');
    const keyset = filter.after ? ' and (x.occurred_at, x.event_id) < (?::timestamptz, ?::uuid)' : '';
    const [rows, counts] = await Promise.all([
      this.em.execute<Record<string, unknown>[]>(
        `select r.* from unnest(array[?]::uuid[]) as d(id) cross join lateral (
           select x.* from timeline_entries x where x.counterparty_id = d.id${filters}${keyset} order by x.occurred_at desc, x.event_id desc limit ?
         ) r`,
        [ids, ...params, ...(filter.after ? [filter.after.at, filter.after.id] : []), filter.first + 1],
      ),
      this.em.execute<{ counterparty_id: string; total: number }[]>(
        `select x.counterparty_id, count(*)::int as total from timeline_entries x where x.counterparty_id in (?)${filters} group by x.counterparty_id`,
        [ids, ...params],
      ),
    ]);
    const byCounterparty = new Map<string, TimelineEntry[]>();
    for (const raw of rows) {
      const entry = this.em.map(TimelineEntry, raw);
      const list = byCounterparty.get(entry.counterpartyId);
      if (list) list.push(entry);
      else byCounterparty.set(entry.counterpartyId, [entry]);
    }
    const totals = new Map(counts.map((count) => [count.counterparty_id, count.total]));
    return counterpartyIds.map((id) => {
      const key = id.toLowerCase();
      return toConnection(byCounterparty.get(key) ?? [], filter.first, totals.get(key) ?? 0, cursorOf);
    });
  }
}
