import { randomUUID } from 'node:crypto';
import { Entity, Enum, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { NOTIFICATION_KINDS, NotificationKindEnum, type NotificationKind } from './notification.entity';

/**
 * A staff member's choice for one kind of notification. No row means the defaults (e-mail on); the in-app
 * notification is always written.
 */
@ObjectType({ description: 'Whether e-mail is sent for one kind of notification (in-app notifications are always kept)' })
@Entity({ tableName: 'notification_preferences' })
@Unique({ name: 'notification_preferences_user_kind_unique', properties: ['userId', 'kind'] })
export class NotificationPreference {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'uuid' })
  userId!: string;

  @Field(() => NotificationKindEnum)
  @Enum({ items: () => [...NOTIFICATION_KINDS] })
  kind!: NotificationKind;

  @Field(() => Boolean, { description: 'No e-mail for this kind' })
  @Property({ type: 'boolean', default: false })
  emailMuted: Opt<boolean> = false;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Opt<Date> = new Date();
}
