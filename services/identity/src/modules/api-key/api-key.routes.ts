import type { Router } from 'express';
import type { SubgraphDefinition } from '@kartoteka/kit';
import { ApiKeyService } from './api-key.service';

type Deps = Parameters<NonNullable<SubgraphDefinition['internalRoutes']>>[1];

/** Gateway-only endpoint: turns a presented API key into the identity the gateway forwards. */
export function apiKeyRoutes(router: Router, deps: Deps): void {
  router.post('/authenticate-api-key', async (req, res) => {
    const key: unknown = req.body?.key;
    if (typeof key !== 'string') {
      res.status(400).json({ error: 'key is required' });
      return;
    }
    const result = await new ApiKeyService(deps.contextOf(req)).authenticate(key);
    if (!result) {
      res.status(401).json({ error: 'invalid or revoked API key' });
      return;
    }
    res.json(result);
  });
}
