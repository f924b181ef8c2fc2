import type { InjectionKey } from 'vue';

/** Lets a FormField report that the user left it, so its client-side error shows from then on. */
export const TOUCH_FIELD: InjectionKey<(path: string) => void> = Symbol('edms-touch-field');
