import { ArrayNotEmpty, IsEmail, IsIn, IsOptional, IsString, Length, MinLength } from 'class-validator';
import { ROLES, type RoleCode } from '@kartoteka/kit';
import { Field, InputType, ArgsType } from 'type-graphql';
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

@ArgsType()
export class UsersArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: 'Part of a name or e-mail' })
  @IsOptional()
  @IsString()
  search?: string | null;
}
