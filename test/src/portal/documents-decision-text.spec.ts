import type { DecidedDocument } from '../../../frontends/documents/src/api/tasks.queries';
import { workplaceEn } from '../../../frontends/documents/src/i18n/workplace.en';
import { workplaceRu, type WorkplaceMessages } from '../../../frontends/documents/src/i18n/workplace.ru';
import { awaitingText, decisionResultText } from '../../../frontends/documents/src/workplace/who';

/** What the approver is told after an inline decision, and who must act now, in both languages. */

const translator = (messages: WorkplaceMessages) => {
  const lookup = (key: string): unknown => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);
  const t = (key: string, named: Record<string, unknown> = {}): string => {
    const text = lookup(key);
    if (typeof text !== 'string') throw new Error(`no message ${key}`);
    return text.replace(/\{(\w+)\}/g, (_, name: string) => String(named[name]));
  };
  const te = (key: string): boolean => typeof lookup(key) === 'string';
  return { t, te };
};
const ru = translator(workplaceRu);
const en = translator(workplaceEn);

const accountant = { id: 'a', name: 'Наталья Соколова', roles: ['APPROVER', 'ACCOUNTANT'] };
const lawyer = { id: 'l', name: 'Елена Волкова', roles: ['APPROVER', 'LAWYER'] };
const document = (status: DecidedDocument['status'], pendingSteps: DecidedDocument['pendingSteps'] = []): DecidedDocument => ({
  id: 'd',
  status,
  myPendingSteps: [],
  awaitingActionFrom: pendingSteps.flatMap((step) => step.assignees.map((assignee) => ({ ...assignee, roles: [] }))),
  pendingSteps,
});

describe('the decision result', () => {
  it('names the next step by its role and its people', () => {
    const next = document('ON_APPROVAL', [{ id: 's', role: 'ACCOUNTANT', stageName: 'Финансы', signOff: false, assignees: [{ id: 'a', name: accountant.name }] }]);
    expect(decisionResultText(ru.t, ru.te, 'APPROVED', next)).toBe('Согласовано. Теперь ждём: Бухгалтер (Наталья Соколова)');
    expect(decisionResultText(en.t, en.te, 'APPROVED', next)).toBe('Approved. Now waiting for: Accountant (Наталья Соколова)');
  });

  it('names a step of a person by its stage, and parallel steps together', () => {
    const next = document('ON_APPROVAL', [
      { id: 's1', role: null, stageName: 'Проверка', signOff: false, assignees: [{ id: 'l', name: lawyer.name }] },
      { id: 's2', role: 'ACCOUNTANT', stageName: 'Проверка', signOff: false, assignees: [{ id: 'a', name: accountant.name }] },
    ]);
    expect(decisionResultText(ru.t, ru.te, 'APPROVED', next)).toBe('Согласовано. Теперь ждём: Проверка (Елена Волкова); Бухгалтер (Наталья Соколова)');
  });

  it('says when the stage led to the sign-off, when the document is signed, and a rejection', () => {
    const signOff = document('APPROVED', [{ id: 's', role: 'DIRECTOR', stageName: 'Утверждение', signOff: true, assignees: [{ id: 'x', name: 'Андрей Морозов' }] }]);
    expect(decisionResultText(en.t, en.te, 'APPROVED', signOff)).toBe('Approved. The stage is complete; the document waits for sign-off. Now waiting for: Director (Андрей Морозов)');
    expect(decisionResultText(ru.t, ru.te, 'APPROVED', document('SIGNED'))).toBe('Документ утверждён и подписан.');
    expect(decisionResultText(en.t, en.te, 'APPROVED', document('IN_FORCE'))).toBe('The document is signed off.');
    expect(decisionResultText(ru.t, ru.te, 'REJECTED', null)).toBe('Отклонено — документ возвращён автору на доработку.');
    expect(decisionResultText(en.t, en.te, 'APPROVED', document('ON_APPROVAL'))).toBe('Approved. Nobody else needs to act.');
  });
});

describe('who must act now', () => {
  it('lists each person with their most telling role', () => {
    expect(awaitingText(ru.t, ru.te, [lawyer, accountant])).toBe('Елена Волкова (юрист), Наталья Соколова (бухгалтер)');
    expect(awaitingText(en.t, en.te, [{ id: 'x', name: 'Андрей Морозов', roles: ['APPROVER', 'MANAGER', 'DIRECTOR'] }])).toBe('Андрей Морозов (director)');
    expect(awaitingText(en.t, en.te, [{ id: 'y', name: 'Someone', roles: [] }])).toBe('Someone');
  });
});
