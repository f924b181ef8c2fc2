import { requirePermissions } from '../auth/auth-checker';
import type { Permission } from '../auth/permissions';
import { byKeys, type SubgraphContext } from '../server/context';
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
