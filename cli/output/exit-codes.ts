/** What `fanout` exits with, so scripts can tell outcomes apart. */
export const EXIT = {
  /** Every job has a result and every result is ok. */
  ok: 0,
  /** Every job has a result, and some of them are errors. */
  jobsFailed: 1,
  /** Bad flags, bad inputs, missing queues or credentials, unreachable endpoint. */
  usage: 2,
  /** The timeout passed with jobs still missing a result. */
  incomplete: 3,
  /** A bug in fanout: please report it. */
  internal: 70,
} as const;
