import type { FieldDraft, TemplateDraft } from '../model/template-draft';

/** What the designer edits at a time: one stage (with its actions) or one form section (with its fields). */
export type DesignerSelection = { kind: 'stage' | 'section'; uid: number };

/** The number of error paths at `prefix` or below it (`stages.1` counts `stages.1.actions.0.title`). */
export const errorsUnder = (paths: readonly string[], prefix: string): number => paths.filter((path) => path === prefix || path.startsWith(`${prefix}.`)).length;

/** The fields of a section with their index in `form.fields` (the error paths use it). */
export const fieldsOfSection = (fields: readonly FieldDraft[], sectionUid: number): { field: FieldDraft; index: number }[] =>
  fields.map((field, index) => ({ field, index })).filter(({ field }) => field.section === sectionUid);

/** Errors of a section: its own (title) and its fields'. */
export const sectionErrors = (paths: readonly string[], draft: Pick<TemplateDraft, 'sections' | 'fields'>, s: number): number => {
  const section = draft.sections[s];
  if (!section) return 0;
  return errorsUnder(paths, `form.sections.${s}`) + fieldsOfSection(draft.fields, section.uid).reduce((sum, { index }) => sum + errorsUnder(paths, `form.fields.${index}`), 0);
};

/**
 * The item to show for an error path, so a user finds it: the stage of `stages.<i>…`, the section of
 * `form.sections.<s>…` or of the field `form.fields.<k>…`; null for the template's own fields and list-wide errors.
 */
export const selectionOfPath = (path: string, draft: Pick<TemplateDraft, 'stages' | 'sections' | 'fields'>): DesignerSelection | null => {
  const stage = /^stages\.(\d+)(\.|$)/.exec(path);
  if (stage) {
    const found = draft.stages[Number(stage[1])];
    return found ? { kind: 'stage', uid: found.uid } : null;
  }
  const section = /^form\.sections\.(\d+)(\.|$)/.exec(path);
  if (section) {
    const found = draft.sections[Number(section[1])];
    return found ? { kind: 'section', uid: found.uid } : null;
  }
  const field = /^form\.fields\.(\d+)(\.|$)/.exec(path);
  if (field) {
    const found = draft.fields[Number(field[1])];
    return found ? { kind: 'section', uid: found.section } : null;
  }
  return null;
};

/** The selection if it still exists, else the first stage (or section): removing the shown item never leaves the editor empty. */
export const resolveSelection = (selection: DesignerSelection | null, draft: Pick<TemplateDraft, 'stages' | 'sections'>): DesignerSelection | null => {
  if (selection?.kind === 'stage' && draft.stages.some((stage) => stage.uid === selection.uid)) return selection;
  if (selection?.kind === 'section' && draft.sections.some((section) => section.uid === selection.uid)) return selection;
  if (selection?.kind === 'section' && draft.sections[0]) return { kind: 'section', uid: draft.sections[0].uid };
  if (draft.stages[0]) return { kind: 'stage', uid: draft.stages[0].uid };
  if (draft.sections[0]) return { kind: 'section', uid: draft.sections[0].uid };
  return null;
};
