import type { Identity, Logger } from '@kartoteka/kit';

export type GatewayContext = { identity: Identity; requestId: string; logger: Logger };
