/** Axis ticks at round values: steps of 1, 2 or 5 × a power of ten. */

/** A round step giving about `count` ticks over `span`. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0)) return 1;
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const factor = raw / power;
  return (factor <= 1 ? 1 : factor <= 2 ? 2 : factor <= 5 ? 5 : 10) * power;
}

/** Round values from `low` to `high`, both included when they fall on a step. */
export function niceTicks(low: number, high: number, count: number): number[] {
  const step = niceStep(high - low, count);
  const ticks: number[] = [];
  for (let value = Math.ceil(low / step) * step; value <= high + step * 1e-9; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}
