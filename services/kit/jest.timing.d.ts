/** The factor from KARTOTEKA_TEST_SLOWDOWN (≥ 1, default 1). */
export declare const slowdown: number;
/** `ms` stretched by the configured slowdown. */
export declare function scaled(ms: number): number;
