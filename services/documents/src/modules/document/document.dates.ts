/** Today in UTC as YYYY-MM-DD: the calendar day every document date (registration, start, in force) is compared with. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
