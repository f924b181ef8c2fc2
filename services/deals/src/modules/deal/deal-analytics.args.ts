import { IsOptional, IsString, IsUUID } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';

@ArgsType()
export class DealBoardArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not a valid template id' })
  templateId!: string;
}

@ArgsType()
export class DealAnalyticsArgs extends DealBoardArgs {
  @Field(() => String, { nullable: true, description: 'Deals created on or after this day, YYYY-MM-DD (UTC)' })
  @IsOptional()
  @IsString()
  from?: string | null;

  @Field(() => String, { nullable: true, description: 'Deals created on or before this day, YYYY-MM-DD (UTC)' })
  @IsOptional()
  @IsString()
  to?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid user id' })
  ownerId?: string | null;
}
