import type { Plugin } from 'vite';

export declare const MODULE_GRAPH_FILE: string;
export declare const moduleGraph: () => Plugin;
