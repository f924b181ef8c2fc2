import {
  FIELD_RULES,
  KEY_MAX_LENGTH,
  KEY_PATTERN,
  keyFromName,
  readDefinition,
  TEMPLATE_DOCUMENT_TYPES,
  uniqueKey,
  type ActionKind,
  type FieldType,
  type StageOutcome,
  type TemplateDefinition,
} from './template-definition';

/**
 * The designer's working copy of a template: the definition with local ids (`uid`) for list keys and
 * references (a stage's required fields point at field uids, so renaming a field key keeps them), and
 * `keyAuto` while a key still follows its name.
 */

export type ActionDraft = {
  uid: number;
  key: string;
  keyAuto: boolean;
  kind: ActionKind;
  title: string;
  assigneeType: 'OWNER' | 'USER';
  userId: string | null;
  userName: string;
  dueOffsetDays: number | null;
  required: boolean;
  /** The document template's code (SEND_OFFER, PREPARE_CONTRACT); '' for none. */
  templateCode: string;
};

export type StageDraft = {
  uid: number;
  key: string;
  keyAuto: boolean;
  name: string;
  probability: number | null;
  outcome: StageOutcome;
  /** Uids of the fields that must be filled before the deal leaves this stage. */
  requiredFields: number[];
  actions: ActionDraft[];
};

export type OptionDraft = { uid: number; value: string; valueAuto: boolean; label: string };

export type FieldDraft = {
  uid: number;
  key: string;
  keyAuto: boolean;
  label: string;
  type: FieldType;
  required: boolean;
  min: number | null;
  max: number | null;
  minLength: number | null;
  maxLength: number | null;
  pattern: string;
  options: OptionDraft[];
  /** Uid of the section the field is laid out in. */
  section: number;
};

export type SectionDraft = { uid: number; title: string };

export type TemplateDraft = {
  name: string;
  description: string;
  stages: StageDraft[];
  fields: FieldDraft[];
  sections: SectionDraft[];
};

let nextUid = 1;
const uid = (): number => nextUid++;

export const emptyAction = (): ActionDraft => ({
  uid: uid(),
  key: '',
  keyAuto: true,
  kind: 'CALL',
  title: '',
  assigneeType: 'OWNER',
  userId: null,
  userName: '',
  dueOffsetDays: 1,
  required: false,
  templateCode: '',
});

export const emptyStage = (outcome: StageOutcome = 'OPEN'): StageDraft => ({
  uid: uid(),
  key: '',
  keyAuto: true,
  name: '',
  probability: outcome === 'WON' ? 100 : outcome === 'LOST' ? 0 : 10,
  outcome,
  requiredFields: [],
  actions: [],
});

export const emptySection = (title = ''): SectionDraft => ({ uid: uid(), title });

export const emptyField = (section: number): FieldDraft => ({
  uid: uid(),
  key: '',
  keyAuto: true,
  label: '',
  type: 'TEXT',
  required: false,
  min: null,
  max: null,
  minLength: null,
  maxLength: null,
  pattern: '',
  options: [],
  section,
});

export const emptyOption = (): OptionDraft => ({ uid: uid(), value: '', valueAuto: true, label: '' });

/** A new template: the usual three outcomes and one section, so the designer starts from something that works. */
export const emptyTemplateDraft = (names: { open: string; won: string; lost: string; section: string }): TemplateDraft => {
  const section = emptySection(names.section);
  const stage = (name: string, outcome: StageOutcome): StageDraft => ({ ...emptyStage(outcome), name, key: keyFromName(name, 'stage') });
  return {
    name: '',
    description: '',
    stages: [stage(names.open, 'OPEN'), stage(names.won, 'WON'), stage(names.lost, 'LOST')],
    fields: [],
    sections: [section],
  };
};

/** The draft of a saved definition (keys are kept as they are: running deals refer to them). */
export const draftFromDefinition = (raw: unknown, meta: { name: string; description: string | null }, userNames: Record<string, string> = {}): TemplateDraft => {
  const definition = readDefinition(raw);
  const sections: SectionDraft[] = definition.form.sections.map((section) => emptySection(section.title));
  const sectionOfKey = new Map<string, number>();
  definition.form.sections.forEach((section, i) => section.fields.forEach((key) => sectionOfKey.set(key, sections[i].uid)));
  // Fields no section lists go into the first one.
  if (sections.length === 0) sections.push(emptySection(''));
  const fields: FieldDraft[] = definition.form.fields.map((field) => ({
    uid: uid(),
    key: field.key,
    keyAuto: false,
    label: field.label,
    type: field.type,
    required: field.required,
    min: field.min ?? null,
    max: field.max ?? null,
    minLength: field.minLength ?? null,
    maxLength: field.maxLength ?? null,
    pattern: field.pattern ?? '',
    options: (field.options ?? []).map((option) => ({ uid: uid(), value: option.value, valueAuto: false, label: option.label })),
    section: sectionOfKey.get(field.key) ?? sections[0].uid,
  }));
  const fieldUid = new Map(fields.map((field) => [field.key, field.uid]));
  return {
    name: meta.name,
    description: meta.description ?? '',
    sections,
    fields,
    stages: definition.stages.map((stage) => ({
      uid: uid(),
      key: stage.key,
      keyAuto: false,
      name: stage.name,
      probability: stage.probability,
      outcome: stage.outcome,
      requiredFields: stage.requiredFields.map((key) => fieldUid.get(key)).filter((id): id is number => id !== undefined),
      actions: stage.actions.map((action) => ({
        uid: uid(),
        key: action.key,
        keyAuto: false,
        kind: action.kind,
        title: action.title,
        assigneeType: action.assignee.type,
        userId: action.assignee.type === 'USER' ? action.assignee.userId : null,
        userName: action.assignee.type === 'USER' ? (userNames[action.assignee.userId] ?? '') : '',
        dueOffsetDays: action.dueOffsetDays,
        required: action.required,
        templateCode: action.templateCode ?? '',
      })),
    })),
  };
};

const trimmed = (value: string): string => value.trim();
const orNull = (value: number | null): number | null => (value === null || Number.isNaN(value) ? null : value);

/** The definition the server takes: fields in the draft's order, sections listing their fields' keys. */
export const definitionFromDraft = (draft: TemplateDraft): TemplateDefinition => {
  const keyOfField = new Map(draft.fields.map((field) => [field.uid, trimmed(field.key)]));
  return {
    stages: draft.stages.map((stage) => ({
      key: trimmed(stage.key),
      name: trimmed(stage.name),
      probability: stage.probability ?? 0,
      outcome: stage.outcome,
      requiredFields: stage.requiredFields.map((id) => keyOfField.get(id)).filter((key): key is string => key !== undefined),
      actions: stage.actions.map((action) => ({
        key: trimmed(action.key),
        kind: action.kind,
        title: trimmed(action.title),
        assignee: action.assigneeType === 'USER' ? { type: 'USER' as const, userId: action.userId ?? '' } : { type: 'OWNER' as const },
        dueOffsetDays: orNull(action.dueOffsetDays) ?? 0,
        required: action.required,
        // only actions that create a document carry a template, and only when one is chosen
        ...(TEMPLATE_DOCUMENT_TYPES[action.kind] && action.templateCode.trim() ? { templateCode: action.templateCode.trim() } : {}),
      })),
    })),
    form: {
      fields: draft.fields.map((field) => {
        const rules = FIELD_RULES[field.type];
        return {
          key: trimmed(field.key),
          label: trimmed(field.label),
          type: field.type,
          required: field.required,
          ...(rules.range ? { min: orNull(field.min), max: orNull(field.max) } : {}),
          ...(rules.length ? { minLength: orNull(field.minLength), maxLength: orNull(field.maxLength) } : {}),
          ...(rules.pattern && trimmed(field.pattern) !== '' ? { pattern: trimmed(field.pattern) } : {}),
          ...(rules.options ? { options: field.options.map((option) => ({ value: trimmed(option.value), label: trimmed(option.label) })) } : {}),
        };
      }),
      sections: draft.sections.map((section) => ({
        title: trimmed(section.title),
        fields: draft.fields.filter((field) => field.section === section.uid).map((field) => trimmed(field.key)),
      })),
    },
  };
};

/** A comparable snapshot (unsaved changes). */
export const snapshotOfDraft = (draft: TemplateDraft): string =>
  JSON.stringify({ name: draft.name.trim(), description: draft.description.trim(), definition: definitionFromDraft(draft) });

/** Keeps an automatic key in step with its name, unique among its siblings. */
export const syncKey = (item: { key: string; keyAuto: boolean }, name: string, siblings: readonly { key: string }[], fallback: string): void => {
  if (!item.keyAuto) return;
  const taken = new Set(siblings.filter((other) => other !== item).map((other) => other.key));
  item.key = name.trim() === '' ? '' : uniqueKey(keyFromName(name, fallback), taken);
};

export const syncOptionValue = (option: OptionDraft, siblings: readonly OptionDraft[]): void => {
  if (!option.valueAuto) return;
  const taken = new Set(siblings.filter((other) => other !== option).map((other) => other.value));
  option.value = option.label.trim() === '' ? '' : uniqueKey(keyFromName(option.label, 'option'), taken);
};

/** Client-side problems: definition path (as the API names it, without `definition.`) → i18n key under `designer.error`. */
export const validateDraft = (draft: TemplateDraft): Record<string, string> => {
  const issues: Record<string, string> = {};
  const checkKey = (path: string, key: string, seen: Set<string>): void => {
    const value = key.trim();
    if (value === '') issues[path] = 'required';
    else if (!KEY_PATTERN.test(value) || value.length > KEY_MAX_LENGTH) issues[path] = 'key';
    else if (seen.has(value)) issues[path] = 'duplicateKey';
    seen.add(value);
  };
  if (draft.name.trim() === '') issues.name = 'required';
  if (draft.stages.length === 0) issues.stages = 'noStages';
  else if (!draft.stages.some((stage) => stage.outcome === 'OPEN')) issues.stages = 'noOpenStage';
  else if (!draft.stages.some((stage) => stage.outcome === 'WON')) issues.stages = 'noWonStage';
  else if (!draft.stages.some((stage) => stage.outcome === 'LOST')) issues.stages = 'noLostStage';
  const firstWon = draft.stages.findIndex((stage) => stage.outcome === 'WON');
  draft.stages.forEach((stage, i) => {
    if (stage.outcome === 'WON' && i !== firstWon) issues[`stages.${i}.outcome`] = 'oneWon';
  });
  const stageKeys = new Set<string>();
  draft.stages.forEach((stage, i) => {
    const at = `stages.${i}`;
    if (stage.name.trim() === '') issues[`${at}.name`] = 'required';
    checkKey(`${at}.key`, stage.key, stageKeys);
    if (stage.probability === null || !Number.isInteger(stage.probability) || stage.probability < 0 || stage.probability > 100) {
      issues[`${at}.probability`] = 'probability';
    }
    const actionKeys = new Set<string>();
    stage.actions.forEach((action, j) => {
      const actionAt = `${at}.actions.${j}`;
      if (action.title.trim() === '') issues[`${actionAt}.title`] = 'required';
      checkKey(`${actionAt}.key`, action.key, actionKeys);
      if (action.assigneeType === 'USER' && !action.userId) issues[`${actionAt}.assignee`] = 'required';
      if (action.dueOffsetDays !== null && (!Number.isInteger(action.dueOffsetDays) || action.dueOffsetDays < 0 || action.dueOffsetDays > 3650)) {
        issues[`${actionAt}.dueOffsetDays`] = 'dueOffset';
      }
    });
  });
  const fieldKeys = new Set<string>();
  draft.fields.forEach((field, k) => {
    const at = `form.fields.${k}`;
    checkKey(`${at}.key`, field.key, fieldKeys);
    if (field.label.trim() === '') issues[`${at}.label`] = 'required';
    const rules = FIELD_RULES[field.type];
    if (rules.range) {
      const whole = field.type !== 'NUMBER';
      if (field.min !== null && ((whole && !Number.isInteger(field.min)) || (field.type !== 'NUMBER' && field.min < 0))) issues[`${at}.min`] = 'wholeNonNegative';
      else if (field.max !== null && ((whole && !Number.isInteger(field.max)) || (field.type !== 'NUMBER' && field.max < 0))) issues[`${at}.max`] = 'wholeNonNegative';
      else if (field.min !== null && field.max !== null && field.min > field.max) issues[`${at}.max`] = 'minMax';
    }
    if (rules.length) {
      if (field.minLength !== null && (!Number.isInteger(field.minLength) || field.minLength < 0)) issues[`${at}.minLength`] = 'length';
      if (field.maxLength !== null && (!Number.isInteger(field.maxLength) || field.maxLength < 1)) issues[`${at}.maxLength`] = 'length';
      else if (field.minLength !== null && field.maxLength !== null && field.minLength > field.maxLength) issues[`${at}.maxLength`] = 'minMax';
    }
    if (rules.pattern && field.pattern.trim() !== '') {
      try {
        new RegExp(field.pattern.trim(), 'u');
      } catch {
        issues[`${at}.pattern`] = 'pattern';
      }
    }
    if (rules.options) {
      if (field.options.length === 0) issues[`${at}.options`] = 'noOptions';
      const values = new Set<string>();
      field.options.forEach((option, m) => {
        const optionAt = `${at}.options.${m}`;
        if (option.label.trim() === '') issues[`${optionAt}.label`] = 'required';
        const value = option.value.trim();
        if (value === '') issues[`${optionAt}.value`] = 'required';
        else if (values.has(value)) issues[`${optionAt}.value`] = 'duplicateValue';
        values.add(value);
      });
    }
  });
  draft.sections.forEach((section, s) => {
    if (section.title.trim() === '') issues[`form.sections.${s}.title`] = 'required';
  });
  return issues;
};

/**
 * The designer path of an API error field: `input.definition.stages.0.name`, `definition/stages/0/name` or
 * `/stages/0/name` → `stages.0.name`; `…assignee.userId` → `…assignee`.
 */
export const designerPathOf = (field: string): string => {
  let path = field.trim().replace(/^\/+/, '').replace(/\//g, '.');
  path = path.replace(/^input\./, '').replace(/^definition\./, '');
  path = path.replace(/\[(\d+)\]/g, '.$1');
  path = path.replace(/(\.actions\.\d+\.assignee)\.(userId|type)$/, '$1');
  return path;
};

/** The longest prefix of `path` (dot-separated) accepted by `exists`, or null. */
export const placeablePath = (path: string, exists: (candidate: string) => boolean): string | null => {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n -= 1) {
    const candidate = parts.slice(0, n).join('.');
    if (exists(candidate)) return candidate;
  }
  return null;
};
