/** The few helpers every section uses to write HTML safely. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** An epoch time as "2026-11-29 14:30:00 UTC": one zone for every reader of a shared file. */
export function formatTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A worker name short enough for a table cell or a lane label: a Lambda log stream keeps its last 8 hex digits. */
export function shortWorker(worker: string | null): string {
  if (worker === null) return '(unknown)';
  const stream = /\]([0-9a-f]{8,})$/.exec(worker);
  if (stream) return `…${stream[1]!.slice(-8)}`;
  return worker.length > 20 ? `…${worker.slice(-18)}` : worker;
}

/** JSON for a <script type="application/json"> block: "<" escaped so no string can close the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
