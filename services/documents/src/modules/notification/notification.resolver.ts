import { ConnectionType, type SubgraphContext } from '@kartoteka/kit';
import { Arg, Args, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Document } from '../document/document.entity';
import { MarkNotificationsReadInput, NotificationsArgs, UpdateNotificationPreferenceInput } from './notification.input';
import { Notification } from './notification.entity';
import { NotificationPreference } from './notification-preference.entity';
import { documentOfNotification, NotificationService } from './notification.service';

export const NotificationConnection = ConnectionType(Notification, 'Notification');

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

  @FieldResolver(() => Document, { nullable: true, description: 'The document; null if you may not read it' })
  document(@Root() notification: Notification, @Ctx() context: SubgraphContext): Promise<Document | null> {
    return documentOfNotification(context, notification);
  }
}
