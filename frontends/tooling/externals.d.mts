export declare const sharedModules: Record<string, string>;
export declare const microfrontends: Record<string, { specifier: string; url: string }>;
export declare const servedApps: string[];
export declare const importMap: { imports: Record<string, string> };
export declare const isSharedModule: (id: string) => boolean;
export declare const naiveUiExports: string[];
