/**
 * Error names and messages are stored as JSON strings: SQLite's TEXT is UTF-8, where a lone
 * surrogate (which a thrown message may hold) would come back as U+FFFD; JSON escapes it, so the
 * text comes back exactly and a repeat compares equal.
 */
export function text(value: string): string {
  return JSON.stringify(value);
}

/** The string `text` stored (rows written before the encoding are taken as they are). */
export function untext(stored: string | null): string {
  if (stored === null) return '';
  try {
    const value: unknown = JSON.parse(stored);
    return typeof value === 'string' ? value : stored;
  } catch {
    return stored;
  }
}
