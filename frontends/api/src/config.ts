export type PortalConfig = {
  /** URL of the GraphQL gateway. */
  gatewayUrl: string;
};

declare global {
  interface Window {
    /** Injected into index.html by the portal server. */
    __KARTOTEKA__?: Partial<PortalConfig>;
  }
}

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4000/graphql';

export const getPortalConfig = (): PortalConfig => {
  const injected = typeof window === 'undefined' ? undefined : window.__KARTOTEKA__;
  const gatewayUrl = typeof injected?.gatewayUrl === 'string' && injected.gatewayUrl !== '' ? injected.gatewayUrl : DEFAULT_GATEWAY_URL;
  return { gatewayUrl };
};
