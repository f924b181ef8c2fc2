import { API_KEY_SCOPES, type SubgraphContext } from '@kartoteka/kit';
import { Arg, Authorized, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { ApiKey } from './api-key.entity';
import { CreateApiKeyInput } from './api-key.input';
import { ApiKeyService } from './api-key.service';

@ObjectType()
export class CreatedApiKeyPayload {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field({ description: 'The full key. Shown only now: store it safely; it cannot be retrieved later.' })
  secret!: string;
}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Authorized()
  @Query(() => [String], { description: 'The scopes an API key may carry (permission codes a partner may be given), in a stable order' })
  apiKeyScopes(): string[] {
    return [...API_KEY_SCOPES];
  }

  @Authorized('apikeys:manage')
  @Query(() => [ApiKey], { description: 'Partner API keys, newest first' })
  apiKeys(@Ctx() context: SubgraphContext): Promise<ApiKey[]> {
    return new ApiKeyService(context).list();
  }

  @Authorized('apikeys:manage')
  @Mutation(() => CreatedApiKeyPayload)
  createApiKey(@Arg('input') input: CreateApiKeyInput, @Ctx() context: SubgraphContext): Promise<CreatedApiKeyPayload> {
    return new ApiKeyService(context).create(input);
  }

  @Authorized('apikeys:manage')
  @Mutation(() => ApiKey, { description: 'Revokes a key at once; revoking twice keeps the first revocation time' })
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<ApiKey> {
    return new ApiKeyService(context).revoke(id);
  }
}
