import { ConnectionType, isUuid, type SubgraphContext, UserInputError } from '@kartoteka/kit';
import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { MailOutboxMessage } from './mail-outbox.entity';
import { Document } from '../document/document.entity';
import { DocumentReader } from '../document/document.reader';
import { MarkNotificationsReadInput, NotificationsArgs, UpdateNotificationPreferenceInput } from './notification.input';
import { Notification } from './notification.entity';
import { NotificationPreference } from './notification-preference.entity';
import { NotificationService } from './notification.service';

export const NotificationConnection = ConnectionType(Notification, 'Notification');

@ObjectType({ description: 'A notification e-mail the relay gave up on' })
export class FailedEmail {
  @Field(() => ID) id!: string;
  @Field() to!: string;
  @Field() subject!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Date) createdAt!: Date;

  static of(row: MailOutboxMessage): FailedEmail {
    return Object.assign(new FailedEmail(), { id: row.id, to: row.toAddress, subject: row.subject, attempts: row.attempts, lastError: row.lastError, createdAt: row.createdAt });
  }
}

/** The personal inbox of the calling staff member (an API key has none: FORBIDDEN). */
@Resolver(() => Notification)
export class NotificationResolver {
  @Authorized()
  @Query(() => NotificationConnection, { description: 'Your notifications, newest first' })
  notifications(@Args() { unreadOnly, first, after }: NotificationsArgs, @Ctx() context: SubgraphContext) {
    return new NotificationService(context.em).inbox(context.identity, { unreadOnly, first, after });
  }

  @Authorized()
  @Query(() => Int, { description: 'How many of your notifications are unread' })
  unreadNotificationCount(@Ctx() context: SubgraphContext): Promise<number> {
    return new NotificationService(context.em).unreadCount(context.identity);
  }

  @Authorized()
  @Mutation(() => Int, { description: 'Marks your notifications read; returns how many were unread and are now read' })
  markNotificationsRead(@Arg('input') input: MarkNotificationsReadInput, @Ctx() context: SubgraphContext): Promise<number> {
    return new NotificationService(context.em).markRead(context.identity, input);
  }

  @Authorized()
  @Query(() => [NotificationPreference], { description: 'Your e-mail choice for every kind of notification' })
  notificationPreferences(@Ctx() context: SubgraphContext): Promise<NotificationPreference[]> {
    return new NotificationService(context.em).preferences(context.identity);
  }

  @Authorized()
  @Mutation(() => NotificationPreference, { description: 'Mutes or unmutes e-mail of one kind of notification for you' })
  updateNotificationPreference(@Arg('input') input: UpdateNotificationPreferenceInput, @Ctx() context: SubgraphContext): Promise<NotificationPreference> {
    return new NotificationService(context.em).updatePreference(context.identity, input);
  }

  @Authorized('documents:configure')
  @Query(() => [FailedEmail], { description: 'Notification e-mails the relay gave up on (administrators)' })
  failedEmails(@Arg('first', () => Int, { defaultValue: 50 }) first: number, @Ctx() context: SubgraphContext): Promise<FailedEmail[]> {
    return new NotificationService(context.em).failedEmails(Math.min(Math.max(first, 1), 500)).then((rows) => rows.map(FailedEmail.of));
  }

  @Authorized('documents:configure')
  @Mutation(() => Int, { description: 'Sends failed notification e-mails again (all, or the given ids); returns how many were requeued' })
  retryFailedEmails(@Arg('ids', () => [ID], { nullable: true }) ids: string[] | null, @Ctx() context: SubgraphContext): Promise<number> {
    if (ids?.some((id) => !isUuid(id))) throw new UserInputError('ids', 'Not a valid e-mail id');
    return new NotificationService(context.em).retryFailedEmails(ids ?? null);
  }

  /** Loaded in one batch for the whole request; null when it is gone or the caller may not read documents. */
  @FieldResolver(() => Document, { nullable: true, description: 'The document; null if you may not read it' })
  async document(@Root() notification: Notification, @Ctx() context: SubgraphContext): Promise<Document | null> {
    if (!notification.documentId || context.identity.kind === 'anonymous' || !context.identity.permissions.includes('documents:read')) return null;
    return new DocumentReader(context).readableById(notification.documentId);
  }
}
