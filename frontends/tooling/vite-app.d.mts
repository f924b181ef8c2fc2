import type { UserConfig } from 'vite';

export declare const defineMicrofrontendConfig: (options: { name: string; root: string; entry?: string }) => UserConfig;
