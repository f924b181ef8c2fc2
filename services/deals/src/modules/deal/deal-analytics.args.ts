import { OptionalIsoDateField } from '@kartoteka/kit';
import { IsOptional, IsUUID } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';

@ArgsType()
export class DealBoardArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not a valid template id' })
  templateId!: string;
}

@ArgsType()
export class DealAnalyticsArgs extends DealBoardArgs {
  @OptionalIsoDateField('Deals created on or after this day, YYYY-MM-DD (UTC)')
  from?: string | null;

  @OptionalIsoDateField('Deals created on or before this day, YYYY-MM-DD (UTC)')
  to?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid user id' })
  ownerId?: string | null;
}
