/** What a run's record says about where it stands. */
import { hostname } from 'node:os';
import { isProcessAlive } from '../processes.js';
import type { RunRecord } from './types.js';

/** Every job of the run has a stored result. */
export function isComplete(record: RunRecord): boolean {
  return record.jobs !== undefined && record.counts.done >= record.jobs && (record.state === 'dispatched' || record.state === 'complete');
}

/** The run's dispatch ended before sending everything, and nobody is sending now. */
export function dispatchStopped(record: RunRecord): boolean {
  if (record.state === 'interrupted') return true;
  if (record.state !== 'dispatching' || !record.dispatcher) return false;
  // A dispatcher on another machine (a shared home) cannot be checked: assume it runs.
  return record.dispatcher.host === hostname() && !isProcessAlive(record.dispatcher.pid);
}

/** The state to show: a dispatch whose process died is interrupted, whatever the record still says. */
export function effectiveState(record: RunRecord): RunRecord['state'] {
  return record.state === 'dispatching' && dispatchStopped(record) ? 'interrupted' : record.state;
}
