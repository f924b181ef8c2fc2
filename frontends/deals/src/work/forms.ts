import type { ApiError } from '@kartoteka/portal-api';
import { errorText } from '../model/errors';

type Translate = (key: string, params?: Record<string, unknown>) => string;
type HasMessage = (key: string) => boolean;

/** An API error in the UI language: by its rule (`extensions.reason`, e.g. `project.unknown`) when the app knows it. */
export const serverErrorText = (error: ApiError, t: Translate, te: HasMessage): string =>
  error.reason && te(`work.reason.${error.reason}`) ? t(`work.reason.${error.reason}`) : errorText(error, t);

/** The form field an API error names: `input.team.0.userId` → `team`. */
export const formFieldOf = (field: string | null | undefined): string | null => {
  if (!field) return null;
  const path = field.replace(/^input\./, '').replace(/^\/+/, '').replace(/\//g, '.');
  return path.split('.')[0] || null;
};

/** `fieldOf` of portal-api's `useServerForm` for a form showing `fields`: an API error's field, if the form has it. */
export const fieldIn =
  (fields: readonly string[]) =>
  (field: string): string | null => {
    const path = formFieldOf(field);
    return path && fields.includes(path) ? path : null;
  };

/**
 * The banner line of a work form: a failure that carried no API error; else, while server errors remain, the ones
 * that name no field of the form (or "fix the errors" when all stand under their fields); else "fix the errors"
 * while the client's checks fail after a save; else none.
 */
export const formBanner = (
  state: { failure: string | null; serverErrors: boolean; unplaced: readonly ApiError[]; clientErrors: boolean },
  t: Translate,
  te: HasMessage,
): string | null => {
  if (state.failure) return state.failure;
  if (state.serverErrors) return state.unplaced.length > 0 ? state.unplaced.map((error) => serverErrorText(error, t, te)).join('; ') : t('work.form.fixErrors');
  return state.clientErrors ? t('work.form.fixErrors') : null;
};

/** Today as YYYY-MM-DD in the browser's time zone. */
export const localDay = (date = new Date()): string => {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
};

/** The instant a local day starts, shifted by `days`, as ISO 8601 (UTC). */
export const dayStart = (days = 0, now = new Date()): string => new Date(now.getFullYear(), now.getMonth(), now.getDate() + days).toISOString();

/** A due time from a local day and an `HH:MM` time (end of the working day when none is given), ISO 8601 with the offset. */
export const dueAtOf = (day: string | null, time: string | null): string | null => {
  if (!day) return null;
  const [y, m, d] = day.split('-').map(Number);
  const [hh, mm] = (time && /^\d{1,2}:\d{2}$/.test(time) ? time : '18:00').split(':').map(Number);
  return new Date(y, m - 1, d, hh, mm).toISOString();
};

/** The local day and `HH:MM` of a due time. */
export const dueParts = (dueAt: string | null): { day: string | null; time: string | null } => {
  if (!dueAt) return { day: null, time: null };
  const date = new Date(dueAt);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return { day: localDay(date), time: `${pad(date.getHours())}:${pad(date.getMinutes())}` };
};
