/** The flags every command that talks to queues shares. */
export type TargetFlags = {
  /** `local`, `aws` or an endpoint URL. */
  target?: string;
  /** A deployed stack to read the queues from. */
  stack?: string;
  /** A `cdk deploy --outputs-file` file. */
  outputsFile?: string;
};
