import { BigIntType, Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

/**
 * That an obligation fell overdue was announced (`finance.obligation.overdue`): one row per obligation and due
 * date, so the overdue job notifies once however often it runs and on however many replicas (a new due date —
 * the schedule changed — is a new obligation to announce). The job also records its once-a-day rating refresh
 * here (key `job:daily-rating-refresh`, the day as due date, amount 0) for the same once-only guarantee.
 */
@Entity({ tableName: 'overdue_notices' })
export class OverdueNotice {
  /** `schedule:<item id>` or `invoice:<invoice id>` (ObligationResult.key). */
  @PrimaryKey({ type: 'string', length: 100 })
  obligationKey!: string;

  @PrimaryKey({ type: 'date' })
  dueDate!: string;

  /** The amount overdue when it was announced. */
  @Property({ type: new BigIntType('number') })
  amountMinor!: number;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  notifiedAt: Opt<Date> = new Date();
}
