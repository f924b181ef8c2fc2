import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { actorId, byKeys, ConflictError, groupByKeys, isUuid, NotFoundError, type SubgraphContext, UserDirectory, UserInputError } from '@kartoteka/kit';
import { CaseTemplateVersion } from './case-template-version.entity';
import { DEFAULT_DEFINITION, DEFAULT_TEMPLATE_DESCRIPTION, DEFAULT_TEMPLATE_ID, DEFAULT_TEMPLATE_NAME, DEFAULT_TEMPLATE_VERSION_ID } from './case-template.defaults';
import { type CaseDefinition, type CaseTemplateDocument, EXPORT_FORMAT, EXPORT_FORMAT_VERSION, parseDefinition, parseDefinitionStructure, parseTemplateDocument } from './case-template.definition';
import { CaseTemplate, CaseTemplateStatus } from './case-template.entity';
import { type CaseTemplatePreview, preview } from './case-template.type';

type Context = Pick<SubgraphContext, 'em' | 'identity' | 'loaders'>;

export type NewCaseTemplate = { name: string; description?: string | null; definition?: Record<string, unknown> | null };
export type CaseTemplateDraftChange = { id: string; draftVersion: number; name?: string | null; description?: string | null; definition?: Record<string, unknown> | null };

/** A new template's funnel when none is given: one open stage, won and lost, an empty form. */
const STARTER_DEFINITION: CaseDefinition = {
  stages: [
    { key: 'new', name: 'Новая', probability: 10, outcome: 'OPEN', requiredFields: [], actions: [] },
    { key: 'won', name: 'Успешно', probability: 100, outcome: 'WON', requiredFields: [], actions: [] },
    { key: 'lost', name: 'Отказ', probability: 0, outcome: 'LOST', requiredFields: [], actions: [] },
  ],
  form: { fields: [], sections: [] },
};

/** JSON with object keys sorted: equal definitions give equal strings whatever order jsonb kept the keys in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function cleanName(name: string, field = 'name'): string {
  const trimmed = name.trim();
  if (!trimmed) throw new UserInputError(field, 'Enter a name');
  return trimmed;
}

export const COPY_SUFFIX = 'копия';
const NAME_MAX = 200;

/** `name` if no template (archived ones included) has it, case-insensitively; else «name (копия)», «name (копия 2)», … */
export async function uniqueCopyName(em: EntityManager, name: string): Promise<string> {
  const base = name.trim();
  // Every candidate starts with the base's first 100 characters (a suffix shortens at most a long base's end).
  const like = `${base.slice(0, 100).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await em.execute<{ name: string }[]>(`select name from case_templates where lower(name) like lower(?)`, [like]);
  const taken = new Set(rows.map((row) => row.name.trim().toLowerCase()));
  for (let n = 1; ; n += 1) {
    const suffix = n === 1 ? '' : n === 2 ? ` (${COPY_SUFFIX})` : ` (${COPY_SUFFIX} ${n - 1})`;
    const candidate = `${base.slice(0, NAME_MAX - suffix.length).trimEnd()}${suffix}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

/**
 * Installs the default template «Продажа» with its version 1 when missing (fixed ids: concurrent and repeated
 * calls are harmless). Part of every install; also run before a deal is created without a template.
 */
/**
 * A published version hands its actions to the users it names: each must be a known, active member of staff
 * (checked against this service's read model of identity's users, never by asking identity). Drafts may still
 * name anyone while they are being edited.
 */
async function requireActiveAssignees(em: EntityManager, definition: CaseDefinition): Promise<void> {
  const directory = new UserDirectory(em);
  for (const [stageIndex, stage] of definition.stages.entries()) {
    for (const [actionIndex, action] of stage.actions.entries()) {
      if (action.assignee.type === 'USER') await directory.requireActive(action.assignee.userId, `definition.stages.${stageIndex}.actions.${actionIndex}.assignee.userId`);
    }
  }
}

export async function installDefaultTemplate(em: EntityManager): Promise<boolean> {
  const definition = JSON.stringify(DEFAULT_DEFINITION);
  const inserted = await em.execute<{ id: string }[]>(
    `insert into case_templates (id, name, description, status, draft, draft_version) values (?, ?, ?, 'PUBLISHED', ?::jsonb, 1) on conflict (id) do nothing returning id`,
    [DEFAULT_TEMPLATE_ID, DEFAULT_TEMPLATE_NAME, DEFAULT_TEMPLATE_DESCRIPTION, definition],
  );
  await em.execute(`insert into case_template_versions (id, template_id, number, definition) values (?, ?, 1, ?::jsonb) on conflict do nothing`, [DEFAULT_TEMPLATE_VERSION_ID, DEFAULT_TEMPLATE_ID, definition]);
  return inserted.length > 0;
}

export class CaseTemplateService {
  constructor(private readonly context: Context) {}

  list(includeArchived: boolean): Promise<CaseTemplate[]> {
    return this.context.em.find(CaseTemplate, includeArchived ? {} : { status: { $ne: CaseTemplateStatus.ARCHIVED } }, { orderBy: { name: 'asc', id: 'asc' } });
  }

  findById(id: string): Promise<CaseTemplate | null> {
    return isUuid(id) ? this.context.em.findOne(CaseTemplate, { id: id.toLowerCase() }) : Promise.resolve(null);
  }

  async requireTemplate(id: string, field = 'templateId'): Promise<CaseTemplate> {
    const template = await this.findById(id);
    if (!template) throw new UserInputError(field, 'There is no such case template');
    return template;
  }

  findVersion(id: string): Promise<CaseTemplateVersion | null> {
    return isUuid(id) ? this.versionById(id) : Promise.resolve(null);
  }

  /** Versions by id, batched per request (deals of a page share a handful of versions). */
  async versionById(id: string): Promise<CaseTemplateVersion | null> {
    const loader = this.context.loaders.get<CaseTemplateVersion>('case-template-version:by-id', async (ids) => {
      const keys = ids.map((key) => key.toLowerCase());
      const valid = [...new Set(keys.filter(isUuid))];
      return byKeys(keys, valid.length ? await this.context.em.find(CaseTemplateVersion, { id: { $in: valid } }) : [], (row) => row.id);
    });
    return loader.load(id);
  }

  /** Templates by id, batched per request. */
  async templateById(id: string): Promise<CaseTemplate | null> {
    const loader = this.context.loaders.get<CaseTemplate>('case-template:by-id', async (ids) => {
      const keys = ids.map((key) => key.toLowerCase());
      const valid = [...new Set(keys.filter(isUuid))];
      return byKeys(keys, valid.length ? await this.context.em.find(CaseTemplate, { id: { $in: valid } }) : [], (row) => row.id);
    });
    return loader.load(id);
  }

  /** All versions of a template, newest first; batched across templates. */
  async versionsOf(templateId: string): Promise<CaseTemplateVersion[]> {
    const loader = this.context.loaders.get<CaseTemplateVersion[]>('case-template-version:of-template', async (ids) => {
      const rows = await this.context.em.find(CaseTemplateVersion, { templateId: { $in: [...new Set(ids)] } }, { orderBy: { number: 'desc' } });
      return groupByKeys(ids, rows, (row) => row.templateId);
    });
    return (await loader.load(templateId)) ?? [];
  }

  async latestVersionOf(templateId: string): Promise<CaseTemplateVersion | null> {
    return (await this.versionsOf(templateId))[0] ?? null;
  }

  /**
   * The version a new deal starts on: the given version, or the latest of the given template, or the default
   * template's when neither is given. Refused for archived and never-published templates.
   */
  async versionForNewDeal(selection: { templateId?: string | null; templateVersionId?: string | null }): Promise<CaseTemplateVersion> {
    const { templateId, templateVersionId } = selection;
    if (!templateId && !templateVersionId && !(await this.findById(DEFAULT_TEMPLATE_ID))) await installDefaultTemplate(this.context.em);
    let version: CaseTemplateVersion | null;
    if (templateVersionId) {
      version = await this.findVersion(templateVersionId);
      if (!version) throw new UserInputError('templateVersionId', 'There is no such template version');
      if (templateId && version.templateId !== templateId.toLowerCase()) throw new UserInputError('templateVersionId', 'This version belongs to another template');
    } else {
      const template = await this.requireTemplate(templateId ?? DEFAULT_TEMPLATE_ID);
      version = await this.context.em.findOne(CaseTemplateVersion, { templateId: template.id }, { orderBy: { number: 'desc' } });
      if (!version) throw new UserInputError('templateId', `«${template.name}» has not been published yet`);
    }
    const template = await this.context.em.findOneOrFail(CaseTemplate, { id: version.templateId });
    if (template.status === CaseTemplateStatus.ARCHIVED) throw new UserInputError(templateVersionId && !templateId ? 'templateVersionId' : 'templateId', `«${template.name}» is archived: new deals cannot start on it`);
    return version;
  }

  async create(input: NewCaseTemplate): Promise<CaseTemplate> {
    const name = cleanName(input.name);
    const draft = input.definition ? parseDefinitionStructure(input.definition) : structuredClone(STARTER_DEFINITION);
    const template = this.context.em.create(CaseTemplate, { name, description: input.description?.trim() || null, draft, createdById: actorId(this.context.identity) });
    await this.context.em.flush();
    return template;
  }

  async updateDraft(input: CaseTemplateDraftChange): Promise<CaseTemplate> {
    const draft = input.definition ? parseDefinitionStructure(input.definition) : null;
    await this.context.em.transactional(async (em) => {
      const template = await this.lockForChange(em, input.id, input.draftVersion);
      if (input.name !== undefined && input.name !== null) template.name = cleanName(input.name);
      if (input.description !== undefined) template.description = input.description?.trim() || null;
      if (draft) template.draft = draft;
      template.draftVersion += 1;
      await em.flush();
    });
    return this.context.em.findOneOrFail(CaseTemplate, { id: input.id.toLowerCase() }, { refresh: true });
  }

  /** Freezes the draft (which must pass every rule) as the next version. */
  async publish(input: { id: string; draftVersion: number }): Promise<CaseTemplateVersion> {
    const id = await this.context.em.transactional(async (em) => {
      const template = await this.lockForChange(em, input.id, input.draftVersion);
      const definition = parseDefinition(template.draft);
      await requireActiveAssignees(em, definition);
      const latest = await em.findOne(CaseTemplateVersion, { templateId: template.id }, { orderBy: { number: 'desc' } });
      if (latest && canonical(latest.definition) === canonical(definition)) throw new UserInputError('definition', `The draft has no changes since version ${latest.number}`);
      const version = em.create(CaseTemplateVersion, { templateId: template.id, number: (latest?.number ?? 0) + 1, definition, publishedById: actorId(this.context.identity) });
      template.status = CaseTemplateStatus.PUBLISHED;
      template.draft = definition;
      await em.flush();
      return version.id;
    });
    return this.context.em.findOneOrFail(CaseTemplateVersion, { id });
  }

  async archive(id: string): Promise<CaseTemplate> {
    if (id.toLowerCase() === DEFAULT_TEMPLATE_ID) throw new UserInputError('id', `«${DEFAULT_TEMPLATE_NAME}» is the default template (deals created without a template use it) and cannot be archived`);
    await this.context.em.transactional(async (em) => {
      const template = await em.findOne(CaseTemplate, { id: id.toLowerCase() }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!template) throw new NotFoundError('CaseTemplate', id);
      template.status = CaseTemplateStatus.ARCHIVED;
      await em.flush();
    });
    return this.context.em.findOneOrFail(CaseTemplate, { id: id.toLowerCase() }, { refresh: true });
  }

  /** Checks a definition like publishing would and shows what it would produce. */
  preview(definition: Record<string, unknown>): CaseTemplatePreview {
    return preview(parseDefinition(definition));
  }

  async exportDocument(id: string): Promise<CaseTemplateDocument> {
    const template = await this.findById(id);
    if (!template) throw new NotFoundError('CaseTemplate', id);
    return { format: EXPORT_FORMAT, version: EXPORT_FORMAT_VERSION, name: template.name, description: template.description, definition: template.draft };
  }

  /**
   * A new draft template from an exported file, checked like publishing (errors name the path in the file). It
   * takes the name given; without one, the file's name when no template has it yet, else a unique «… (копия N)»
   * — importing a template's own export must not give a second template that cannot be told from the first.
   */
  async importDocument(document: Record<string, unknown>, name?: string | null): Promise<CaseTemplate> {
    const parsed = parseTemplateDocument(document);
    const given = name?.trim() || null;
    const id = await this.context.em.transactional(async (em) => {
      // Two imports of one file at the same moment must not both pick the same free name.
      if (!given) await em.execute(`select pg_advisory_xact_lock(hashtext('deals.case_templates.name'))`);
      const template = em.create(CaseTemplate, {
        name: given ?? (await uniqueCopyName(em, parsed.name)),
        description: parsed.description,
        draft: parsed.definition,
        createdById: actorId(this.context.identity),
      });
      await em.flush();
      return template.id;
    });
    return this.context.em.findOneOrFail(CaseTemplate, { id });
  }

  private async lockForChange(em: EntityManager, id: string, draftVersion: number): Promise<CaseTemplate> {
    const template = await em.findOne(CaseTemplate, { id: id.toLowerCase() }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!template) throw new NotFoundError('CaseTemplate', id);
    if (template.draftVersion !== draftVersion) throw new ConflictError('The template was changed by someone else; reload it', { currentDraftVersion: template.draftVersion });
    if (template.status === CaseTemplateStatus.ARCHIVED) throw new UserInputError('id', 'The template is archived');
    return template;
  }
}
