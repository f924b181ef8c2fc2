import { actorId, DATE_MESSAGE, isCalendarDate, isUuid, LoaderRegistry, MAX_AMOUNT_MINOR, type SubgraphContext, UserInputError } from '@kartoteka/kit';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ContractExecution } from '../execution/contract-execution.type';
import { ExecutionService } from '../execution/execution.service';
import { FinanceDocument } from '../ledger/finance-document.entity';
import { recomputeRatings } from '../rating/rating.service';
import type { ContractTermsInput } from './contract-terms.input';
import { ContractTerms } from './contract-terms.entity';
import { ScheduleItem, ScheduleItemKind } from './schedule-item.entity';

type Context = Pick<SubgraphContext, 'em' | 'identity' | 'loaders'>;

export const MAX_SCHEDULE_ITEMS = 100;
export const MAX_DAYS_AFTER_ACT = 365;
const MONEY_KINDS: ReadonlySet<ScheduleItemKind> = new Set([ScheduleItemKind.ADVANCE, ScheduleItemKind.PAYMENT, ScheduleItemKind.POSTPAYMENT]);

type ValidItem = Pick<ScheduleItem, 'kind' | 'amountMinor' | 'currency' | 'dueDate' | 'daysAfterAct' | 'description'>;

/** Checks every line against the contract; the first problem is a BAD_USER_INPUT naming its field (e.g. `schedule.2.dueDate`). */
export function validateSchedule(input: ContractTermsInput, contract: Pick<FinanceDocument, 'currency' | 'amountMinor'>): ValidItem[] {
  if (input.schedule.length > MAX_SCHEDULE_ITEMS) throw new UserInputError('schedule', `A schedule has at most ${MAX_SCHEDULE_ITEMS} lines`);
  const items = input.schedule.map((line, index): ValidItem => {
    const field = (name: string) => `schedule.${index}.${name}`;
    const { minor, currency } = line.amount;
    if (!Number.isSafeInteger(minor) || minor <= 0) throw new UserInputError(field('amount'), 'The amount must be a whole number of kopecks above zero');
    if (minor > MAX_AMOUNT_MINOR) throw new UserInputError(field('amount'), `The amount may not exceed ${MAX_AMOUNT_MINOR} kopecks`);
    const lineCurrency = currency ?? contract.currency;
    if (lineCurrency !== contract.currency) throw new UserInputError(field('amount.currency'), `The schedule is in the contract's currency, ${contract.currency}`);
    const description = line.description?.trim() || null;
    if (description && description.length > 500) throw new UserInputError(field('description'), 'The description must be at most 500 characters long');
    const dueDate = line.dueDate ?? null;
    const daysAfterAct = line.daysAfterAct ?? null;
    if (line.kind === ScheduleItemKind.POSTPAYMENT) {
      if (daysAfterAct === null || !Number.isInteger(daysAfterAct) || daysAfterAct < 0 || daysAfterAct > MAX_DAYS_AFTER_ACT) {
        throw new UserInputError(field('daysAfterAct'), `A postpayment is due 0 to ${MAX_DAYS_AFTER_ACT} days after its act`);
      }
      if (dueDate !== null) throw new UserInputError(field('dueDate'), 'A postpayment has no fixed date: it is due days after its act');
    } else {
      if (dueDate === null) throw new UserInputError(field('dueDate'), 'Enter the due date');
      if (!isCalendarDate(dueDate)) throw new UserInputError(field('dueDate'), DATE_MESSAGE);
      if (daysAfterAct !== null) throw new UserInputError(field('daysAfterAct'), 'Only a postpayment is due days after an act');
    }
    return { kind: line.kind, amountMinor: minor, currency: lineCurrency, dueDate, daysAfterAct, description };
  });
  const contracted = contract.amountMinor ?? 0;
  const scheduled = items.filter((item) => MONEY_KINDS.has(item.kind)).reduce((sum, item) => sum + item.amountMinor, 0);
  if (contracted > 0 && scheduled > contracted) {
    throw new UserInputError('schedule', `The payments of the schedule add up to ${scheduled} kopecks, more than the contract's amount (${contracted})`, { scheduledMinor: scheduled, contractedMinor: contracted });
  }
  return items;
}

/** Staff entering the terms of signed contracts. */
export class ContractTermsService {
  constructor(private readonly context: Context) {}

  /**
   * Sets a signed contract's direction and replaces its schedule, in one transaction that holds the contract's
   * row (two concurrent edits never merge their schedules), then recomputes the counterparty's rating in it.
   */
  async setTerms(input: ContractTermsInput, now: Date = new Date()): Promise<ContractExecution> {
    if (!isUuid(input.contractId)) throw new UserInputError('contractId', 'Not a valid contract id');
    const contractId = input.contractId.toLowerCase();
    await this.context.em.transactional(async (em: EntityManager) => {
      const contract = await em.findOne(FinanceDocument, { id: contractId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!contract || contract.type !== 'CONTRACT') throw new UserInputError('contractId', 'Finance knows no signed contract with this id: terms are entered on a signed contract');
      if (!contract.verified) throw new UserInputError('contractId', 'The contract was cancelled: it is no longer a verified fact');
      const items = validateSchedule(input, contract);
      await em.upsert(ContractTerms, { contractId, direction: input.direction, updatedAt: now, updatedById: actorId(this.context.identity) });
      await em.nativeDelete(ScheduleItem, { contractId });
      items.forEach((item, position) => em.create(ScheduleItem, { ...item, contractId, position }, { persist: true }));
      await em.flush();
      await recomputeRatings(em, [contract.counterpartyId], now);
    });
    const execution = await new ExecutionService({ em: this.context.em.fork(), loaders: new LoaderRegistry() }).ofContract(contractId);
    if (!execution) throw new UserInputError('contractId', 'The contract is no longer a verified fact');
    return execution;
  }
}
