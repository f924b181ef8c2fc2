/** Typed text as the API takes it: trimmed, null when nothing is left. */
export const trimmedOrNull = (text: string): string | null => (text.trim() === '' ? null : text.trim());
