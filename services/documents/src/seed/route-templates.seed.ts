import type { EntityManager } from '@mikro-orm/postgresql';
import { CompletionRule, StageMode } from '../modules/approval/approval.enums';
import { RouteTemplate, type RouteStageSpec } from '../modules/approval/route-template.entity';
import { DocumentType } from '../modules/document/document.entity';

const signOff = (hours = 24): RouteStageSpec => ({ name: 'Подписание', mode: StageMode.SEQUENTIAL, rule: CompletionRule.ALL, quorum: null, steps: [{ userId: null, role: 'DIRECTOR', deadlineHours: hours }] });
const legalAndFinance: RouteStageSpec = {
  name: 'Юридическая и финансовая экспертиза',
  mode: StageMode.PARALLEL,
  rule: CompletionRule.ALL,
  quorum: null,
  steps: [
    { userId: null, role: 'LAWYER', deadlineHours: 48 },
    { userId: null, role: 'ACCOUNTANT', deadlineHours: 48 },
  ],
};
const accounting: RouteStageSpec = { name: 'Проверка бухгалтерией', mode: StageMode.SEQUENTIAL, rule: CompletionRule.ALL, quorum: null, steps: [{ userId: null, role: 'ACCOUNTANT', deadlineHours: 24 }] };

/** A default route per document type, addressed to roles (resolved to people when a route starts). */
const DEFAULT_ROUTES: readonly { documentType: DocumentType; name: string; stages: RouteStageSpec[] }[] = [
  { documentType: DocumentType.CONTRACT, name: 'Договор: юрист и бухгалтерия, подпись директора', stages: [legalAndFinance, signOff()] },
  { documentType: DocumentType.SUPPLEMENTARY_AGREEMENT, name: 'Доп. соглашение: юрист и бухгалтерия, подпись директора', stages: [legalAndFinance, signOff()] },
  { documentType: DocumentType.INVOICE, name: 'Счёт: бухгалтерия, подпись директора', stages: [accounting, signOff()] },
  { documentType: DocumentType.ACT, name: 'Акт: бухгалтерия, подпись директора', stages: [accounting, signOff()] },
  { documentType: DocumentType.PAYMENT_ORDER, name: 'Платёж: бухгалтерия, подпись директора', stages: [accounting, signOff(8)] },
  { documentType: DocumentType.COMMERCIAL_OFFER, name: 'КП: подпись директора', stages: [signOff(8)] },
  { documentType: DocumentType.OUTGOING_LETTER, name: 'Исходящее письмо: подпись директора', stages: [signOff(8)] },
  { documentType: DocumentType.INCOMING_LETTER, name: 'Входящее письмо: резолюция директора', stages: [signOff(24)] },
  { documentType: DocumentType.OTHER, name: 'Прочий документ: подпись директора', stages: [signOff(24)] },
];

/** Idempotent: on a database without route templates, creates the default route of every document type. */
export async function seedRouteTemplates(em: EntityManager): Promise<string> {
  if (await em.count(RouteTemplate, {})) return 'documents: route templates exist, nothing seeded';
  for (const route of DEFAULT_ROUTES) em.create(RouteTemplate, { name: route.name, documentType: route.documentType, isDefault: true, stageSpecs: route.stages });
  await em.flush();
  return `documents: ${DEFAULT_ROUTES.length} default route templates`;
}
