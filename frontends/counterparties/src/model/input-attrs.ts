import type { InputHTMLAttributes } from 'vue';

/** Attributes for the native <input> inside a Naive UI input, with the data-testid browser tests use. */
export const inputAttrs = (testId: string, extra: InputHTMLAttributes = {}): InputHTMLAttributes =>
  ({ ...extra, 'data-testid': testId }) as InputHTMLAttributes;
