/**
 * The rules every input value of every service obeys, whatever field it arrives in. Pure functions: the
 * schema-wide guard (input-guard.ts), the field decorators (input-fields.ts) and the cursor decoder
 * (connection.ts) all ask these, so a rule is decided once.
 */

/** A problem with one value: `path` is relative to the value checked (empty for the value itself). */
export type InputProblem = { path: (string | number)[]; message: string };

/**
 * PostgreSQL text cannot hold U+0000, and a lone UTF-16 surrogate is not a character at all (Node would
 * silently store U+FFFD instead). Both are refused everywhere rather than repaired.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const TEXT_MESSAGES = {
  nul: 'Text cannot contain the NUL character (U+0000)',
  surrogate: 'Text contains an invalid character (a lone UTF-16 surrogate); check the encoding',
} as const;

/** Why a string cannot be stored as text, or null when it can. */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return TEXT_MESSAGES.nul;
  if (LONE_SURROGATE.test(value)) return TEXT_MESSAGES.surrogate;
  return null;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isRealDay(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** `YYYY-MM-DD` naming a day of the proleptic Gregorian calendar, years 0001–9999 (no 2026-02-30, no 2026-13-01). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  return match !== null && isRealDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An ISO 8601 date-time with an explicit offset (`2026-03-31T09:00:00Z`, `…+03:00`), on a real calendar day,
 * with hours 00–23, minutes and seconds 00–59 and an offset within ±23:59 — what PostgreSQL's timestamptz and
 * JavaScript's Date both read the same way.
 */
export function isIsoDateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE_TIME.exec(value);
  if (!match) return false;
  const [, year, month, day, hour, minute, second, , offsetHour, offsetMinute] = match;
  if (!isRealDay(Number(year), Number(month), Number(day))) return false;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return false;
  if (offsetHour !== undefined && (Number(offsetHour) > 23 || Number(offsetMinute) > 59)) return false;
  return !Number.isNaN(Date.parse(value));
}

/** Limits of a free-form JSON input (case-template definitions, deal form data, any JSON scalar). */
export type JsonLimits = { maxDepth: number; maxBytes: number };

/**
 * 32 levels hold any real template definition or form (they nest 4–6 deep) while keeping every recursive
 * walk over the value far from the stack limit; 256 KiB is ~50 times the largest template shipped.
 */
export const JSON_INPUT_LIMITS: JsonLimits = { maxDepth: 32, maxBytes: 256 * 1024 };

/**
 * The first problem of a JSON value: nested deeper than `maxDepth` (the value itself is depth 1), larger than
 * `maxBytes` once serialised (counted as it is walked, stopping early), a string or key that is not
 * storable text, or a number that is not finite. Iterative, so no input can exhaust the stack.
 */
export function jsonProblem(value: unknown, limits: JsonLimits = JSON_INPUT_LIMITS): InputProblem | null {
  const stack: { value: unknown; depth: number; path: (string | number)[] }[] = [{ value, depth: 1, path: [] }];
  let bytes = 0;
  const tooLarge = (path: (string | number)[]): InputProblem => ({ path, message: `The value is too large (at most ${Math.floor(limits.maxBytes / 1024)} KiB)` });
  while (stack.length) {
    const item = stack.pop()!;
    if (item.value === null || typeof item.value === 'boolean') {
      bytes += 5;
    } else if (typeof item.value === 'number') {
      if (!Number.isFinite(item.value)) return { path: item.path, message: 'Numbers must be finite' };
      bytes += 24;
    } else if (typeof item.value === 'string') {
      const problem = textProblem(item.value);
      if (problem) return { path: item.path, message: problem };
      bytes += item.value.length + 2;
    } else if (typeof item.value === 'object') {
      if (item.depth > limits.maxDepth) return { path: item.path, message: `The value is nested too deeply (at most ${limits.maxDepth} levels)` };
      if (Array.isArray(item.value)) {
        bytes += 2 + item.value.length;
        for (let index = item.value.length - 1; index >= 0; index -= 1) stack.push({ value: item.value[index], depth: item.depth + 1, path: [...item.path, index] });
      } else {
        const entries = Object.entries(item.value as Record<string, unknown>);
        bytes += 2 + entries.length;
        for (let index = entries.length - 1; index >= 0; index -= 1) {
          const [key, child] = entries[index];
          const keyProblem = textProblem(key);
          if (keyProblem) return { path: [...item.path, key], message: keyProblem };
          bytes += key.length + 3;
          stack.push({ value: child, depth: item.depth + 1, path: [...item.path, key] });
        }
      }
    } else {
      return { path: item.path, message: 'Not a JSON value' };
    }
    if (bytes > limits.maxBytes) return tooLarge(item.path);
  }
  return null;
}

/** `input.details.0.title` style path of an input value (`field` of BAD_USER_INPUT). */
export function fieldPath(path: readonly (string | number)[]): string {
  return path.join('.');
}
