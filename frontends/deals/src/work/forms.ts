import { apiErrorsOf, type ApiError } from '@kartoteka/portal-api';
import { describeError, errorText } from '../model/errors';

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

/**
 * A failed save split for the form: typed BAD_USER_INPUT errors on a field the form shows go under that field,
 * everything else becomes one line for the form's banner.
 */
export const placeServerErrors = (error: unknown, fields: readonly string[], t: Translate, te: HasMessage): { byField: Record<string, string>; banner: string | null } => {
  const byField: Record<string, string> = {};
  const rest: string[] = [];
  for (const err of apiErrorsOf(error)) {
    const field = err.code === 'BAD_USER_INPUT' ? formFieldOf(err.field) : null;
    if (field && fields.includes(field)) byField[field] = serverErrorText(err, t, te);
    else rest.push(serverErrorText(err, t, te));
  }
  if (rest.length > 0) return { byField, banner: rest.join('; ') };
  if (Object.keys(byField).length > 0) return { byField, banner: null };
  return { byField, banner: describeError(error, t) };
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
