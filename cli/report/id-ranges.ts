/** Job ids as people read them: [1, 2, 3, 7, 9, 10] → "1-3, 7, 9-10". */

export type IdRangesOptions = {
  /** Ranges shown before the rest is summed up as "… and N more". @default Infinity */
  maxRanges?: number;
};

export function compactRanges(ids: Iterable<number>, options: IdRangesOptions = {}): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  for (const id of sorted) {
    const last = ranges.at(-1);
    if (last && id === last[1] + 1) last[1] = id;
    else ranges.push([id, id]);
  }
  const max = options.maxRanges ?? Infinity;
  const shown = ranges.slice(0, max).map(([from, to]) => (from === to ? String(from) : `${from}-${to}`));
  if (ranges.length > max) {
    const rest = ranges.slice(max).reduce((sum, [from, to]) => sum + to - from + 1, 0);
    shown.push(`… and ${rest} more`);
  }
  return shown.join(', ');
}
