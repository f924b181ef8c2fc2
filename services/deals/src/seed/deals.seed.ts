import { addDays, DEMO_MANAGER_IDS, officeTime, Prng, todayUtc } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DEFAULT_PIPELINE, type DealStageOutcome } from '../modules/deal/deal-stages';
import { Deal } from '../modules/deal/deal.entity';

export type DealsSeedOptions = {
  /** Demo counterparties (owned by the counterparties service) the deals are with. */
  counterpartyIds: readonly string[];
  /** The day the demo data ends on (YYYY-MM-DD); today by default. */
  today?: string;
  /** At least this many deals (more when there are many counterparties: each gets at least one). */
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

function outcomeOf(code: string): DealStageOutcome {
  return DEFAULT_PIPELINE.find((stage) => stage.code === code)?.outcome ?? 'open';
}

/**
 * Demo deals over the default pipeline: open deals from the last half-year with close dates ahead (some
 * overdue), won and lost ones over the last two years. Deterministic: the same input gives the same rows.
 * Idempotent: does nothing when deals exist.
 */
export async function seedDeals(em: EntityManager, options: DealsSeedOptions): Promise<string> {
  if (await em.count(Deal, {})) return 'deals: deals exist, nothing seeded';
  if (!options.counterpartyIds.length) return 'deals: no demo counterparties, nothing seeded';
  const prng = new Prng(0xdea15eed);
  const today = options.today ?? todayUtc();
  const minimum = options.minimum ?? 64;
  const now = Date.now();
  let count = 0;

  const deal = (counterpartyId: string) => {
    const subject = prng.pick(SUBJECTS);
    const stage = prng.weighted(STAGE_WEIGHTS);
    const outcome = outcomeOf(stage);
    const created = addDays(today, -(outcome === 'open' ? prng.int(1, 180) : prng.int(30, 729)));
    const unestimated = stage === 'lead' && prng.chance(0.4);
    const closeDate = outcome === 'open' ? addDays(created, prng.int(20, 150)) : addDays(created, prng.int(10, 150));
    const createdAt = officeTime(prng, created);
    em.create(Deal, {
      id: prng.uuid(),
      title: `${subject.title}${prng.pick(SUFFIXES)}`,
      counterpartyId,
      amountMinor: unestimated ? null : prng.int(subject.rub[0] / 1000, subject.rub[1] / 1000) * 1000 * 100,
      currency: unestimated ? null : 'RUB',
      stage,
      ownerId: prng.pick(DEMO_MANAGER_IDS),
      // Closed deals closed in the past; open ones may already be overdue.
      expectedCloseDate: outcome === 'open' || closeDate < today ? closeDate : addDays(today, -1),
      createdAt,
      updatedAt: new Date(Math.min(createdAt.getTime() + prng.int(0, 20) * 86_400_000, Math.max(now, createdAt.getTime()))),
    });
    count += 1;
  };

  // Every counterparty gets a deal; then the busier ones (earlier in the list) get more.
  options.counterpartyIds.forEach((id) => deal(id));
  const weights = options.counterpartyIds.map((id, index) => [id, 1 / (1 + index * 0.2)] as const);
  while (count < minimum) deal(prng.weighted(weights));
  await em.flush();
  return `deals: ${count} demo deals for ${options.counterpartyIds.length} counterparties`;
}
