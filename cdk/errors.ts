/**
 * Errors thrown while building the fan-out infrastructure (at synth time, never at run time).
 */

/** A `Fanout` prop is out of range or inconsistent with another one. The message names the prop, the value and the fix. */
export class FanoutPropsError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'FanoutPropsError';
  }
}
