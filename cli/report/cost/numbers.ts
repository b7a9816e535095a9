/** Number formats shared by the estimate's lines, the ledger's formulas and the report. */

const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 12345.6 → "12,346" */
export function formatCount(value: number): string {
  return counts.format(value);
}

/** A figure with `digits` significant digits, thousands separated: 0.000123456 → "0.000123", 1234.5 → "1,235" (digits 3). */
export function formatSignificant(value: number, digits = 3): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 10 ** digits) return formatCount(value);
  // toLocaleString, not String(): String(8e-7) is "8e-7", which reads badly in a ledger.
  return Number(value.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 20, useGrouping: true });
}

/** Dollars: cents for a dollar or more, else three significant digits (an estimate's sub-cent lines stay visible). */
export function formatUsd(value: number): string {
  if (value === 0) return '$0';
  if (Math.abs(value) >= 1) return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return `$${formatSignificant(value, 3)}`;
}

/** A price: all its digits, without exponent notation: 0.0000133334 → "$0.0000133334". */
export function formatPrice(value: number): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 12, useGrouping: false })}`;
}

/** Milliseconds for people: "850 ms", "12.3 s", "4 min 05 s". */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${formatSignificant(ms, 2)} ms`;
  if (ms < 1000) return `${formatSignificant(ms, 3)} ms`;
  if (ms < 60_000) return `${formatSignificant(ms / 1000, 3)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(seconds / 3600)} h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')} min`;
}

/** A count with its noun: (1, 'call') → "1 call", (100, 'call') → "100 calls". */
export function countOf(value: number, noun: string): string {
  return `${formatCount(value)} ${value === 1 ? noun : `${noun}s`}`;
}
