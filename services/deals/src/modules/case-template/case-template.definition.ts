import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { UserInputError } from '@kartoteka/kit';

/**
 * A case template's definition: the funnel's stages with their actions, and the deal's data form. Stored as
 * jsonb (the draft on the template, frozen copies on its versions); checked with a JSON Schema (structure,
 * on every save) and the rules below (on preview, publish and import).
 */
export const STAGE_OUTCOMES = ['OPEN', 'WON', 'LOST'] as const;
export type StageOutcome = (typeof STAGE_OUTCOMES)[number];

export const ACTION_KINDS = ['CALL', 'MEETING', 'TASK', 'SEND_OFFER', 'PREPARE_CONTRACT', 'REQUEST_APPROVAL', 'CUSTOM'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const FIELD_TYPES = ['TEXT', 'LONG_TEXT', 'NUMBER', 'MONEY', 'DATE', 'SELECT', 'MULTI_SELECT', 'BOOLEAN', 'CONTACT', 'USER', 'FILE'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export type ActionAssignee = { type: 'OWNER' } | { type: 'USER'; userId: string };

export type StageAction = {
  key: string;
  kind: ActionKind;
  title: string;
  assignee: ActionAssignee;
  /** Due this many days after the deal enters the stage. */
  dueOffsetDays: number;
  /** The deal cannot move on from the stage until the action is done. */
  required: boolean;
  /**
   * SEND_OFFER and PREPARE_CONTRACT: code of the documents service's DOCX template the document's file is
   * generated from (e.g. `commercial-offer`); absent: the document is created without a file. Checked by the
   * documents service when the action runs (an unknown code leaves a warning on the document, never blocks the deal).
   */
  templateCode?: string | null;
};

export type StageDefinition = {
  key: string;
  name: string;
  /** Chance of winning a deal in this stage, 0..100 (weights the funnel's amount). */
  probability: number;
  outcome: StageOutcome;
  /** Form fields that must be filled before the deal moves on from this stage. */
  requiredFields: string[];
  actions: StageAction[];
};

export type FieldOption = { value: string; label: string };

export type FormField = {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  /** NUMBER: smallest value; MONEY: smallest amount in minor units; MULTI_SELECT: fewest options chosen. */
  min?: number | null;
  max?: number | null;
  /** TEXT, LONG_TEXT. */
  minLength?: number | null;
  maxLength?: number | null;
  pattern?: string | null;
  /** SELECT, MULTI_SELECT. */
  options?: FieldOption[] | null;
};

export type FormSection = { title: string; fields: string[] };

export type CaseDefinition = { stages: StageDefinition[]; form: { fields: FormField[]; sections: FormSection[] } };

/** A document template's code (the documents service's rule): lower-case Latin letters, digits, dashes. */
export const TEMPLATE_CODE_PATTERN = '^[a-z][a-z0-9-]{1,49}$';
/** The actions that create a document, and so may name the template of its file. */
export const DOCUMENT_ACTION_KINDS: readonly ActionKind[] = ['SEND_OFFER', 'PREPARE_CONTRACT'];

/** Letters, digits, `_` and `-`, starting with a letter; stage keys are stored in a 50-character column. */
const KEY_PATTERN = '^[A-Za-z][A-Za-z0-9_-]{0,49}$';
const TEXT = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength, pattern: '\\S' }) as const;

const ACTION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'kind', 'title'],
  properties: {
    key: { type: 'string', pattern: KEY_PATTERN },
    kind: { type: 'string', enum: [...ACTION_KINDS] },
    title: TEXT(300),
    assignee: {
      type: 'object',
      default: { type: 'OWNER' },
      discriminator: { propertyName: 'type' },
      properties: { type: { type: 'string', enum: ['OWNER', 'USER'] } },
      required: ['type'],
      oneOf: [
        { properties: { type: { const: 'OWNER' } }, additionalProperties: false },
        { properties: { type: { const: 'USER' }, userId: { type: 'string', format: 'uuid' } }, required: ['userId'], additionalProperties: false },
      ],
    },
    dueOffsetDays: { type: 'integer', minimum: 0, maximum: 3650, default: 0 },
    required: { type: 'boolean', default: false },
    templateCode: { type: ['string', 'null'], pattern: TEMPLATE_CODE_PATTERN },
  },
} as const;

const STAGE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'name', 'probability', 'outcome'],
  properties: {
    key: { type: 'string', pattern: KEY_PATTERN },
    name: TEXT(200),
    probability: { type: 'integer', minimum: 0, maximum: 100 },
    outcome: { type: 'string', enum: [...STAGE_OUTCOMES] },
    requiredFields: { type: 'array', maxItems: 100, items: { type: 'string', pattern: KEY_PATTERN }, default: [] },
    actions: { type: 'array', maxItems: 30, items: ACTION_SCHEMA, default: [] },
  },
} as const;

const NULLABLE_NUMBER = { type: ['number', 'null'] } as const;
const NULLABLE_LENGTH = { type: ['integer', 'null'], minimum: 0, maximum: 100_000 } as const;

const FIELD_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'label', 'type'],
  properties: {
    key: { type: 'string', pattern: KEY_PATTERN },
    label: TEXT(200),
    type: { type: 'string', enum: [...FIELD_TYPES] },
    required: { type: 'boolean', default: false },
    min: NULLABLE_NUMBER,
    max: NULLABLE_NUMBER,
    minLength: NULLABLE_LENGTH,
    maxLength: NULLABLE_LENGTH,
    pattern: { type: ['string', 'null'], maxLength: 500 },
    options: {
      type: ['array', 'null'],
      maxItems: 200,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['value', 'label'],
        properties: { value: { type: 'string', minLength: 1, maxLength: 100 }, label: TEXT(200) },
      },
    },
  },
} as const;

/** JSON Schema of a definition (draft-07), also served to the designer. */
export const CASE_DEFINITION_SCHEMA = {
  $id: 'https://kartoteka.local/schemas/case-template-definition.json',
  type: 'object',
  additionalProperties: false,
  required: ['stages', 'form'],
  properties: {
    stages: { type: 'array', maxItems: 30, items: STAGE_SCHEMA },
    form: {
      type: 'object',
      additionalProperties: false,
      required: ['fields', 'sections'],
      properties: {
        fields: { type: 'array', maxItems: 100, items: FIELD_SCHEMA },
        sections: {
          type: 'array',
          maxItems: 30,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['title', 'fields'],
            properties: { title: TEXT(200), fields: { type: 'array', maxItems: 100, items: { type: 'string', pattern: KEY_PATTERN } } },
          },
        },
      },
    },
  },
} as const;

const definitionAjv = new Ajv({ allErrors: false, useDefaults: true, discriminator: true, strict: true, allowUnionTypes: true });
addFormats(definitionAjv, ['uuid']);
const validateStructure = definitionAjv.compile<CaseDefinition>(CASE_DEFINITION_SCHEMA);

const KEYWORD_MESSAGES: Record<string, (error: ErrorObject) => string> = {
  required: () => 'This is required',
  additionalProperties: (error) => `Unknown property «${String(error.params.additionalProperty)}»`,
  type: (error) => `Must be ${String(error.params.type).replace(',', ' or ')}`,
  enum: (error) => `Must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`,
  const: (error) => `Must be ${String(error.params.allowedValue)}`,
  minimum: (error) => `Must be at least ${String(error.params.limit)}`,
  maximum: (error) => `Must be at most ${String(error.params.limit)}`,
  minLength: () => 'Must not be empty',
  maxLength: (error) => `Must be at most ${String(error.params.limit)} characters long`,
  maxItems: (error) => `At most ${String(error.params.limit)} entries`,
  format: () => 'Must be a valid id (uuid)',
  discriminator: () => 'Choose OWNER or USER',
};

/** `definition` + ajv's `/stages/2/key` (plus the missing or unknown property) → `definition.stages.2.key`. */
function pathOf(prefix: string, error: ErrorObject): string {
  const parts = error.instancePath.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') parts.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') parts.push(String(error.params.additionalProperty));
  if (error.keyword === 'discriminator' && error.params.tag) parts.push(String(error.params.tag));
  return [prefix, ...parts].filter(Boolean).join('.');
}

function messageOf(error: ErrorObject): string {
  if (error.keyword === 'pattern') {
    if (error.params.pattern === KEY_PATTERN) return 'Use letters, digits, _ or - (up to 50), starting with a letter';
    if (error.params.pattern === TEMPLATE_CODE_PATTERN) return 'A template code is 2–50 lower-case Latin letters, digits or dashes, starting with a letter';
    return 'Must not be blank';
  }
  return KEYWORD_MESSAGES[error.keyword]?.(error) ?? error.message ?? 'Invalid value';
}

/**
 * Checks the structure (JSON Schema) and returns a normalized copy with the defaults filled in; throws
 * BAD_USER_INPUT with `field` = the JSON path under `prefix`. Enough for saving a draft.
 */
export function parseDefinitionStructure(value: unknown, prefix = 'definition'): CaseDefinition {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UserInputError(prefix, 'The definition must be an object with stages and form');
  const copy: unknown = structuredClone(value);
  if (!validateStructure(copy)) {
    const error = validateStructure.errors?.[0];
    throw new UserInputError(error ? pathOf(prefix, error) : prefix, error ? messageOf(error) : 'Invalid definition');
  }
  return copy;
}

const RULE_FIELDS: Record<'min' | 'max' | 'minLength' | 'maxLength' | 'pattern' | 'options', readonly FieldType[]> = {
  min: ['NUMBER', 'MONEY', 'MULTI_SELECT'],
  max: ['NUMBER', 'MONEY', 'MULTI_SELECT'],
  minLength: ['TEXT', 'LONG_TEXT'],
  maxLength: ['TEXT', 'LONG_TEXT'],
  pattern: ['TEXT', 'LONG_TEXT'],
  options: ['SELECT', 'MULTI_SELECT'],
};

function present<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

function checkField(field: FormField, at: string): void {
  for (const [rule, types] of Object.entries(RULE_FIELDS) as [keyof typeof RULE_FIELDS, readonly FieldType[]][]) {
    if (present(field[rule]) && !types.includes(field.type)) {
      throw new UserInputError(`${at}.${rule}`, rule === 'options' ? 'Only SELECT and MULTI_SELECT fields have options' : `${rule} does not apply to a ${field.type} field`);
    }
  }
  if (present(field.min) && present(field.max) && field.max < field.min) throw new UserInputError(`${at}.max`, 'Must not be less than min');
  if (present(field.minLength) && present(field.maxLength) && field.maxLength < field.minLength) throw new UserInputError(`${at}.maxLength`, 'Must not be less than minLength');
  if (field.type === 'MONEY' && present(field.min) && field.min < 0) throw new UserInputError(`${at}.min`, 'An amount cannot be negative');
  if ((field.type === 'MONEY' || field.type === 'MULTI_SELECT') && ((present(field.min) && !Number.isInteger(field.min)) || (present(field.max) && !Number.isInteger(field.max)))) {
    throw new UserInputError(`${at}.${present(field.min) && !Number.isInteger(field.min) ? 'min' : 'max'}`, 'Must be a whole number');
  }
  if (field.type === 'MULTI_SELECT' && present(field.min) && field.min < 0) throw new UserInputError(`${at}.min`, 'Must be at least 0');
  if (present(field.pattern)) {
    try {
      new RegExp(field.pattern, 'u');
    } catch {
      throw new UserInputError(`${at}.pattern`, 'Not a valid regular expression');
    }
  }
  if (field.type === 'SELECT' || field.type === 'MULTI_SELECT') {
    if (!field.options?.length) throw new UserInputError(`${at}.options`, 'Add at least one option');
    const values = new Set<string>();
    field.options.forEach((option, index) => {
      if (values.has(option.value)) throw new UserInputError(`${at}.options.${index}.value`, `Option «${option.value}» is listed twice`);
      values.add(option.value);
    });
  }
}

/**
 * The rules beyond structure: unique keys, one or more open stages, exactly one won and at least one lost
 * stage, required fields that exist, options only on select fields, every field in exactly one section.
 */
export function checkDefinitionRules(definition: CaseDefinition, prefix = 'definition'): void {
  const stageKeys = new Set<string>();
  definition.stages.forEach((stage, index) => {
    if (stageKeys.has(stage.key)) throw new UserInputError(`${prefix}.stages.${index}.key`, `Stage key «${stage.key}» is used twice`);
    stageKeys.add(stage.key);
  });
  if (!definition.stages.some((stage) => stage.outcome === 'OPEN')) throw new UserInputError(`${prefix}.stages`, 'Add at least one open stage');
  const won = definition.stages.map((stage, index) => ({ stage, index })).filter(({ stage }) => stage.outcome === 'WON');
  if (won.length === 0) throw new UserInputError(`${prefix}.stages`, 'Add a won stage');
  if (won.length > 1) throw new UserInputError(`${prefix}.stages.${won[1].index}.outcome`, 'Only one stage may be won');
  if (!definition.stages.some((stage) => stage.outcome === 'LOST')) throw new UserInputError(`${prefix}.stages`, 'Add at least one lost stage');

  const fieldKeys = new Set<string>();
  definition.form.fields.forEach((field, index) => {
    const at = `${prefix}.form.fields.${index}`;
    if (fieldKeys.has(field.key)) throw new UserInputError(`${at}.key`, `Field key «${field.key}» is used twice`);
    fieldKeys.add(field.key);
    checkField(field, at);
  });

  definition.stages.forEach((stage, stageIndex) => {
    const at = `${prefix}.stages.${stageIndex}`;
    const seen = new Set<string>();
    stage.requiredFields.forEach((key, index) => {
      if (!fieldKeys.has(key)) throw new UserInputError(`${at}.requiredFields.${index}`, `There is no field «${key}» in the form`);
      if (seen.has(key)) throw new UserInputError(`${at}.requiredFields.${index}`, `Field «${key}» is listed twice`);
      seen.add(key);
    });
    const actionKeys = new Set<string>();
    stage.actions.forEach((action, index) => {
      if (actionKeys.has(action.key)) throw new UserInputError(`${at}.actions.${index}.key`, `Action key «${action.key}» is used twice in this stage`);
      actionKeys.add(action.key);
      if (present(action.templateCode) && !DOCUMENT_ACTION_KINDS.includes(action.kind)) {
        throw new UserInputError(`${at}.actions.${index}.templateCode`, 'Only «send offer» and «prepare contract» actions create a document from a template');
      }
    });
  });

  const sectionOf = new Map<string, string>();
  definition.form.sections.forEach((section, sectionIndex) => {
    section.fields.forEach((key, index) => {
      const at = `${prefix}.form.sections.${sectionIndex}.fields.${index}`;
      if (!fieldKeys.has(key)) throw new UserInputError(at, `There is no field «${key}» in the form`);
      const other = sectionOf.get(key);
      if (other !== undefined) throw new UserInputError(at, `Field «${key}» is already in section «${other}»`);
      sectionOf.set(key, section.title);
    });
  });
  definition.form.fields.forEach((field, index) => {
    if (!sectionOf.has(field.key)) throw new UserInputError(`${prefix}.form.fields.${index}`, `Put field «${field.key}» into a section`);
  });
}

/** Structure and rules: what preview, publish and import require. */
export function parseDefinition(value: unknown, prefix = 'definition'): CaseDefinition {
  const definition = parseDefinitionStructure(value, prefix);
  checkDefinitionRules(definition, prefix);
  return definition;
}

/** The stage new deals start in: the first open one. */
export function startStage(definition: CaseDefinition): StageDefinition {
  const stage = definition.stages.find((candidate) => candidate.outcome === 'OPEN');
  if (!stage) throw new Error('A published definition has an open stage');
  return stage;
}

/** The export file format. */
export const EXPORT_FORMAT = 'kartoteka.case-template';
export const EXPORT_FORMAT_VERSION = 1;

export type CaseTemplateDocument = { format: typeof EXPORT_FORMAT; version: typeof EXPORT_FORMAT_VERSION; name: string; description: string | null; definition: CaseDefinition };

/** Reads an imported file: its header, name and a definition that passes every rule (paths relative to the file). */
export function parseTemplateDocument(document: Record<string, unknown>): CaseTemplateDocument {
  if (document.format !== EXPORT_FORMAT) throw new UserInputError('format', `Not a case template file: format must be «${EXPORT_FORMAT}»`);
  if (document.version !== EXPORT_FORMAT_VERSION) throw new UserInputError('version', `Unsupported file version; this server reads version ${EXPORT_FORMAT_VERSION}`);
  if (typeof document.name !== 'string' || !document.name.trim()) throw new UserInputError('name', 'Enter a name');
  if (document.name.trim().length > 200) throw new UserInputError('name', 'Must be at most 200 characters long');
  const description = document.description ?? null;
  if (description !== null && (typeof description !== 'string' || description.length > 2000)) throw new UserInputError('description', 'Must be text of at most 2000 characters');
  if (document.definition === undefined) throw new UserInputError('definition', 'This is required');
  const definition = parseDefinition(document.definition, 'definition');
  return { format: EXPORT_FORMAT, version: EXPORT_FORMAT_VERSION, name: document.name.trim(), description: description?.trim() || null, definition };
}
