/** What `fanout` exits with, so scripts can tell outcomes apart. */
export const EXIT = {
  /** Every job has a result and every result is ok. */
  ok: 0,
  /** Every job has a result, and some of them are errors (or conflict). */
  jobsFailed: 1,
  /** Bad flags, bad inputs or configuration: a missing stack, queue, run or credentials. */
  usage: 2,
  /** The timeout passed with jobs still missing a result. */
  incomplete: 3,
  /** The local run store could not be written (disk full, read-only, locked): nothing was lost; run again when fixed. */
  storage: 4,
  /** SQS or AWS failed or could not be reached: nothing was lost; run again. */
  service: 5,
  /** A bug in fanout: please report it. */
  internal: 70,
  /** Stopped by Ctrl-C (128 + SIGINT). */
  interrupted: 130,
  /** Output's reader went away (`| head`): stopped as SIGPIPE stops a process (128 + 13); what was stored stays stored. */
  closedPipe: 141,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
