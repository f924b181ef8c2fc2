import { ArrayNotEmpty, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, MinLength } from 'class-validator';
import { ROLES, type RoleCode } from '@kartoteka/kit';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { ConnectionArgs } from '@kartoteka/kit';
import { Role } from './user.entity';

@InputType()
export class CreateUserInput {
  @Field()
  @IsEmail({}, { message: 'Enter a valid e-mail address' })
  email!: string;

  @Field()
  @Length(2, 200, { message: 'Name must be 2 to 200 characters long' })
  name!: string;

  @Field()
  @MinLength(8, { message: 'Password must be at least 8 characters long' })
  password!: string;

  @Field(() => [Role])
  @ArrayNotEmpty({ message: 'Give the user at least one role' })
  @IsIn(ROLES, { each: true })
  roles!: RoleCode[];
}

@InputType()
export class UpdateUserInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not a valid user id' })
  id!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(2, 200, { message: 'Name must be 2 to 200 characters long' })
  name?: string | null;

  @Field(() => [Role], { nullable: true, description: 'Replaces the roles' })
  @IsOptional()
  @ArrayNotEmpty({ message: 'Give the user at least one role' })
  @IsIn(ROLES, { each: true })
  roles?: RoleCode[] | null;

  @Field(() => Boolean, { nullable: true, description: 'false deactivates the account: it can no longer log in' })
  @IsOptional()
  @IsBoolean()
  active?: boolean | null;
}

@InputType()
export class SetUserPasswordInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not a valid user id' })
  id!: string;

  @Field()
  @MinLength(8, { message: 'Password must be at least 8 characters long' })
  password!: string;
}

@InputType()
export class ChangePasswordInput {
  @Field()
  @IsString()
  currentPassword!: string;

  @Field()
  @MinLength(8, { message: 'Password must be at least 8 characters long' })
  newPassword!: string;
}

@ArgsType()
export class UsersArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: 'Part of a name or e-mail' })
  @IsOptional()
  @IsString()
  search?: string | null;
}
