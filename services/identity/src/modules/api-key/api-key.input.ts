import { API_KEY_SCOPES, type ApiKeyScope } from '@kartoteka/kit';
import { ArrayNotEmpty, IsIn, IsInt, IsOptional, Length, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';

export const MAX_API_KEY_RATE_LIMIT = 100_000;

@InputType()
export class CreateApiKeyInput {
  @Field({ description: 'What the key is for, e.g. the partner system' })
  @Length(2, 200, { message: 'Name must be 2 to 200 characters long' })
  name!: string;

  @Field(() => [String], { description: `Any of: ${API_KEY_SCOPES.join(', ')}` })
  @ArrayNotEmpty({ message: 'Give the key at least one scope' })
  @IsIn(API_KEY_SCOPES, { each: true, message: `Unknown scope; allowed: ${API_KEY_SCOPES.join(', ')}` })
  scopes!: ApiKeyScope[];

  @Field(() => Int, { nullable: true, description: `Requests per minute the gateway accepts with this key (1 to ${MAX_API_KEY_RATE_LIMIT}); leave out for the gateway default` })
  @IsOptional()
  @IsInt({ message: 'The rate limit must be a whole number of requests per minute' })
  @Min(1, { message: 'The rate limit must be at least 1 request per minute' })
  @Max(MAX_API_KEY_RATE_LIMIT, { message: `The rate limit can be at most ${MAX_API_KEY_RATE_LIMIT} requests per minute` })
  rateLimitPerMinute?: number | null;
}
