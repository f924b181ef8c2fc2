import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Enum, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { registerEnumType } from 'type-graphql';

export enum ScheduleItemKind {
  ADVANCE = 'ADVANCE',
  PAYMENT = 'PAYMENT',
  POSTPAYMENT = 'POSTPAYMENT',
  DELIVERY = 'DELIVERY',
}

registerEnumType(ScheduleItemKind, {
  name: 'ScheduleItemKind',
  description: 'ADVANCE, PAYMENT: money due on a date; POSTPAYMENT: money due N days after the act it follows; DELIVERY: an act due on a date',
});

/** One line of a contract's schedule (replaced as a whole when staff set the terms again). */
@Entity({ tableName: 'schedule_items' })
@Index({ name: 'schedule_items_contract_position_index', properties: ['contractId', 'position'] })
export class ScheduleItem {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'uuid' })
  contractId!: string;

  /** Order in the schedule, from 0. */
  @Property({ type: 'integer' })
  position!: number;

  @Enum({ items: () => ScheduleItemKind })
  kind!: ScheduleItemKind;

  @Property({ type: new BigIntType('number') })
  amountMinor!: number;

  @Property({ columnType: 'char(3)' })
  currency!: string;

  /** ADVANCE, PAYMENT, DELIVERY: the date it is due. */
  @Property({ type: 'date', nullable: true })
  dueDate: string | null = null;

  /** POSTPAYMENT: due this many days after its act. */
  @Property({ type: 'integer', nullable: true })
  daysAfterAct: number | null = null;

  @Property({ type: 'string', length: 500, nullable: true })
  description: string | null = null;
}
