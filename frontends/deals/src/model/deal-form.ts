import type { CreateDealInput, DealCase, UpdateDealInput } from '../api/deal-case.queries';
import { minorToInput, parseMoneyToMinor } from '@kartoteka/portal-api';
import type { JsonObject } from './template-definition';

/** The deal's own fields on the create page and the deal page (the template's form is rendered apart). */
export type DealBasicsDraft = {
  templateId: string | null;
  counterpartyId: string | null;
  title: string;
  ownerId: string | null;
  ownerName: string;
  /** Typed amount ("1 234,56"); parsed to minor units on save. */
  amount: string;
  currency: string;
  expectedCloseDate: string | null;
};

export const emptyBasics = (params: { templateId: string | null; counterpartyId: string | null; ownerId: string | null; ownerName: string }): DealBasicsDraft => ({
  ...params,
  title: '',
  amount: '',
  currency: 'RUB',
  expectedCloseDate: null,
});

export const basicsFromDeal = (deal: DealCase): DealBasicsDraft => ({
  templateId: deal.templateVersion.template.id,
  counterpartyId: deal.counterpartyId,
  title: deal.title,
  ownerId: deal.owner?.id ?? null,
  ownerName: deal.owner?.name ?? '',
  amount: minorToInput(deal.amount?.minor ?? null),
  currency: deal.amount?.currency ?? 'RUB',
  expectedCloseDate: deal.expectedCloseDate,
});

/** Client-side problems: path (as the API names it) → i18n key under `dealForm.error`. */
export const validateBasics = (draft: DealBasicsDraft, creating: boolean): Record<string, string> => {
  const issues: Record<string, string> = {};
  if (creating && !draft.templateId) issues.templateId = 'required';
  if (creating && !draft.counterpartyId) issues.counterpartyId = 'required';
  if (draft.title.trim() === '') issues.title = 'required';
  else if (draft.title.trim().length > 200) issues.title = 'tooLong';
  const amount = parseMoneyToMinor(draft.amount);
  if (!amount.ok) issues.amountMinor = 'amount';
  else if (amount.minor !== null && amount.minor < 0) issues.amountMinor = 'negative';
  return issues;
};

const amountMinorOf = (draft: DealBasicsDraft): number | null => {
  const parsed = parseMoneyToMinor(draft.amount);
  return parsed.ok ? parsed.minor : null;
};

export const toCreateDealInput = (draft: DealBasicsDraft, formData: JsonObject): CreateDealInput => {
  const amountMinor = amountMinorOf(draft);
  return {
    templateId: draft.templateId ?? '',
    counterpartyId: draft.counterpartyId ?? '',
    title: draft.title.trim(),
    ownerId: draft.ownerId,
    amountMinor,
    currency: amountMinor === null ? null : draft.currency,
    expectedCloseDate: draft.expectedCloseDate,
    formData,
  };
};

const same = (a: unknown, b: unknown): boolean => stableJson(a) === stableJson(b);

/** Only what changed against the loaded deal; null when nothing did. */
export const toUpdateDealInput = (
  draft: DealBasicsDraft,
  original: DealBasicsDraft,
  formData: JsonObject,
  originalFormData: JsonObject,
  id: string,
  version: number,
): UpdateDealInput | null => {
  const input: UpdateDealInput = { id, version };
  if (draft.title.trim() !== original.title.trim()) input.title = draft.title.trim();
  if (draft.ownerId !== original.ownerId && draft.ownerId !== null) input.ownerId = draft.ownerId;
  const amountMinor = amountMinorOf(draft);
  if (amountMinor !== amountMinorOf(original) || (amountMinor !== null && draft.currency !== original.currency)) {
    input.amountMinor = amountMinor;
    input.currency = amountMinor === null ? null : draft.currency;
  }
  if (draft.expectedCloseDate !== original.expectedCloseDate) input.expectedCloseDate = draft.expectedCloseDate;
  const patch = formDataPatch(formData, originalFormData);
  if (patch) input.formData = patch;
  return Object.keys(input).length > 2 ? input : null;
};

/** The form values that changed (the API keeps the others); a cleared field is sent as null. Null when none did. */
export const formDataPatch = (formData: JsonObject, originalFormData: JsonObject): JsonObject | null => {
  const patch: JsonObject = {};
  for (const key of new Set([...Object.keys(formData), ...Object.keys(originalFormData)])) {
    const next = formData[key] ?? null;
    if (!same(next, originalFormData[key] ?? null)) patch[key] = next;
  }
  return Object.keys(patch).length > 0 ? patch : null;
};

/** The page's path of an API error field: `input.amountMinor` → `amountMinor`, `formData.budget` stays. */
export const dealPathOf = (field: string): string => {
  const path = field.replace(/^input\./, '').replace(/^\/+/, '').replace(/\//g, '.');
  if (path === 'currency') return 'amountMinor';
  return path;
};

/** `formData.budget.minor` → `budget` (the form shows errors per field). */
export const formKeyOf = (path: string): string | null => {
  const match = /^formData\.([^.]+)/.exec(path);
  return match ? match[1] : null;
};

/** The deal's own fields a page shows (the template and the counterparty only when the deal is created). */
export const dealBasicsFields = (creating: boolean): readonly string[] =>
  creating ? ['templateId', 'counterpartyId', 'title', 'ownerId', 'amountMinor', 'expectedCloseDate'] : ['title', 'ownerId', 'amountMinor', 'expectedCloseDate'];

/**
 * Where an API error of a deal's save shows: under one of the deal's own fields the page shows (`shown`), under the
 * form's field `formData.<key>` when the form has that key, else nowhere but the banner (null).
 */
export const dealFieldOf = (field: string, shown: readonly string[], formKeys: readonly string[]): string | null => {
  const path = dealPathOf(field);
  const key = formKeyOf(path);
  if (key !== null) return formKeys.includes(key) ? `formData.${key}` : null;
  return shown.includes(path) ? path : null;
};

/** A deal's values by the paths its errors use: what a server error under a field is kept against (`amountMinor` is the amount with its currency). */
export type DealFormValues = {
  templateId: string | null;
  counterpartyId: string | null;
  title: string;
  ownerId: string | null;
  amountMinor: { amount: string; currency: string };
  expectedCloseDate: string | null;
  formData: JsonObject;
};

export const dealFormValues = (draft: DealBasicsDraft, formData: JsonObject): DealFormValues => ({
  templateId: draft.templateId,
  counterpartyId: draft.counterpartyId,
  title: draft.title,
  ownerId: draft.ownerId,
  amountMinor: { amount: draft.amount, currency: draft.currency },
  expectedCloseDate: draft.expectedCloseDate,
  formData: cleanFormData(formData),
});

/** A comparable snapshot (unsaved changes). */
export const snapshotOfBasics = (draft: DealBasicsDraft): string => stableJson({ ...draft, ownerName: '', title: draft.title.trim() });

/** Form data without the keys JSON Forms leaves as `undefined`. */
export const cleanFormData = (data: JsonObject): JsonObject => JSON.parse(JSON.stringify(data ?? {})) as JsonObject;

/** JSON with object keys sorted: equal data compares equal whatever the order its keys came in. */
export const stableJson = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
