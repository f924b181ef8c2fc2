/**
 * A case template's definition as the deals subgraph stores it (a JSON object): the funnel's stages with
 * their actions, and the deal's form — typed fields laid out in sections. The designer edits a draft of it;
 * the server turns a published version into a JSON Schema + UI schema that the portal renders.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const STAGE_OUTCOMES = ['OPEN', 'WON', 'LOST'] as const;
export type StageOutcome = (typeof STAGE_OUTCOMES)[number];

export const ACTION_KINDS = ['CALL', 'MEETING', 'TASK', 'SEND_OFFER', 'PREPARE_CONTRACT', 'REQUEST_APPROVAL', 'CUSTOM'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** Actions that ask the documents subgraph for a document (or its route): REQUESTED until it answers. */
export const DOCUMENT_ACTION_KINDS: readonly ActionKind[] = ['SEND_OFFER', 'PREPARE_CONTRACT', 'REQUEST_APPROVAL'];

/** Actions that create a document, and so may name the document template (by code) its file is generated from. */
export const TEMPLATE_DOCUMENT_TYPES: Partial<Record<ActionKind, 'COMMERCIAL_OFFER' | 'CONTRACT'>> = { SEND_OFFER: 'COMMERCIAL_OFFER', PREPARE_CONTRACT: 'CONTRACT' };

export const FIELD_TYPES = ['TEXT', 'LONG_TEXT', 'NUMBER', 'MONEY', 'DATE', 'SELECT', 'MULTI_SELECT', 'BOOLEAN', 'CONTACT', 'USER', 'FILE'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export type Assignee = { type: 'OWNER' } | { type: 'USER'; userId: string };

export type ActionDefinition = {
  key: string;
  kind: ActionKind;
  title: string;
  assignee: Assignee;
  dueOffsetDays: number | null;
  required: boolean;
  /** SEND_OFFER / PREPARE_CONTRACT: the documents service's template code; absent: a document without a file. */
  templateCode?: string | null;
};

export type StageDefinition = {
  key: string;
  name: string;
  probability: number;
  outcome: StageOutcome;
  requiredFields: string[];
  actions: ActionDefinition[];
};

export type FieldOption = { value: string; label: string };

export type FieldDefinition = {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  min?: number | null;
  max?: number | null;
  minLength?: number | null;
  maxLength?: number | null;
  pattern?: string | null;
  options?: FieldOption[];
};

export type SectionDefinition = { title: string; fields: string[] };

export type TemplateDefinition = {
  stages: StageDefinition[];
  form: { fields: FieldDefinition[]; sections: SectionDefinition[] };
};

/** Which rules each field type takes (the designer shows only these). */
export const FIELD_RULES: Record<FieldType, { range: boolean; length: boolean; pattern: boolean; options: boolean }> = {
  TEXT: { range: false, length: true, pattern: true, options: false },
  LONG_TEXT: { range: false, length: true, pattern: true, options: false },
  NUMBER: { range: true, length: false, pattern: false, options: false },
  MONEY: { range: true, length: false, pattern: false, options: false },
  DATE: { range: false, length: false, pattern: false, options: false },
  SELECT: { range: false, length: false, pattern: false, options: true },
  MULTI_SELECT: { range: true, length: false, pattern: false, options: true },
  BOOLEAN: { range: false, length: false, pattern: false, options: false },
  CONTACT: { range: false, length: false, pattern: false, options: false },
  USER: { range: false, length: false, pattern: false, options: false },
  FILE: { range: false, length: false, pattern: false, options: false },
};

const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/** As the server checks keys: letters, digits, `_` and `-`, starting with a letter, at most 50. */
export const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
export const KEY_MAX_LENGTH = 50;

/** A machine key from a human name: «Коммерческое предложение» → `kommercheskoe_predlozhenie`. */
export const keyFromName = (name: string, fallback: string): string => {
  const latin = [...name.toLowerCase()].map((char) => CYRILLIC[char] ?? char).join('');
  let key = latin
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, KEY_MAX_LENGTH)
    .replace(/_+$/g, '');
  if (key === '') key = fallback;
  if (!/^[a-z]/.test(key)) key = `${fallback}_${key}`.slice(0, KEY_MAX_LENGTH);
  return key;
};

/** `key`, or `key_2`, `key_3`… — the first one not in `taken`. */
export const uniqueKey = (key: string, taken: ReadonlySet<string>): string => {
  if (!taken.has(key)) return key;
  for (let n = 2; ; n += 1) {
    const candidate = `${key.slice(0, KEY_MAX_LENGTH - String(n).length - 1)}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const oneOf = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T =>
  typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;

/** Reads whatever the server sent as a definition, tolerating missing parts (an empty draft). */
export const readDefinition = (raw: unknown): TemplateDefinition => {
  const source = isObject(raw) ? raw : {};
  const stages = Array.isArray(source.stages) ? source.stages.filter(isObject) : [];
  const form = isObject(source.form) ? source.form : {};
  const fields = Array.isArray(form.fields) ? form.fields.filter(isObject) : [];
  const sections = Array.isArray(form.sections) ? form.sections.filter(isObject) : [];
  return {
    stages: stages.map((stage) => ({
      key: str(stage.key),
      name: str(stage.name),
      probability: num(stage.probability) ?? 0,
      outcome: oneOf(stage.outcome, STAGE_OUTCOMES, 'OPEN'),
      requiredFields: Array.isArray(stage.requiredFields) ? stage.requiredFields.filter((key): key is string => typeof key === 'string') : [],
      actions: (Array.isArray(stage.actions) ? stage.actions.filter(isObject) : []).map((action) => {
        const assignee = isObject(action.assignee) ? action.assignee : {};
        return {
          key: str(action.key),
          kind: oneOf(action.kind, ACTION_KINDS, 'TASK'),
          title: str(action.title),
          assignee: assignee.type === 'USER' ? { type: 'USER' as const, userId: str(assignee.userId) } : { type: 'OWNER' as const },
          dueOffsetDays: num(action.dueOffsetDays),
          required: action.required === true,
          ...(typeof action.templateCode === 'string' && action.templateCode ? { templateCode: action.templateCode } : {}),
        };
      }),
    })),
    form: {
      fields: fields.map((field) => ({
        key: str(field.key),
        label: str(field.label),
        type: oneOf(field.type, FIELD_TYPES, 'TEXT'),
        required: field.required === true,
        min: num(field.min),
        max: num(field.max),
        minLength: num(field.minLength),
        maxLength: num(field.maxLength),
        pattern: typeof field.pattern === 'string' ? field.pattern : null,
        options: (Array.isArray(field.options) ? field.options.filter(isObject) : []).map((option) => ({
          value: str(option.value),
          label: str(option.label),
        })),
      })),
      sections: sections.map((section) => ({
        title: str(section.title),
        fields: Array.isArray(section.fields) ? section.fields.filter((key): key is string => typeof key === 'string') : [],
      })),
    },
  };
};

/** Field key → type, for the form renderers (a version's definition, or a draft being previewed). */
export const fieldTypesOf = (definition: TemplateDefinition | null | undefined): Record<string, FieldType> =>
  Object.fromEntries((definition?.form.fields ?? []).map((field) => [field.key, field.type]));

/** Field key → label. */
export const fieldLabelsOf = (definition: TemplateDefinition | null | undefined): Record<string, string> =>
  Object.fromEntries((definition?.form.fields ?? []).map((field) => [field.key, field.label]));
