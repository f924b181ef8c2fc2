import { requirePermissions } from '../auth/auth-checker';
import type { Permission } from '../auth/permissions';
import { byKeys, type SubgraphContext } from '../server/context';
import { NotFoundError } from '../errors/domain-errors';
import { isUuid } from './ids';
import type { ReferenceResolverMap } from './build-subgraph';

export type ReferenceDefinition<T extends { id: string }> = {
  /** Permissions the caller needs to resolve this entity for another subgraph. */
  permissions: readonly Permission[];
  /** Loads many entities by id in one query. */
  load: (ids: readonly string[], context: SubgraphContext) => Promise<T[]>;
};

/**
 * `__resolveReference` for an entity owned by this subgraph: authorization is checked on every reference
 * (the gateway does not enforce it) and all representations of one request are loaded in one batch.
 */
export function defineReference<T extends { id: string }>(typeName: string, definition: ReferenceDefinition<T>): ReferenceResolverMap {
  return {
    [typeName]: {
      __resolveReference: async (reference: { id: string }, context: SubgraphContext) => {
        requirePermissions(context.identity, definition.permissions);
        const loader = context.loaders.get<T>(`reference:${typeName}`, async (ids) => {
          const valid = ids.filter(isUuid);
          return byKeys(ids, valid.length ? await definition.load(valid, context) : [], (row) => row.id);
        });
        return loader.load(reference.id);
      },
    } as ReferenceResolverMap[string],
  };
}

/** A user as a subgraph's read model of identity's staff knows them (kit's UserRef, documents' staff directory). */
export type KnownUserName = { id: string; name: string };

/**
 * `User.name` resolved by a subgraph that is not identity, from its own read model of identity's users, so the
 * gateway need not ask identity for display names (identity declares the field `@shareable`, so does every stub
 * that resolves it). All users of one request are loaded in one batch (`load`: many ids, one query).
 *
 * A user absent from the read model: the model is complete by construction, since identity publishes
 * `identity.user.upserted` in the same transaction as every creation and change (deactivation included: the row
 * stays, with its name) and never deletes a user, and a read model can be rebuilt from those events. The one gap
 * is delivery lag, right after a user is created; its likeliest case is the new user looking at what they have
 * just done, answered from the caller's own identity (signed by the gateway, it carries the name). Any other
 * miss is an error at this field's path (NOT_FOUND), never a wrong or empty name.
 */
export async function userNameFromReadModel(id: string, context: SubgraphContext, load: (ids: readonly string[], context: SubgraphContext) => Promise<KnownUserName[]>): Promise<string> {
  const key = id.toLowerCase();
  const loader = context.loaders.get<KnownUserName>('user-name', async (ids) => {
    const valid = ids.filter(isUuid);
    return byKeys(ids, valid.length ? await load(valid, context) : [], (row) => row.id.toLowerCase());
  });
  const known = await loader.load(key);
  if (known) return known.name;
  const caller = context.identity;
  if (caller.kind === 'user' && caller.id.toLowerCase() === key) return caller.name;
  throw new NotFoundError('User', id);
}
