import type { Identity, Logger } from '@kartoteka/kit';

/** `clientAddress`: the caller's address (the socket's, or the one a trusted proxy reports), forwarded in subgraph tokens. */
export type GatewayContext = { identity: Identity; requestId: string; logger: Logger; clientAddress?: string };
