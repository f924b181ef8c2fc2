import type { InjectionKey, Ref } from 'vue';

/** What the form's renderers need from the page around it. */
export type CaseFormContext = {
  /** The deal's counterparty: CONTACT fields pick among its contacts (a plain id without one). */
  counterpartyId: Readonly<Ref<string | null>>;
  /** Names of files uploaded or known on this page, by stored file id. */
  fileNames: Map<string, string>;
  /** An upload is running: the page waits before saving. */
  setUploading: (key: string, busy: boolean) => void;
};

export const CASE_FORM_CONTEXT: InjectionKey<CaseFormContext> = Symbol('deals-case-form');
