import { API_KEY_SCOPES, type ApiKeyScope } from '@kartoteka/kit';
import { ArrayNotEmpty, IsIn, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';

@InputType()
export class CreateApiKeyInput {
  @Field({ description: 'What the key is for, e.g. the partner system' })
  @Length(2, 200, { message: 'Name must be 2 to 200 characters long' })
  name!: string;

  @Field(() => [String], { description: `Any of: ${API_KEY_SCOPES.join(', ')}` })
  @ArrayNotEmpty({ message: 'Give the key at least one scope' })
  @IsIn(API_KEY_SCOPES, { each: true, message: `Unknown scope; allowed: ${API_KEY_SCOPES.join(', ')}` })
  scopes!: ApiKeyScope[];
}
