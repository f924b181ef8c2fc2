import { isUUID } from 'class-validator';

/** Ids are UUIDs; anything else can never match a row, so callers answer "not found" without asking SQL. */
export function isUuid(value: string): boolean {
  return isUUID(value);
}
