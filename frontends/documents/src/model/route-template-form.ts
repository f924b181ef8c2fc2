import type {
  CompletionRule,
  CreateRouteTemplateInput,
  DocumentType,
  RouteTemplate,
  StageMode,
  UpdateRouteTemplateInput,
} from '../api/edms.queries';

export type StepDraft = { key: number; kind: 'user' | 'role'; approverId: string | null; approverName: string; role: string | null; deadlineHours: number | null };
export type StageDraft = { key: number; name: string; mode: StageMode; rule: CompletionRule; quorum: number | null; steps: StepDraft[] };
export type TemplateDraft = {
  id: string | null;
  version: number | null;
  name: string;
  documentType: DocumentType;
  isDefault: boolean;
  active: boolean;
  stages: StageDraft[];
};

let nextKey = 1;
const key = (): number => nextKey++;

export const DEFAULT_DEADLINE_HOURS = 24;

export const emptyStep = (): StepDraft => ({ key: key(), kind: 'user', approverId: null, approverName: '', role: null, deadlineHours: DEFAULT_DEADLINE_HOURS });
export const emptyStage = (name = ''): StageDraft => ({ key: key(), name, mode: 'SEQUENTIAL', rule: 'ALL', quorum: null, steps: [emptyStep()] });

export const emptyTemplate = (documentType: DocumentType = 'CONTRACT'): TemplateDraft => ({
  id: null,
  version: null,
  name: '',
  documentType,
  isDefault: false,
  active: true,
  stages: [emptyStage()],
});

export const draftFromTemplate = (template: RouteTemplate): TemplateDraft => ({
  id: template.id,
  version: template.version,
  name: template.name,
  documentType: template.documentType,
  isDefault: template.isDefault,
  active: template.active,
  stages: template.stages.map((stage) => ({
    key: key(),
    name: stage.name,
    mode: stage.mode,
    rule: stage.rule,
    quorum: stage.quorum,
    steps: stage.steps.map((step) => ({
      key: key(),
      kind: step.role ? 'role' : 'user',
      approverId: step.approverId,
      approverName: step.approver?.name ?? '',
      role: step.role,
      deadlineHours: step.deadlineHours,
    })),
  })),
});

/** Client-side problems: path → i18n key under `edms.templates.error`. */
export const validateTemplate = (draft: TemplateDraft): Record<string, string> => {
  const issues: Record<string, string> = {};
  if (draft.name.trim() === '') issues.name = 'required';
  if (draft.stages.length === 0) issues.stages = 'noStages';
  draft.stages.forEach((stage, i) => {
    const at = `stages.${i}`;
    if (stage.name.trim() === '') issues[`${at}.name`] = 'required';
    if (stage.steps.length === 0) issues[`${at}.steps`] = 'noSteps';
    if (stage.rule === 'QUORUM' && (!stage.quorum || stage.quorum < 1 || stage.quorum > stage.steps.length)) issues[`${at}.quorum`] = 'quorum';
    const seen = new Set<string>();
    stage.steps.forEach((step, j) => {
      const stepAt = `${at}.steps.${j}`;
      const who = step.kind === 'user' ? step.approverId : step.role;
      if (!who) issues[`${stepAt}.approver`] = 'required';
      else if (seen.has(`${step.kind}:${who}`)) issues[`${stepAt}.approver`] = 'duplicate';
      else seen.add(`${step.kind}:${who}`);
      if (step.deadlineHours === null || !Number.isInteger(step.deadlineHours) || step.deadlineHours < 1 || step.deadlineHours > 8760) {
        issues[`${stepAt}.deadlineHours`] = 'deadline';
      }
    });
  });
  return issues;
};

const stagesInput = (draft: TemplateDraft): CreateRouteTemplateInput['stages'] =>
  draft.stages.map((stage) => ({
    name: stage.name.trim(),
    mode: stage.mode,
    rule: stage.rule,
    quorum: stage.rule === 'QUORUM' ? stage.quorum : null,
    steps: stage.steps.map((step) => ({
      approverId: step.kind === 'user' ? step.approverId : null,
      role: step.kind === 'role' ? step.role : null,
      deadlineHours: step.deadlineHours ?? DEFAULT_DEADLINE_HOURS,
    })),
  }));

export const toCreateTemplateInput = (draft: TemplateDraft): CreateRouteTemplateInput => ({
  name: draft.name.trim(),
  documentType: draft.documentType,
  isDefault: draft.isDefault,
  stages: stagesInput(draft),
});

export const toUpdateTemplateInput = (draft: TemplateDraft): UpdateRouteTemplateInput => ({
  id: draft.id ?? '',
  version: draft.version ?? 0,
  name: draft.name.trim(),
  isDefault: draft.isDefault,
  active: draft.active,
  stages: stagesInput(draft),
});

/** The editor path of an API error field: `stages.0.steps.1`, `…approverId` and `…role` → `…approver`. */
export const templatePathOf = (field: string): string => {
  const bare = field.replace(/^input\./, '');
  const step = /^(stages\.\d+\.steps\.\d+)(?:\.(approverId|role))?$/.exec(bare);
  if (step) return `${step[1]}.approver`;
  return bare;
};

/** A comparable snapshot of a draft (unsaved changes). */
export const snapshotOfTemplate = (draft: TemplateDraft): string =>
  JSON.stringify({ ...draft, stages: draft.stages.map((stage) => ({ ...stage, key: 0, steps: stage.steps.map((step) => ({ ...step, key: 0, approverName: '' })) })) });
