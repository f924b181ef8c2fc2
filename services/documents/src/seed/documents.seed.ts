import { addDays, daysBetween, DEMO_MANAGER_IDS, DEMO_USERS, officeTime, Prng, russianDate, todayUtc } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Document, DocumentStatus, DocumentType } from '../modules/document/document.entity';
import { DocumentStatusChange } from '../modules/document/document-status-change.entity';
import { seedFinanceDemoDocuments } from './finance-demo.seed';

export type DocumentsSeedOptions = {
  /** Demo counterparties (owned by the counterparties service) the documents belong to. */
  counterpartyIds: readonly string[];
  /** The day the demo data ends on (YYYY-MM-DD); today by default. Dates spread over the two years before it. */
  today?: string;
  /** At least this many documents (more when there are many counterparties: each gets at least one deal chain). */
  minimum?: number;
};

type Kind = { contract: string; suffix: string; offer: string; closing: string; subjects: readonly string[]; amountRub: readonly [number, number] };

const KINDS: readonly Kind[] = [
  {
    contract: 'Договор поставки',
    suffix: 'П',
    offer: 'Коммерческое предложение на поставку',
    closing: 'Акт приёма-передачи товара',
    subjects: ['офисной мебели', 'серверного оборудования', 'канцелярских товаров', 'строительных материалов', 'запасных частей к спецтехнике', 'упаковочных материалов', 'компьютерной техники', 'металлопроката', 'лакокрасочных материалов', 'спецодежды и СИЗ'],
    amountRub: [120_000, 9_000_000],
  },
  {
    contract: 'Договор оказания услуг',
    suffix: 'У',
    offer: 'Коммерческое предложение на оказание услуг',
    closing: 'Акт сдачи-приёмки оказанных услуг',
    subjects: ['по техническому обслуживанию оборудования', 'по клинингу офиса', 'по сопровождению 1С:Предприятие', 'по охране объекта', 'по грузоперевозкам', 'по бухгалтерскому сопровождению', 'по аренде спецтехники'],
    amountRub: [60_000, 2_400_000],
  },
  {
    contract: 'Договор подряда',
    suffix: 'ПД',
    offer: 'Коммерческое предложение на выполнение работ',
    closing: 'Акт выполненных работ',
    subjects: ['на монтаж системы вентиляции', 'на ремонт офисных помещений', 'на разработку программного обеспечения', 'на проектирование складского комплекса', 'на устройство кровли', 'на пусконаладку котельной'],
    amountRub: [300_000, 15_000_000],
  },
];

const INCOMING_TOPICS = [
  'о смене банковских реквизитов',
  'о переносе сроков оплаты',
  'о предоставлении скидки на следующий квартал',
  'о проведении сверки взаиморасчётов',
  'о смене генерального директора',
  'о качестве поставленной продукции',
  'о продлении срока действия договора',
  'о приостановке отгрузок на время инвентаризации',
];

const OUTGOING_TOPICS = [
  'о согласовании графика поставки',
  'о погашении просроченной задолженности',
  'о направлении акта сверки',
  'о повышении цен с 1 января',
  'о готовности товара к отгрузке',
  'о назначении ответственного менеджера',
  'о предоставлении оригиналов документов',
];

type Plan = {
  id: string;
  type: DocumentType;
  counterpartyId: string;
  date: string | null;
  status: DocumentStatus;
  amountMinor: number | null;
  currency: string | null;
  authorId: string | null;
  createdAt: Date;
  numbered: boolean;
  number: string | null;
  /** Appended to the registration number, e.g. `-П` for supply contracts. */
  numberSuffix: string;
  /** Builds the title once numbers are assigned (a title may cite its contract's number). */
  title: () => string;
};

type Weighted = readonly (readonly [DocumentStatus, number])[];

/** A title «… № N от DD.MM.YYYY», or with a note in brackets while the document has no number yet. */
function numbered(base: string, plan: Plan, unnumbered: string): string {
  if (!plan.number) return `${base} (${unnumbered})`;
  return plan.date ? `${base} № ${plan.number} от ${russianDate(plan.date)}` : `${base} № ${plan.number}`;
}

/**
 * Demo documents: deal chains per counterparty (commercial offer → contract → supplementary agreements →
 * invoices → acts → payment orders) plus letters and reconciliation acts, over the two years before
 * `today`, numbered per type and year in date order. Deterministic: the same input gives the same rows.
 * Idempotent: the archive only on a database without documents; then the demo finance history
 * (finance-demo.seed.ts, for the demo finance counterparties among `counterpartyIds`) unless its contracts exist.
 */
export async function seedDocuments(em: EntityManager, options: DocumentsSeedOptions): Promise<string> {
  const archive = await seedArchive(em, options);
  // The demo finance history (signed contracts, invoices, acts of a few demo counterparties, with their events), when
  // those counterparties are among the given ones; on its own idempotence, so an existing demo gets it too.
  const finance = await seedFinanceDemoDocuments(em, { today: options.today, counterpartyIds: options.counterpartyIds });
  return finance ? `${archive}\n${finance}` : archive;
}

async function seedArchive(em: EntityManager, options: DocumentsSeedOptions): Promise<string> {
  if (await em.count(Document, {})) return 'documents: documents exist, nothing seeded';
  if (!options.counterpartyIds.length) return 'documents: no demo counterparties, nothing seeded';
  const prng = new Prng(0x0d0c5eed);
  const today = options.today ?? todayUtc();
  const minimum = options.minimum ?? 320;
  const plans: Plan[] = [];
  const authors = [...DEMO_MANAGER_IDS, ...DEMO_MANAGER_IDS, ...DEMO_USERS.filter((user) => user.roles.includes('ADMIN') || user.roles.includes('APPROVER')).map((user) => user.id)];

  const add = (counterpartyId: string, type: DocumentType, date: string, weights: Weighted, money: { minor: number; currency: string } | null, title: (plan: Plan) => string): Plan | null => {
    if (date >= today) return null; // only past days: no document is created "later today"
    const status = prng.weighted(weights);
    const incoming = type === DocumentType.INCOMING_LETTER || type === DocumentType.PAYMENT_ORDER;
    const unregistered = status === DocumentStatus.DRAFT || (!incoming && (status === DocumentStatus.ON_APPROVAL || status === DocumentStatus.REJECTED));
    const undated = status === DocumentStatus.DRAFT && prng.chance(0.4);
    const plan: Plan = {
      id: prng.uuid(),
      type,
      counterpartyId,
      date: undated ? null : date,
      status,
      amountMinor: money?.minor ?? null,
      currency: money?.currency ?? null,
      authorId: prng.pick(authors),
      createdAt: officeTime(prng, date),
      numbered: !unregistered,
      number: null,
      numberSuffix: '',
      title: () => title(plan),
    };
    plans.push(plan);
    return plan;
  };

  const age = (date: string) => daysBetween(date, today);
  /** Kopecks for a whole number of hundreds of roubles in [min, max] roubles. */
  const kopecks = (min: number, max: number) => prng.int(min / 100, max / 100) * 100 * 100;

  /** One deal chain of a counterparty starting on `start`. */
  const chain = (counterpartyId: string, start: string) => {
    const kind = prng.pick(KINDS);
    const subject = prng.pick(kind.subjects);
    const foreign = prng.chance(0.06);
    const currency = foreign ? prng.pick(['EUR', 'USD', 'CNY']) : 'RUB';
    const inRoubles = kopecks(kind.amountRub[0], kind.amountRub[1]);
    // Foreign contracts: about 90 roubles a unit, rounded to hundreds of units (in cents).
    const totalMinor = foreign ? Math.round(inRoubles / 90 / 10_000) * 10_000 : inRoubles;
    const young = (date: string, days: number) => age(date) < days;

    const offerDate = start;
    add(counterpartyId, DocumentType.COMMERCIAL_OFFER, offerDate, young(offerDate, 45)
      ? [[DocumentStatus.DRAFT, 2], [DocumentStatus.ON_APPROVAL, 2], [DocumentStatus.APPROVED, 2], [DocumentStatus.SIGNED, 3]]
      : [[DocumentStatus.SIGNED, 6], [DocumentStatus.CANCELLED, 2], [DocumentStatus.REJECTED, 1]],
    { minor: Math.round((totalMinor * 1.08) / 100) * 100, currency }, (plan) => numbered(`${kind.offer} ${subject}`, plan, 'черновик'));
    if (prng.chance(0.2)) return; // the offer did not lead to a contract

    const contractDate = addDays(offerDate, prng.int(5, 25));
    const contract = add(counterpartyId, DocumentType.CONTRACT, contractDate, young(contractDate, 45)
      ? [[DocumentStatus.DRAFT, 3], [DocumentStatus.ON_APPROVAL, 4], [DocumentStatus.APPROVED, 2], [DocumentStatus.REJECTED, 1], [DocumentStatus.SIGNED, 2]]
      : [[DocumentStatus.IN_FORCE, age(contractDate) < 400 ? 6 : 1], [DocumentStatus.EXECUTED, age(contractDate) > 150 ? 5 : 0.5], [DocumentStatus.TERMINATED, 1.2], [DocumentStatus.SIGNED, 0.5]],
    { minor: totalMinor, currency }, (plan) => numbered(`${kind.contract} ${subject}`, plan, 'проект'));
    if (contract) contract.numberSuffix = `-${kind.suffix}`;
    if (!contract || ![DocumentStatus.SIGNED, DocumentStatus.IN_FORCE, DocumentStatus.EXECUTED, DocumentStatus.TERMINATED].includes(contract.status)) return;
    const contractRef = () => (contract.number ? `к договору № ${contract.number}` : 'к договору');

    if (prng.chance(0.3)) {
      const agreementDate = addDays(contractDate, prng.int(30, 200));
      add(counterpartyId, DocumentType.SUPPLEMENTARY_AGREEMENT, agreementDate, young(agreementDate, 20)
        ? [[DocumentStatus.DRAFT, 1], [DocumentStatus.ON_APPROVAL, 2], [DocumentStatus.SIGNED, 1]]
        : [[DocumentStatus.IN_FORCE, 4], [DocumentStatus.SIGNED, 2]],
      prng.chance(0.5) ? { minor: Math.round((totalMinor * prng.int(5, 30)) / 10000) * 100, currency } : null,
      (plan) => `Дополнительное соглашение ${plan.number ? `№ ${plan.number} ` : '(проект) '}${contractRef()}`);
    }

    const stages = prng.int(1, 4);
    let cursor = contractDate;
    for (let stage = 0; stage < stages; stage += 1) {
      const part = Math.round(totalMinor / stages / 100) * 100;
      cursor = addDays(cursor, prng.int(7, 60));
      const invoiceDate = cursor;
      const invoice = add(counterpartyId, DocumentType.INVOICE, invoiceDate, young(invoiceDate, 14)
        ? [[DocumentStatus.DRAFT, 1], [DocumentStatus.SIGNED, 3]]
        : [[DocumentStatus.EXECUTED, 8], [DocumentStatus.SIGNED, 1.5], [DocumentStatus.CANCELLED, 0.5]],
      { minor: part, currency }, (plan) => numbered('Счёт на оплату', plan, `черновик, ${contractRef()}`));
      if (!invoice) break;
      const actDate = addDays(invoiceDate, prng.int(3, 40));
      add(counterpartyId, DocumentType.ACT, actDate, young(actDate, 21)
        ? [[DocumentStatus.ON_APPROVAL, 2], [DocumentStatus.DRAFT, 1], [DocumentStatus.SIGNED, 3]]
        : [[DocumentStatus.SIGNED, 9], [DocumentStatus.REJECTED, 0.5]],
      { minor: part, currency }, (plan) => numbered(kind.closing, plan, `черновик, ${contractRef()}`));
      if (invoice.status === DocumentStatus.EXECUTED) {
        const paymentDate = addDays(invoiceDate, prng.int(1, 25));
        add(counterpartyId, DocumentType.PAYMENT_ORDER, paymentDate, [[DocumentStatus.EXECUTED, 1]], { minor: part, currency }, (plan) => numbered('Платёжное поручение', plan, 'не проведено'));
      }
    }
  };

  /** Correspondence and reconciliation of a counterparty. */
  const correspondence = (counterpartyId: string) => {
    const letters = prng.int(1, 3);
    for (let i = 0; i < letters; i += 1) {
      const date = addDays(today, -prng.int(0, 729));
      if (prng.chance(0.5)) {
        const topic = prng.pick(INCOMING_TOPICS);
        add(counterpartyId, DocumentType.INCOMING_LETTER, date, age(date) < 7
          ? [[DocumentStatus.ON_APPROVAL, 1], [DocumentStatus.APPROVED, 1], [DocumentStatus.EXECUTED, 1]]
          : [[DocumentStatus.EXECUTED, 8], [DocumentStatus.APPROVED, 1]],
        null, (plan) => `Письмо ${topic}${plan.number ? ` (вх. № ${plan.number})` : ''}`);
      } else {
        const topic = prng.pick(OUTGOING_TOPICS);
        add(counterpartyId, DocumentType.OUTGOING_LETTER, date, age(date) < 7
          ? [[DocumentStatus.DRAFT, 1], [DocumentStatus.ON_APPROVAL, 1], [DocumentStatus.SIGNED, 3]]
          : [[DocumentStatus.SIGNED, 8], [DocumentStatus.APPROVED, 1]],
        null, (plan) => `Письмо ${topic}${plan.number ? ` (исх. № ${plan.number})` : ''}`);
      }
    }
    if (prng.chance(0.35)) {
      const date = addDays(today, -prng.int(0, 700));
      // Reconciliation of the quarter before the one the act is dated in.
      const index = Number(date.slice(0, 4)) * 4 + Math.floor((Number(date.slice(5, 7)) - 1) / 3) - 1;
      add(counterpartyId, DocumentType.OTHER, date, [[DocumentStatus.SIGNED, 4], [DocumentStatus.DRAFT, 1]], null, () => `Акт сверки взаимных расчётов за ${(index % 4) + 1} квартал ${Math.floor(index / 4)} г.`);
    }
  };

  // Every counterparty gets a chain and some letters; then the busier ones (earlier in the list) get more.
  options.counterpartyIds.forEach((id) => {
    chain(id, addDays(today, -prng.int(5, 700)));
    correspondence(id);
  });
  const weights = options.counterpartyIds.map((id, index) => [id, 1 / (1 + index * 0.2)] as const);
  while (plans.length < minimum) chain(prng.weighted(weights), addDays(today, -prng.int(5, 700)));

  // Registration numbers per type and year, in date order, then the titles that cite them.
  const prefixes: Record<DocumentType, (seq: number, year: string) => string> = {
    [DocumentType.INCOMING_LETTER]: (seq) => `Вх-${seq}`,
    [DocumentType.OUTGOING_LETTER]: (seq, year) => `Исх-${seq}/${year.slice(2)}`,
    [DocumentType.CONTRACT]: (seq, year) => `${seq}/${year.slice(2)}`,
    [DocumentType.SUPPLEMENTARY_AGREEMENT]: (seq, year) => `ДС-${seq}/${year.slice(2)}`,
    [DocumentType.INVOICE]: (seq) => `${seq}`,
    [DocumentType.ACT]: (seq) => `${seq}`,
    [DocumentType.PAYMENT_ORDER]: (seq) => `${prng.int(100, 9999) + seq}`,
    [DocumentType.COMMERCIAL_OFFER]: (seq, year) => `КП-${seq}/${year.slice(2)}`,
    [DocumentType.OTHER]: (seq, year) => `${seq}/${year.slice(2)}-Д`,
  };
  const sequences = new Map<string, number>();
  const ordered = [...plans].sort((a, b) => (a.date ?? '9999').localeCompare(b.date ?? '9999') || a.createdAt.getTime() - b.createdAt.getTime());
  for (const plan of ordered) {
    if (!plan.numbered || !plan.date) continue;
    const year = plan.date.slice(0, 4);
    const key = `${plan.type}:${year}`;
    const seq = (sequences.get(key) ?? 0) + 1;
    sequences.set(key, seq);
    plan.number = `${prefixes[plan.type](seq, year)}${plan.numberSuffix}`;
  }
  const now = Date.now();
  for (const plan of ordered) {
    const edited = plan.status === DocumentStatus.DRAFT ? 0 : prng.int(0, 5 * 86_400_000);
    const document = em.create(Document, {
      id: plan.id,
      type: plan.type,
      counterpartyId: plan.counterpartyId,
      date: plan.date,
      number: plan.number,
      title: plan.title(),
      status: plan.status,
      amountMinor: plan.amountMinor,
      currency: plan.currency,
      authorId: plan.authorId,
      createdAt: plan.createdAt,
      updatedAt: new Date(Math.min(plan.createdAt.getTime() + edited, Math.max(now, plan.createdAt.getTime()))),
    });
    applyDemoDetails(document, plan.createdAt);
    // The status history as the services would have written it: created as a draft, then (by the system, for the demo) its status now.
    em.create(DocumentStatusChange, { documentId: document.id, fromStatus: null, status: DocumentStatus.DRAFT, at: plan.createdAt, actorId: plan.authorId, actorKind: plan.authorId ? 'user' : 'system' });
    if (document.status !== DocumentStatus.DRAFT) {
      em.create(DocumentStatusChange, { documentId: document.id, fromStatus: DocumentStatus.DRAFT, status: document.status, at: document.signedAt ?? document.updatedAt, actorKind: 'system' });
    }
  }
  await em.flush();
  return `documents: ${plans.length} demo documents for ${options.counterpartyIds.length} counterparties`;
}

const SIGNED_STATUSES: readonly DocumentStatus[] = [DocumentStatus.SIGNED, DocumentStatus.IN_FORCE, DocumentStatus.EXECUTED, DocumentStatus.TERMINATED];

/** VAT (20 %) included in an amount, in minor units. */
function includedVat(amountMinor: number | null): number | null {
  return amountMinor === null ? null : Math.round((amountMinor * 20) / 120);
}

/**
 * The type-specific details and sign-off/registration times of a demo document, derived from what the plan
 * already has (no random draws, so the plans stay the same as before).
 */
function applyDemoDetails(document: Document, createdAt: Date): void {
  const date = document.date;
  const subject = document.title.replace(/ \(.*\)$/, '').replace(/ № .*$/, '');
  if (document.number) document.registeredAt = createdAt;
  if (SIGNED_STATUSES.includes(document.status)) document.signedAt = createdAt;
  switch (document.type) {
    case DocumentType.CONTRACT:
      document.subject = subject;
      document.startDate = date;
      document.endDate = date ? addDays(date, 365) : null;
      document.paymentTerms = 'Оплата в течение 10 банковских дней с даты подписания акта';
      break;
    case DocumentType.SUPPLEMENTARY_AGREEMENT:
      document.subject = 'Изменение объёма и сроков исполнения';
      document.startDate = date;
      break;
    case DocumentType.INVOICE:
      document.dueDate = date ? addDays(date, 10) : null;
      document.vatMinor = includedVat(document.amountMinor);
      break;
    case DocumentType.ACT:
      document.periodStart = date ? addDays(date, -30) : null;
      document.periodEnd = date;
      document.vatMinor = includedVat(document.amountMinor);
      break;
    case DocumentType.PAYMENT_ORDER:
      document.paymentDate = date;
      document.payer = 'Контрагент';
      document.payee = 'ООО «Картотека»';
      document.subject = 'Оплата по счёту, в т.ч. НДС 20 %';
      break;
    case DocumentType.COMMERCIAL_OFFER:
      document.dueDate = date ? addDays(date, 30) : null;
      break;
    case DocumentType.INCOMING_LETTER:
    case DocumentType.OUTGOING_LETTER:
      document.subject = document.title.replace(/ \((вх|исх)\. № .*\)$/, '');
      break;
    default:
      break;
  }
}
