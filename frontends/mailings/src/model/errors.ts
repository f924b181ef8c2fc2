import { apiErrorsOf, isNetworkFailure } from '@kartoteka/portal-api';

/** One line for a failed action or query: the unreachable server in the app's words, else the API's own message. */
export const errorText = (error: unknown, networkText: string): string => {
  if (isNetworkFailure(error)) return networkText;
  const first = apiErrorsOf(error)[0];
  if (first) return first.message;
  return error instanceof Error ? error.message : String(error);
};
