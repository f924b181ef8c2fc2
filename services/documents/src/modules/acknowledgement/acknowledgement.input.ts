import { OptionalIsoDateTimeField } from '@kartoteka/kit';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class RequestAcknowledgementInput {
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid document id' }) documentId!: string;
  @Field(() => [ID], { nullable: true, description: 'Employees who must read the current version' })
  @IsOptional() @IsArray() @ArrayMaxSize(500) @IsUUID('all', { each: true, message: 'Not a valid user id' })
  userIds?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Roles whose active members must read it' })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true })
  roles?: string[] | null;
  @OptionalIsoDateTimeField('Deadline, ISO 8601 date-time')
  deadline?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) comment?: string | null;
}

@InputType()
export class AcknowledgeDocumentInput {
  @Field(() => ID, { description: 'The acknowledgement (from myAcknowledgementTasks or Document.myPendingAcknowledgement)' })
  @IsUUID('all', { message: 'Not a valid acknowledgement id' })
  id!: string;
}

@ArgsType()
export class AcknowledgementsArgs {
  @Field(() => Int, { nullable: true, description: 'Version number; the current version when omitted' }) versionNumber?: number | null;
}
