import type { DecidedDocument, NextStep } from '../api/tasks.queries';

type Translate = (key: string, named?: Record<string, unknown>) => string;
type Has = (key: string) => boolean;

/**
 * Someone the sentences name (`Document.awaitingActionFrom` and the like): the name and the roles — typed as
 * text, since a role this version of the portal does not know yet is still said (in lower case).
 */
type Person = { id: string; name: string; roles: readonly string[] };

/** The most telling of a person's roles first (a lawyer who may also approve is "lawyer"). */
const ROLE_ORDER = ['DIRECTOR', 'ACCOUNTANT', 'LAWYER', 'ADMIN', 'MANAGER', 'APPROVER', 'VIEWER'];

export const roleLabel = (t: Translate, te: Has, role: string): string => (te(`work.role.${role}`) ? t(`work.role.${role}`) : role.toLowerCase());

/** "Ирина Петрова (accountant)": the name and the person's most telling role. */
export const userLabel = (t: Translate, te: Has, user: Person): string => {
  const role = [...user.roles].sort((a, b) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b))[0];
  return role ? `${user.name} (${roleLabel(t, te, role)})` : user.name;
};

/** Who must act now, one per person: "Елена Волкова (lawyer), Наталья Соколова (accountant)". */
export const awaitingText = (t: Translate, te: Has, users: readonly Person[]): string => users.map((user) => userLabel(t, te, user)).join(', ');

/** A pending step as the next step: "Accountant (Наталья Соколова)" — by its role, else by its stage. */
const stepLabel = (t: Translate, te: Has, step: NextStep): string => {
  const head = step.role ? roleLabel(t, te, step.role) : step.stageName;
  const capitalised = head.charAt(0).toLocaleUpperCase() + head.slice(1);
  const names = step.assignees.map((assignee) => assignee.name).join(', ');
  return names ? `${capitalised} (${names})` : capitalised;
};

/**
 * What the approver is told after a decision: the result, then who must act now — from the document the mutation
 * returned (its status and pending steps), so no second request is needed.
 */
export const decisionResultText = (t: Translate, te: Has, decision: 'APPROVED' | 'REJECTED', document: DecidedDocument | null): string => {
  if (decision === 'REJECTED') return t('work.resultRejected');
  if (!document) return t('work.resultApproved');
  if (document.status === 'SIGNED' || document.status === 'IN_FORCE') return t('work.resultSigned');
  const result = document.status === 'APPROVED' ? t('work.resultApprovedStage') : t('work.resultApproved');
  const next = document.pendingSteps.map((step) => stepLabel(t, te, step));
  return `${result} ${next.length ? t('work.nowWaiting', { who: [...new Set(next)].join('; ') }) : t('work.nobodyWaiting')}`;
};
