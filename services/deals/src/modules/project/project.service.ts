import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  actorId,
  ARCHIVED_COUNTERPARTY_STATUS,
  byKeys,
  ConflictError,
  type ConnectionShape,
  CounterpartyDirectory,
  decodeCursor,
  encodeCursor,
  type Identity,
  isUuid,
  NotFoundError,
  type SubgraphContext,
  toConnection,
  UserDirectory,
  UserInputError,
} from '@kartoteka/kit';
import { ProjectChange, type ProjectActorKind, ProjectChangeKind, type ProjectFieldChangeShape } from './project-change.entity';
import { Project, type ProjectMemberShape, ProjectOrder, ProjectRole, ProjectStatus } from './project.entity';
import { publishProjectNews } from './project.events';

type Context = Pick<SubgraphContext, 'em' | 'identity' | 'loaders'>;

export type ProjectMemberValue = { userId: string; role: ProjectRole };

export type NewProject = {
  name: string;
  code?: string | null;
  status?: ProjectStatus | null;
  startDate?: string | null;
  endDate?: string | null;
  description?: string | null;
  counterpartyIds: string[];
  team?: ProjectMemberValue[] | null;
  budgetMinor?: number | null;
  budgetCurrency?: string | null;
  dealIds?: string[] | null;
  documentIds?: string[] | null;
};

export type ProjectEdit = { [K in keyof Omit<NewProject, 'counterpartyIds'>]?: NewProject[K] | null } & { id: string; version: number; counterpartyIds?: string[] | null };

export type ProjectFilter = { status?: ProjectStatus | null; counterpartyId?: string | null; memberId?: string | null; search?: string | null };
export type PageArgs = { first: number; after?: string | null };

type TimeCursor = { at: string; id: string };

/** Sort keys of the other list orders, as text (ISO dates compare as text); a missing date goes last. */
const ORDER_KEYS: Record<Exclude<ProjectOrder, ProjectOrder.CREATED_DESC>, { key: string; descending: boolean }> = {
  [ProjectOrder.NAME_ASC]: { key: 'lower(p.name)', descending: false },
  [ProjectOrder.NAME_DESC]: { key: 'lower(p.name)', descending: true },
  [ProjectOrder.START_DATE_ASC]: { key: "coalesce(p.start_date::text, '9999-12-31')", descending: false },
  [ProjectOrder.START_DATE_DESC]: { key: "coalesce(p.start_date::text, '0000-01-01')", descending: true },
  [ProjectOrder.END_DATE_ASC]: { key: "coalesce(p.end_date::text, '9999-12-31')", descending: false },
  [ProjectOrder.END_DATE_DESC]: { key: "coalesce(p.end_date::text, '0000-01-01')", descending: true },
};

function cursorOf(project: Project): string {
  return encodeCursor([project.createdAt.toISOString(), project.id]);
}

function changeCursorOf(change: ProjectChange): string {
  return encodeCursor([change.at.toISOString(), change.id]);
}

function parseCursor(after: string): TimeCursor {
  const [at, id] = decodeCursor(after, ['timestamp', 'uuid']);
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || typeof id !== 'string' || !isUuid(id)) {
    throw new UserInputError('after', 'The cursor is not valid for this list');
  }
  return { at, id };
}

function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

function actorKindOf(identity: Identity): ProjectActorKind {
  return identity.kind === 'anonymous' ? 'system' : identity.kind;
}

/** Trimmed text, or null when empty. */
function optionalText(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/**
 * Projects: their rules (references checked against this service's read models and its own deals, never by
 * asking other services), their history, and the reads — lists, a counterparty's panel (one statement for any
 * number of cards), history.
 */
export class ProjectService {
  constructor(private readonly context: Context) {}

  // ---- writes -------------------------------------------------------------------------------------------

  async create(input: NewProject): Promise<Project> {
    const name = input.name.trim();
    if (!name) throw new UserInputError('name', 'Enter a name');
    const startDate = input.startDate ?? null;
    const endDate = input.endDate ?? null;
    if (startDate && endDate && endDate < startDate) throw new UserInputError('endDate', 'The end date cannot be before the start date');
    const identity = this.context.identity;
    const hasBudget = input.budgetMinor !== null && input.budgetMinor !== undefined;
    const id = await this.context.em.transactional(async (em) => {
      const counterpartyIds = await this.checkCounterparties(em, input.counterpartyIds, []);
      let team = input.team ? await this.checkTeam(em, input.team, []) : [];
      if (!input.team && identity.kind === 'user') {
        // The creator leads a project created without a team, if this service knows them (they are in the read model).
        const [creator] = await new UserDirectory(em).findByIds([identity.id]);
        if (creator?.active) team = [{ userId: creator.id, role: ProjectRole.LEAD }];
      }
      const project = em.create(Project, {
        name,
        code: optionalText(input.code),
        status: input.status ?? ProjectStatus.PLANNED,
        startDate,
        endDate,
        description: optionalText(input.description),
        counterpartyIds,
        team,
        dealIds: input.dealIds ? await this.checkDeals(em, input.dealIds) : [],
        documentIds: input.documentIds ? await this.checkDocuments(em, input.documentIds) : [],
        budgetMinor: hasBudget ? input.budgetMinor : null,
        budgetCurrency: hasBudget ? (input.budgetCurrency ?? 'RUB') : null,
        createdById: actorId(identity),
      });
      this.record(em, project.id, ProjectChangeKind.CREATED, []);
      await publishProjectNews(em, project, { created: true, changedFields: [], previousCounterpartyIds: [], identity, at: new Date() });
      await em.flush();
      return project.id;
    });
    return this.context.em.findOneOrFail(Project, { id }, { refresh: true });
  }

  async update(input: ProjectEdit): Promise<Project> {
    await this.context.em.transactional(async (em) => {
      const project = isUuid(input.id) ? await em.findOne(Project, { id: input.id.toLowerCase() }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true }) : null;
      if (!project) throw new NotFoundError('Project', input.id);
      if (project.version !== input.version) throw new ConflictError('The project was changed by someone else; reload it', { currentVersion: project.version });
      const changes: ProjectFieldChangeShape[] = [];
      const set = <K extends keyof Project>(field: K, value: Project[K]) => {
        if (sameJson(project[field], value)) return;
        changes.push({ field: String(field), from: project[field] ?? null, to: value ?? null });
        project[field] = value;
      };
      if (input.name !== undefined && input.name !== null) {
        const name = input.name.trim();
        if (!name) throw new UserInputError('name', 'Enter a name');
        set('name', name);
      }
      if (input.code !== undefined) set('code', optionalText(input.code));
      if (input.status) set('status', input.status);
      if (input.description !== undefined) set('description', optionalText(input.description));
      const startDate = input.startDate !== undefined ? input.startDate : project.startDate;
      const endDate = input.endDate !== undefined ? input.endDate : project.endDate;
      if (startDate && endDate && endDate < startDate) throw new UserInputError(input.endDate !== undefined ? 'endDate' : 'startDate', 'The end date cannot be before the start date');
      set('startDate', startDate);
      set('endDate', endDate);
      if (input.counterpartyIds) set('counterpartyIds', await this.checkCounterparties(em, input.counterpartyIds, project.counterpartyIds));
      if (input.team) set('team', await this.checkTeam(em, input.team, project.team));
      if (input.dealIds) set('dealIds', await this.checkDeals(em, input.dealIds));
      if (input.documentIds) set('documentIds', await this.checkDocuments(em, input.documentIds));
      if (input.budgetMinor !== undefined) {
        set('budgetMinor', input.budgetMinor);
        set('budgetCurrency', input.budgetMinor === null ? null : (input.budgetCurrency ?? project.budgetCurrency ?? 'RUB'));
      } else if (input.budgetCurrency && project.budgetMinor !== null) {
        set('budgetCurrency', input.budgetCurrency);
      }
      if (changes.length) {
        this.record(em, project.id, ProjectChangeKind.UPDATED, changes);
        const previousCounterpartyIds = (changes.find((change) => change.field === 'counterpartyIds')?.from as string[] | null) ?? [];
        await publishProjectNews(em, project, { created: false, changedFields: changes.map((change) => change.field), previousCounterpartyIds, identity: this.context.identity, at: new Date() });
      }
      await em.flush();
    });
    return this.context.em.findOneOrFail(Project, { id: input.id.toLowerCase() }, { refresh: true });
  }

  // ---- reads --------------------------------------------------------------------------------------------

  findById(id: string): Promise<Project | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.context.em.findOne(Project, { id: id.toLowerCase() });
  }

  findByIds(ids: readonly string[]): Promise<Project[]> {
    const valid = ids.filter(isUuid).map((id) => id.toLowerCase());
    return valid.length ? this.context.em.find(Project, { id: { $in: valid } }) : Promise.resolve([]);
  }

  /** A project by id, batched per request (tasks resolving their project). */
  projectById(id: string): Promise<Project | null> {
    const loader = this.context.loaders.get<Project>('projects:by-id', async (ids) => byKeys(ids.map((key) => key.toLowerCase()), await this.findByIds(ids), (row) => row.id));
    return loader.load(id);
  }

  /** One page of projects matching the filter, newest first, plus the total: two statements. */
  async list(filter: ProjectFilter, args: PageArgs, order: ProjectOrder = ProjectOrder.CREATED_DESC): Promise<ConnectionShape<Project>> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.status) {
      conditions.push('p.status = ?');
      params.push(filter.status);
    }
    if (filter.counterpartyId) {
      conditions.push('p.counterparty_ids @> array[?]::uuid[]');
      params.push(filter.counterpartyId.toLowerCase());
    }
    if (filter.memberId) {
      conditions.push('p.team @> ?::jsonb');
      params.push(JSON.stringify([{ userId: filter.memberId.toLowerCase() }]));
    }
    const search = filter.search?.trim();
    if (search) {
      conditions.push('(p.name ilike ? or p.code ilike ?)');
      params.push(likePattern(search), likePattern(search));
    }
    const where = conditions.length ? conditions.join(' and ') : 'true';
    const connection = this.context.em.getConnection();
    const count = connection.execute<{ total: number }[]>(`select count(*)::int as total from projects p where ${where}`, params);
    if (order === ProjectOrder.CREATED_DESC) {
      const cursor = args.after ? parseCursor(args.after) : null;
      const [rows, counts] = await Promise.all([
        connection.execute<Record<string, unknown>[]>(
          `select p.* from projects p where ${where}${cursor ? ' and (p.created_at, p.id) < (?::timestamptz, ?::uuid)' : ''} order by p.created_at desc, p.id desc limit ?`,
          [...params, ...(cursor ? [cursor.at, cursor.id] : []), args.first + 1],
        ),
        count,
      ]);
      const projects = rows.map((row) => this.context.em.map(Project, row));
      return toConnection(projects, args.first, counts[0]?.total ?? 0, cursorOf);
    }
    // Other orders: a keyset over (sort key as text, id); a missing date sorts last in either direction.
    const { key, descending } = ORDER_KEYS[order];
    const after = args.after ? decodeCursor(args.after, ['string', 'uuid']) : null;
    const compare = descending ? '<' : '>';
    const direction = descending ? 'desc' : 'asc';
    const [rows, counts] = await Promise.all([
      connection.execute<(Record<string, unknown> & { sort_key: string })[]>(
        `select p.*, ${key} as sort_key from projects p where ${where}${after ? ` and (${key}, p.id) ${compare} (?, ?::uuid)` : ''} order by ${key} ${direction}, p.id ${direction} limit ?`,
        [...params, ...(after ? [after[0], after[1]] : []), args.first + 1],
      ),
      count,
    ]);
    const keys = new Map(rows.map((row) => [String(row.id), row.sort_key]));
    const projects = rows.map(({ sort_key: _key, ...row }) => this.context.em.map(Project, row));
    return toConnection(projects, args.first, counts[0]?.total ?? 0, (project) => encodeCursor([keys.get(project.id) ?? '', project.id]));
  }

  /**
   * The projects panel of a counterparty's card. All counterparties asked for in one request with the same
   * arguments are loaded together in ONE statement: a page per counterparty (a LATERAL scan over the GIN index)
   * with its total counted by a window function before the page's limit.
   */
  async pageOfCounterparty(counterpartyId: string, args: PageArgs): Promise<ConnectionShape<Project>> {
    const cursor = args.after ? parseCursor(args.after) : null;
    const loader = this.context.loaders.get<ConnectionShape<Project>>(`projects:of-counterparty:${args.first}:${args.after ?? ''}`, (ids) => this.pagesOfCounterparties(ids, args.first, cursor));
    return (await loader.load(counterpartyId.toLowerCase())) ?? toConnection([], args.first, 0, cursorOf);
  }

  /** The project's history, newest first. */
  async historyOf(projectId: string, args: PageArgs): Promise<ConnectionShape<ProjectChange>> {
    const query = this.context.em.createQueryBuilder(ProjectChange, 'c').where({ projectId }).orderBy({ at: 'desc', id: 'desc' }).limit(args.first + 1);
    if (args.after) {
      const cursor = parseCursor(args.after);
      query.andWhere('(c.at, c.id) < (?::timestamptz, ?::uuid)', [cursor.at, cursor.id]);
    }
    const [rows, total] = await Promise.all([query.getResultList(), this.context.em.count(ProjectChange, { projectId })]);
    return toConnection(rows, args.first, total, changeCursorOf);
  }

  // ---- internals ----------------------------------------------------------------------------------------

  private record(em: EntityManager, projectId: string, kind: ProjectChangeKind, changes: ProjectFieldChangeShape[]): void {
    const actorKind = actorKindOf(this.context.identity);
    em.create(ProjectChange, { projectId, kind, changes, at: new Date(), actorKind, actorId: actorKind === 'system' ? null : actorId(this.context.identity) });
  }

  /** Every counterparty must be known here; a newly added one must not be archived (ones already on the project may be). */
  private async checkCounterparties(em: EntityManager, ids: readonly string[], current: readonly string[]): Promise<string[]> {
    const wanted = unique(ids);
    const known = new Map((await new CounterpartyDirectory(em).findByIds(wanted)).map((ref) => [ref.id, ref]));
    for (const id of wanted) {
      const ref = known.get(id);
      if (!ref) throw new UserInputError('counterpartyIds', `There is no such counterparty: ${id}`, { reason: 'counterparty.unknown', id });
      if (ref.status === ARCHIVED_COUNTERPARTY_STATUS && !current.includes(id)) {
        throw new UserInputError('counterpartyIds', `The counterparty ${ref.shortName ?? ref.name} is archived: restore it first`, { reason: 'counterparty.archived', id });
      }
    }
    return wanted;
  }

  /** Team members must be known staff, each once; a newly added member must be active. */
  private async checkTeam(em: EntityManager, team: readonly ProjectMemberValue[], current: readonly ProjectMemberShape[]): Promise<ProjectMemberShape[]> {
    const members = team.map((member) => ({ userId: member.userId.toLowerCase(), role: member.role ?? ProjectRole.MEMBER }));
    const ids = members.map((member) => member.userId);
    const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
    if (duplicate) throw new UserInputError('team', `${duplicate} is in the team twice`, { reason: 'team.duplicate', id: duplicate });
    const known = new Map((await new UserDirectory(em).findByIds(ids)).map((ref) => [ref.id, ref]));
    const before = new Set(current.map((member) => member.userId));
    for (const id of ids) {
      const ref = known.get(id);
      if (!ref) throw new UserInputError('team', `There is no such user: ${id}`, { reason: 'user.unknown', id });
      if (!ref.active && !before.has(id)) throw new UserInputError('team', `${ref.name} is deactivated`, { reason: 'user.inactive', id });
    }
    return members;
  }

  /** Deals are this service's own: each must exist. */
  private async checkDeals(em: EntityManager, ids: readonly string[]): Promise<string[]> {
    const wanted = unique(ids);
    if (!wanted.length) return [];
    const found = new Set((await em.execute<{ id: string }[]>('select id from deals where id = any(array[?]::uuid[])', [wanted])).map((row) => row.id));
    const missing = wanted.find((id) => !found.has(id));
    if (missing) throw new UserInputError('dealIds', `There is no such deal: ${missing}`, { reason: 'deal.unknown', id: missing });
    return wanted;
  }

  /**
   * Documents belong to the documents service, and this service keeps no read model of all of them: it knows the
   * documents of its deals (created for deal actions or sent for approval by them, from documents' events). Only
   * those may be linked; any other id is refused rather than stored as a possible orphan.
   */
  private async checkDocuments(em: EntityManager, ids: readonly string[]): Promise<string[]> {
    const wanted = unique(ids);
    if (!wanted.length) return [];
    const found = new Set((await em.execute<{ id: string }[]>('select distinct document_id as id from deal_actions where document_id = any(array[?]::uuid[])', [wanted])).map((row) => row.id));
    const missing = wanted.find((id) => !found.has(id));
    if (missing) throw new UserInputError('documentIds', `No document ${missing} is known to deals (only documents of deals can be linked for now)`, { reason: 'document.unknown', id: missing });
    return wanted;
  }

  private async pagesOfCounterparties(counterpartyIds: readonly string[], first: number, cursor: TimeCursor | null): Promise<ConnectionShape<Project>[]> {
    const ids = [...new Set(counterpartyIds.filter(isUuid))];
    const rowsById = new Map<string, Project[]>();
    const totals = new Map<string, number>();
    if (ids.length) {
      const rows = await this.context.em.getConnection().execute<Record<string, unknown>[]>(
        `select c.id as panel_counterparty_id, p.* from unnest(array[?]::uuid[]) as c(id) cross join lateral (
           select s.* from (
             select x.*, count(*) over ()::int as panel_total from projects x where x.counterparty_ids @> array[c.id]
           ) s${cursor ? ' where (s.created_at, s.id) < (?::timestamptz, ?::uuid)' : ''}
           order by s.created_at desc, s.id desc limit ?
         ) p order by c.id, p.created_at desc, p.id desc`,
        [ids, ...(cursor ? [cursor.at, cursor.id] : []), first + 1],
      );
      for (const { panel_counterparty_id: owner, panel_total: total, ...row } of rows) {
        const key = String(owner);
        totals.set(key, Number(total));
        const project = this.context.em.map(Project, row);
        const group = rowsById.get(key);
        if (group) group.push(project);
        else rowsById.set(key, [project]);
      }
    }
    return counterpartyIds.map((id) => toConnection(rowsById.get(id) ?? [], first, totals.get(id) ?? 0, cursorOf));
  }
}
