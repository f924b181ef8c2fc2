import { ConnectionArgs } from '@kartoteka/kit';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { NOTIFICATION_KINDS, NotificationKindEnum, type NotificationKind } from './notification.entity';

@ArgsType()
export class NotificationsArgs extends ConnectionArgs {
  @Field(() => Boolean, { nullable: true, description: 'Only unread notifications' })
  @IsOptional()
  @IsBoolean()
  unreadOnly?: boolean | null;
}

@InputType({ description: 'Which of your notifications to mark read: the listed ones, or all' })
export class MarkNotificationsReadInput {
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500, { message: 'Mark at most 500 notifications at once, or use all' })
  @IsString({ each: true })
  ids?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Every unread notification of yours' })
  @IsOptional()
  @IsBoolean()
  all?: boolean | null;
}

@InputType({ description: 'Turns e-mail of one kind of notification off or on' })
export class UpdateNotificationPreferenceInput {
  @Field(() => NotificationKindEnum)
  @IsIn([...NOTIFICATION_KINDS])
  kind!: NotificationKind;

  @Field()
  @IsBoolean()
  emailMuted!: boolean;
}
