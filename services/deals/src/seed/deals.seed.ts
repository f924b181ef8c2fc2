import { addDays, ANONYMOUS, daysBetween, DEMO_MANAGER_IDS, LoaderRegistry, officeTime, Prng, todayUtc } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CaseTemplateVersion } from '../modules/case-template/case-template-version.entity';
import { DEFAULT_DEFINITION, DEFAULT_TEMPLATE_ID, DEFAULT_TEMPLATE_VERSION_ID } from '../modules/case-template/case-template.defaults';
import type { CaseDefinition, StageDefinition } from '../modules/case-template/case-template.definition';
import { CaseTemplate, CaseTemplateStatus } from '../modules/case-template/case-template.entity';
import { type FormData, validateFormData } from '../modules/case-template/case-template.form';
import { installDefaultTemplate } from '../modules/case-template/case-template.service';
import { DealAction, DealActionStatus } from '../modules/deal/deal-action.entity';
import { DealChange, DealChangeKind } from '../modules/deal/deal-change.entity';
import { DealStageVisit } from '../modules/deal/deal-stage-visit.entity';
import { Deal, DealStatus } from '../modules/deal/deal.entity';
import { DealService } from '../modules/deal/deal.service';
import { EQUIPMENT_DEFINITIONS, EQUIPMENT_TEMPLATE_ID, EQUIPMENT_TEMPLATE_NAME, EQUIPMENT_VERSION_IDS } from './equipment-template.seed';

export type DealsSeedOptions = {
  /** Demo counterparties (owned by the counterparties service) the deals are with. */
  counterpartyIds: readonly string[];
  /** The day the demo data ends on (YYYY-MM-DD); today by default. */
  today?: string;
  /** At least this many deals on the default template (more when there are many counterparties: each gets at least one). */
  minimum?: number;
};

const SUBJECTS: readonly { title: string; rub: readonly [number, number] }[] = [
  { title: 'Поставка серверного оборудования', rub: [1_500_000, 18_000_000] },
  { title: 'Внедрение CRM-системы', rub: [800_000, 6_000_000] },
  { title: 'Годовое сервисное обслуживание кондиционеров', rub: [150_000, 900_000] },
  { title: 'Поставка офисной мебели для нового офиса', rub: [400_000, 3_500_000] },
  { title: 'Аутсорсинг бухгалтерского учёта', rub: [240_000, 1_800_000] },
  { title: 'Модернизация ИТ-инфраструктуры', rub: [2_000_000, 25_000_000] },
  { title: 'Поставка спецодежды и СИЗ', rub: [120_000, 2_000_000] },
  { title: 'Ремонт производственного цеха', rub: [3_000_000, 30_000_000] },
  { title: 'Комплексная уборка территории', rub: [180_000, 1_200_000] },
  { title: 'Годовой контракт на канцелярские товары', rub: [90_000, 600_000] },
  { title: 'Разработка корпоративного портала', rub: [1_200_000, 8_000_000] },
  { title: 'Аренда складских помещений', rub: [600_000, 7_200_000] },
  { title: 'Грузоперевозки по Центральному федеральному округу', rub: [300_000, 4_000_000] },
  { title: 'Поставка запасных частей для спецтехники', rub: [250_000, 5_000_000] },
  { title: 'Монтаж системы видеонаблюдения', rub: [350_000, 2_500_000] },
  { title: 'Обучение персонала по охране труда', rub: [60_000, 400_000] },
  { title: 'Поставка упаковки для линии розлива', rub: [500_000, 6_000_000] },
  { title: 'Лизинг грузовых автомобилей', rub: [5_000_000, 40_000_000] },
];

const SUFFIXES = ['', '', '', ' — второй этап', ' (пилотный проект)', ' на следующий год', ' для филиала в Казани', ' для филиала в Екатеринбурге'];

const STAGE_WEIGHTS: readonly (readonly [string, number])[] = [
  ['lead', 10],
  ['qualification', 9],
  ['proposal', 9],
  ['negotiation', 7],
  ['won', 15],
  ['lost', 10],
];

const EQUIPMENT: readonly { title: string; type: string; rub: readonly [number, number] }[] = [
  { title: 'Поставка серверов для ЦОД', type: 'servers', rub: [4_000_000, 30_000_000] },
  { title: 'Коммутаторы для сети филиалов', type: 'network', rub: [800_000, 6_000_000] },
  { title: 'Система хранения данных', type: 'storage', rub: [2_500_000, 15_000_000] },
  { title: 'ИБП для серверной', type: 'power', rub: [300_000, 2_500_000] },
];

const EQUIPMENT_WEIGHTS: readonly (readonly [string, number])[] = [
  ['request', 3],
  ['survey', 3],
  ['offer', 3],
  ['contract', 2],
  ['delivered', 4],
  ['lost', 2],
];

const LOST_REASONS = ['Выбрали конкурента', 'Нет бюджета в этом году', 'Проект отложен заказчиком', 'Не устроили сроки поставки', 'Слишком высокая цена'];
const SOURCES = ['website', 'call', 'referral', 'exhibition', 'tender'];
const NEEDS = [
  'Заменить устаревшее решение до конца квартала',
  'Расширение штата, нужен запас мощностей на два года',
  'Требование регулятора, сроки жёсткие',
  'Снизить операционные расходы на 15%',
  'Открытие нового филиала',
];
const COMPETITORS = ['Ростелеком', 'Крок', 'Ланит', 'местный интегратор', 'Softline'];
const ADDRESSES = ['г. Москва, ул. Складочная, д. 1, стр. 6', 'г. Казань, ул. Петербургская, д. 52', 'г. Екатеринбург, ул. Малышева, д. 51', 'г. Новосибирск, Красный пр-т, д. 86'];

type SeedVersion = { id: string; templateId: string; definition: CaseDefinition };
type DealPlan = {
  id: string;
  version: SeedVersion;
  counterpartyId: string;
  title: string;
  amountMinor: number | null;
  ownerId: string;
  createdDate: string;
  /** The final stage, and (for closed deals) the day it closed. */
  stageKey: string;
  closeDate: string | null;
  expectedCloseDate: string;
  formData: (reached: number) => Record<string, unknown>;
};

/**
 * Part of every install: the default template «Продажа», and deals from before templates adopted onto it.
 * Idempotent.
 */
export async function installDeals(em: EntityManager): Promise<string> {
  const installed = await installDefaultTemplate(em);
  const adopted = await new DealService({ em, identity: ANONYMOUS, loaders: new LoaderRegistry() }).adoptLegacy(em);
  return `deals: default template ${installed ? 'installed' : 'present'}${adopted ? `, ${adopted} earlier deals moved onto it` : ''}`;
}

/** The demo's equipment supply template: version 1 a year ago, version 2 (with the procurement number) four months ago. */
async function installEquipmentTemplate(em: EntityManager, today: string): Promise<SeedVersion[]> {
  if (!(await em.findOne(CaseTemplate, { id: EQUIPMENT_TEMPLATE_ID }))) {
    const created = new Date(`${addDays(today, -400)}T09:00:00.000Z`);
    em.create(CaseTemplate, {
      id: EQUIPMENT_TEMPLATE_ID,
      name: EQUIPMENT_TEMPLATE_NAME,
      description: 'Поставка ИТ-оборудования с обследованием площадки, спецификацией и договором',
      status: CaseTemplateStatus.PUBLISHED,
      draft: EQUIPMENT_DEFINITIONS[1],
      draftVersion: 3,
      createdAt: created,
      updatedAt: new Date(`${addDays(today, -120)}T09:00:00.000Z`),
    });
    EQUIPMENT_DEFINITIONS.forEach((definition, index) =>
      em.create(CaseTemplateVersion, {
        id: EQUIPMENT_VERSION_IDS[index],
        templateId: EQUIPMENT_TEMPLATE_ID,
        number: index + 1,
        definition,
        publishedAt: new Date(`${addDays(today, index === 0 ? -365 : -120)}T09:00:00.000Z`),
        publishedById: DEMO_MANAGER_IDS[0],
      }),
    );
    await em.flush();
  }
  return EQUIPMENT_DEFINITIONS.map((definition, index) => ({ id: EQUIPMENT_VERSION_IDS[index], templateId: EQUIPMENT_TEMPLATE_ID, definition }));
}

/** The stages a deal went through to its final stage: the open ones in order, then the won or lost one. */
function pathTo(prng: Prng, definition: CaseDefinition, finalKey: string): StageDefinition[] {
  const open = definition.stages.filter((stage) => stage.outcome === 'OPEN');
  const final = definition.stages.find((stage) => stage.key === finalKey);
  if (!final) throw new Error(`No stage ${finalKey}`);
  if (final.outcome === 'OPEN') return open.slice(0, open.indexOf(final) + 1);
  if (final.outcome === 'WON') return [...open, final];
  return [...open.slice(0, prng.int(1, open.length)), final];
}

/** Writes a deal with its stage visits, actions and history as if it had been run through the app. */
function plant(em: EntityManager, prng: Prng, plan: DealPlan, now: number): void {
  const { definition } = plan.version;
  const path = pathTo(prng, definition, plan.stageKey);
  const final = path[path.length - 1];
  const createdAt = officeTime(prng, plan.createdDate);
  // Open deals entered their current stage some day before today; closed ones on the day they closed.
  const lastDay = plan.closeDate ?? addDays(plan.createdDate, prng.int(0, Math.max(0, daysBetween(plan.createdDate, todayOf(now)) - 1)));
  const spanEnd = path.length > 1 ? Math.max(createdAt.getTime() + 3_600_000, Math.min(officeTime(prng, lastDay).getTime(), now)) : createdAt.getTime();
  const weights = path.slice(1).map(() => prng.int(1, 10));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let cumulative = 0;
  const entered = [createdAt, ...weights.map((weight) => new Date(createdAt.getTime() + Math.round(((spanEnd - createdAt.getTime()) * (cumulative += weight)) / total)))];
  const reachedIndex = path.filter((stage) => stage.outcome === 'OPEN').length - 1;
  const formData: FormData = validateFormData(definition, plan.formData(reachedIndex), plan.version.id);
  const status = final.outcome === 'WON' ? DealStatus.WON : final.outcome === 'LOST' ? DealStatus.LOST : DealStatus.OPEN;
  let updatedAt = entered[entered.length - 1].getTime();
  const owner = plan.ownerId;
  const history = (kind: DealChangeKind, at: Date, details: DealChange['details']) => em.create(DealChange, { dealId: plan.id, kind, at, actorKind: 'user', actorId: owner, details });

  const deal = em.create(Deal, {
    id: plan.id,
    title: plan.title,
    counterpartyId: plan.counterpartyId,
    amountMinor: plan.amountMinor,
    currency: plan.amountMinor === null ? null : 'RUB',
    templateId: plan.version.templateId,
    templateVersionId: plan.version.id,
    stageKey: final.key,
    status,
    closeReason: status === DealStatus.LOST ? prng.pick(LOST_REASONS) : null,
    formData,
    stageEnteredAt: entered[entered.length - 1],
    ownerId: owner,
    expectedCloseDate: plan.expectedCloseDate,
    createdAt,
    updatedAt: createdAt,
  });
  history(DealChangeKind.CREATED, createdAt, { toStageKey: path[0].key });
  path.forEach((stage, index) => {
    const enteredAt = entered[index];
    const leftAt = entered[index + 1] ?? null;
    em.create(DealStageVisit, { dealId: plan.id, stageKey: stage.key, enteredAt, leftAt });
    if (index > 0) {
      const kind = stage.outcome === 'WON' ? DealChangeKind.WON : stage.outcome === 'LOST' ? DealChangeKind.LOST : DealChangeKind.STAGE_CHANGED;
      history(kind, enteredAt, { fromStageKey: path[index - 1].key, toStageKey: stage.key });
    }
    stage.actions.forEach((action, position) => {
      const current = leftAt === null;
      const documentAction = action.kind === 'SEND_OFFER' || action.kind === 'PREPARE_CONTRACT' || action.kind === 'REQUEST_APPROVAL';
      const done = !current || (status !== DealStatus.LOST && !documentAction && prng.chance(0.4));
      const until = leftAt?.getTime() ?? Math.min(now, enteredAt.getTime() + 5 * 86_400_000);
      const doneAt = done ? new Date(enteredAt.getTime() + Math.round((until - enteredAt.getTime()) * prng.next())) : null;
      em.create(DealAction, {
        dealId: plan.id,
        stageKey: stage.key,
        actionKey: action.key,
        kind: action.kind,
        title: action.title,
        position,
        assigneeId: action.assignee.type === 'USER' ? action.assignee.userId : owner,
        dueAt: new Date(enteredAt.getTime() + action.dueOffsetDays * 86_400_000),
        required: action.required,
        status: done ? DealActionStatus.DONE : DealActionStatus.TODO,
        doneAt,
        doneById: done ? owner : null,
        createdAt: enteredAt,
        updatedAt: doneAt ?? enteredAt,
      });
      if (doneAt) {
        history(DealChangeKind.ACTION_DONE, doneAt, { actionKey: action.key, actionTitle: action.title });
        updatedAt = Math.max(updatedAt, doneAt.getTime());
      }
    });
  });
  deal.updatedAt = new Date(Math.min(updatedAt, Math.max(now, createdAt.getTime())));
}

function todayOf(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/**
 * Demo deals: the default template's deals over its stages (open ones from the last half-year with close
 * dates ahead, some overdue; won and lost ones over the last two years) and a few on the equipment supply
 * template (on both its versions) — each with its stage history, actions and form data. Deterministic: the
 * same input gives the same deals. Idempotent: does nothing when deals exist.
 */
export async function seedDeals(em: EntityManager, options: DealsSeedOptions): Promise<string> {
  if (await em.count(Deal, {})) return 'deals: deals exist, nothing seeded';
  if (!options.counterpartyIds.length) return 'deals: no demo counterparties, nothing seeded';
  await installDefaultTemplate(em);
  const prng = new Prng(0xdea15eed);
  const today = options.today ?? todayUtc();
  const minimum = options.minimum ?? 64;
  const now = Math.min(Date.now(), Date.parse(`${today}T23:59:59.000Z`));
  const salesVersion: SeedVersion = { id: DEFAULT_TEMPLATE_VERSION_ID, templateId: DEFAULT_TEMPLATE_ID, definition: DEFAULT_DEFINITION };
  const equipment = await installEquipmentTemplate(em, today);
  let count = 0;

  const salesDeal = (counterpartyId: string) => {
    const subject = prng.pick(SUBJECTS);
    const stageKey = prng.weighted(STAGE_WEIGHTS);
    const closed = stageKey === 'won' || stageKey === 'lost';
    const createdDate = addDays(today, -(closed ? prng.int(30, 729) : prng.int(1, 180)));
    const unestimated = stageKey === 'lead' && prng.chance(0.4);
    const closeDate = addDays(createdDate, closed ? prng.int(10, 150) : prng.int(20, 150));
    const source = prng.pick(SOURCES);
    const need = prng.pick(NEEDS);
    const competitors = prng.chance(0.4) ? prng.pick(COMPETITORS) : null;
    const needWhileQualifying = prng.chance(0.5);
    plant(
      em,
      prng,
      {
        id: prng.uuid(),
        version: salesVersion,
        counterpartyId,
        title: `${subject.title}${prng.pick(SUFFIXES)}`,
        amountMinor: unestimated ? null : prng.int(subject.rub[0] / 1000, subject.rub[1] / 1000) * 1000 * 100,
        ownerId: prng.pick(DEMO_MANAGER_IDS),
        createdDate,
        stageKey,
        // Closed deals closed in the past; open ones may already be overdue.
        closeDate: closed ? (closeDate < today ? closeDate : addDays(today, -1)) : null,
        expectedCloseDate: !closed || closeDate < today ? closeDate : addDays(today, -1),
        formData: (reached) => ({ source, ...(reached >= 2 || (reached === 1 && needWhileQualifying) ? { need } : {}), ...(competitors ? { competitors } : {}) }),
      },
      now,
    );
    count += 1;
  };

  const equipmentDeal = (counterpartyId: string) => {
    const item = prng.pick(EQUIPMENT);
    const stageKey = prng.weighted(EQUIPMENT_WEIGHTS);
    const closed = stageKey === 'delivered' || stageKey === 'lost';
    const age = closed ? prng.int(60, 330) : prng.int(5, 200);
    const createdDate = addDays(today, -age);
    const version = age > 120 ? equipment[0] : equipment[1];
    const amountMinor = prng.int(item.rub[0] / 1000, item.rub[1] / 1000) * 1000 * 100;
    const closeDate = addDays(createdDate, prng.int(20, 120));
    const quantity = prng.int(2, 60);
    const deliveryDate = addDays(createdDate, prng.int(30, 150));
    const services = ['installation', 'commissioning', 'training', 'support'].filter(() => prng.chance(0.5));
    const tender = prng.chance(0.5) ? String(prng.int(10_000_000, 99_999_999)) + String(prng.int(100, 999)) : null;
    const engineer = prng.pick(DEMO_MANAGER_IDS);
    const address = prng.pick(ADDRESSES);
    plant(
      em,
      prng,
      {
        id: prng.uuid(),
        version,
        counterpartyId,
        title: `${item.title} (${quantity} шт.)`,
        amountMinor,
        ownerId: prng.pick(DEMO_MANAGER_IDS),
        createdDate,
        stageKey,
        closeDate: closed ? (closeDate < today ? closeDate : addDays(today, -1)) : null,
        expectedCloseDate: !closed || closeDate < today ? closeDate : addDays(today, -1),
        formData: (reached) => ({
          equipmentType: item.type,
          ...(reached >= 1 ? { quantity, siteAddress: address, needsInstallation: services.includes('installation'), engineer } : {}),
          ...(reached >= 2 ? { budget: { amountMinor, currency: 'RUB' }, deliveryDate, services } : {}),
          ...(reached >= 2 && tender && version === equipment[1] ? { tenderNumber: tender } : {}),
          ...(reached >= 3 ? { requirements: 'Гарантия производителя не менее 36 месяцев; поставка и монтаж в рабочее время.' } : {}),
        }),
      },
      now,
    );
  };

  // Every counterparty gets a deal; then the busier ones (earlier in the list) get more.
  options.counterpartyIds.forEach((id) => salesDeal(id));
  const weights = options.counterpartyIds.map((id, index) => [id, 1 / (1 + index * 0.2)] as const);
  while (count < minimum) salesDeal(prng.weighted(weights));
  const equipmentCount = Math.min(18, Math.max(6, Math.round(count / 4)));
  for (let i = 0; i < equipmentCount; i += 1) equipmentDeal(prng.weighted(weights));
  await em.flush();
  return `deals: ${count} demo deals on «Продажа» and ${equipmentCount} on «${EQUIPMENT_TEMPLATE_NAME}» for ${options.counterpartyIds.length} counterparties`;
}
