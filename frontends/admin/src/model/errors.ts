import { apiErrorsOf, isNetworkFailure, type ApiError } from '@kartoteka/portal-api';

/** The app's text for an error the API marks with a stable `extensions.reason` (null: show the API's message). */
export type ReasonText = (error: ApiError) => string | null;

/** A server answer split for a form: messages at the fields the API names (`extensions.field`), the rest for the form. */
export type FormErrors = { fields: Record<string, string>; form: string | null };

/**
 * Maps what a mutation threw onto a form: each BAD_USER_INPUT with a `field` the form shows goes next to that
 * field (its first segment: `roles.0` → `roles`), anything else to the form's error line. `networkText` is the
 * app's translation for an unreachable server.
 */
export const formErrorsOf = (error: unknown, shownFields: readonly string[], networkText: string, reasonText: ReasonText = () => null): FormErrors => {
  if (isNetworkFailure(error)) return { fields: {}, form: networkText };
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const apiError of apiErrorsOf(error)) {
    const field = apiError.field?.split('.')[0] ?? null;
    const text = reasonText(apiError) ?? apiError.message;
    if (field && shownFields.includes(field) && !fields[field]) fields[field] = text;
    else rest.push(text);
  }
  if (!Object.keys(fields).length && !rest.length) rest.push(error instanceof Error ? error.message : String(error));
  return { fields, form: rest.length ? rest.join('; ') : null };
};

/** One line for a failed action or query. */
export const errorText = (error: unknown, networkText: string, reasonText: ReasonText = () => null): string => {
  if (isNetworkFailure(error)) return networkText;
  const first = apiErrorsOf(error)[0];
  if (first) return reasonText(first) ?? first.message;
  return error instanceof Error ? error.message : String(error);
};
