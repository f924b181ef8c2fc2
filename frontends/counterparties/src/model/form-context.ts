import type { InjectionKey } from 'vue';

/** Lets a FormField report that the user left it, so its error shows from then on. */
export const TOUCH_FIELD: InjectionKey<(path: string) => void> = Symbol('touch-field');
