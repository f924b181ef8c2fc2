import { randomUUID } from 'node:crypto';
import { Entity, Enum, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { Field, GraphQLISODateTime, ObjectType, registerEnumType } from 'type-graphql';

export enum SuppressionReason {
  UNSUBSCRIBED = 'UNSUBSCRIBED',
  HARD_BOUNCE = 'HARD_BOUNCE',
  MANUAL = 'MANUAL',
}

registerEnumType(SuppressionReason, { name: 'SuppressionReason', description: 'Why an address receives no mailing: it unsubscribed, bounced hard twice, or staff added it' });

/**
 * An address no mailing may be sent to (the suppression list): every audience leaves it out and the sending
 * worker checks it again right before each message. One row per lower-cased address.
 */
@ObjectType({ description: 'An e-mail address that receives no mailing' })
@Entity({ tableName: 'suppressions' })
@Unique({ name: 'suppressions_email_unique', properties: ['email'] })
export class Suppression {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  /** Lower-cased. */
  @Field()
  @Property({ type: 'string', length: 254 })
  email!: string;

  @Field(() => SuppressionReason)
  @Enum({ items: () => SuppressionReason })
  reason!: SuppressionReason;

  /** The mailing whose message led to it (unsubscribe link, bounce); null for MANUAL. */
  @Property({ type: 'uuid', nullable: true })
  mailingId: string | null = null;

  @Field(() => GraphQLISODateTime)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();
}
