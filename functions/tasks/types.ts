/** A task turns one job's input into its output. It may be async; throwing makes an error result. */
export type Task = (input: unknown) => unknown;
