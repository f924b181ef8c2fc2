import { apiErrorsOf, isNetworkFailure, type ApiError } from '@kartoteka/portal-api';

/** The app's text for an error the API marks with a stable `extensions.reason` (null: show the API's message). */
export type ReasonText = (error: ApiError) => string | null;

/**
 * One line for a failed query or action (a list that did not load, a row's deactivation): the unreachable server in
 * the app's words, else the first API error (in the app's words where `reasonText` has some). The dialogs' server
 * errors go through the portal's `useServerForm` instead.
 */
export const errorText = (error: unknown, networkText: string, reasonText: ReasonText = () => null): string => {
  if (isNetworkFailure(error)) return networkText;
  const first = apiErrorsOf(error)[0];
  if (first) return reasonText(first) ?? first.message;
  return error instanceof Error ? error.message : String(error);
};
