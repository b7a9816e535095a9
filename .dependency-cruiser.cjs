/**
 * fanout's folder boundaries, checked by `npm run lint:boundaries` (part of `npm test`).
 *
 *   functions/wire/   the kernel: the wire contract, queue constants, errors, batching — imports nothing of ours
 *   functions/        the worker (Lambda entry, run-jobs, tasks/) — the kernel and its tasks only
 *   cli/endpoint/     which SQS, which queues, the SDK clients
 *   cli/master/       the master: dispatch, collect, dead letters, operations
 *   cli/store/        the run store (SQLite) and the export of its results
 *   cli/report/       a run's report, drawn from the store; cost/ inside it (estimates and the ledger)
 *   cli/workers/      the handler off Lambda: event-source poller, worker processes
 *   cli/local/        the AWS stand-in on this machine: embedded server, local runtime
 *   cli/config/       the user's project: fanout.config.*, loading a tasks module (used by the shell, the client, worker processes)
 *   cli/estimate/     what a run would cost, from a sample of its jobs run here
 *   cli/client/       the typed client (`fanout()`, `map()`): above the master and the local runtime, as the shell is
 *   cli/{bin,program,index,parts}.ts, cli/commands/, cli/output/   the shell and the library's entries
 *   cdk/              the stack; nobody else imports it
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means two modules cannot be understood (or loaded) one without the other.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'kernel-imports-nothing-of-ours',
      severity: 'error',
      comment: 'functions/wire is what every side shares; it must not pull any side in.',
      from: { path: '^functions/wire/' },
      to: { path: '^(functions/(?!wire/)|cli/|cdk/|bench/|scripts/|test/)' },
    },
    {
      name: 'worker-imports-kernel-and-tasks-only',
      severity: 'error',
      comment: 'The Lambda bundle is functions/: it must not drag in the master, the CLI or the stack.',
      from: { path: '^functions/(?!wire/)' },
      to: { path: '^(cli/|cdk/|bench/|scripts/|test/)' },
    },
    {
      name: 'master-stays-off-worker-hosts-local-and-shell',
      severity: 'error',
      comment: 'The master (dispatch, collect) talks to queues and keeps what it learns in the store; it does not host workers, run the local runtime, draw reports or print.',
      from: { path: '^cli/master/' },
      to: { path: '^(cli/(workers|local|commands|output|client|config|report)/|cli/(bin|program|index|parts)\\.ts$|functions/(worker|run-jobs)\\.ts$)' },
    },
    {
      name: 'store-is-a-leaf-of-cli',
      severity: 'error',
      comment: 'The run store keeps what the master learns; it knows nothing of queues, reports, workers or the shell.',
      from: { path: '^cli/store/' },
      to: { path: '^cli/(master|report|endpoint|workers|local|commands|output|client|config)/|^cli/(bin|program|index|parts)\\.ts$|^functions/(worker|run-jobs)\\.ts$' },
    },
    {
      name: 'report-reads-the-store-and-cost-only',
      severity: 'error',
      comment: 'A report draws what the store holds; it never dispatches, collects or talks to queues.',
      from: { path: '^cli/report/' },
      to: { path: '^cli/(master|endpoint|workers|local|commands|output|client|config)/|^cli/(bin|program|index|parts)\\.ts$|^functions/(worker|run-jobs)\\.ts$' },
    },
    {
      name: 'cost-stands-alone',
      severity: 'error',
      comment: 'Cost is priced from numbers (a measured run, an estimate\'s inputs): the report uses it, never the other way round.',
      from: { path: '^cli/report/cost/' },
      to: { path: '^cli/(?!report/cost/)' },
    },
    {
      name: 'worker-hosts-never-import-the-master',
      severity: 'error',
      comment: 'Worker hosts run the handler; what the master does with results is none of their business.',
      from: { path: '^cli/workers/' },
      to: { path: '^(cli/(master|store|report|local|commands|output|client)/|cli/(bin|program|index|parts)\\.ts$)' },
    },
    {
      name: 'local-runtime-stays-below-the-master-and-shell',
      severity: 'error',
      from: { path: '^cli/local/' },
      to: { path: '^(cli/(master|store|report|commands|output|client)/|cli/(bin|program|index|parts)\\.ts$)' },
    },
    {
      name: 'endpoint-is-a-leaf-of-cli',
      severity: 'error',
      comment: 'Which SQS and which queues: used by every side, so it uses none of them.',
      from: { path: '^cli/endpoint/' },
      to: { path: '^cli/(master|store|report|workers|local|commands|output|client|config)/|^cli/(bin|program|index|parts)\\.ts$' },
    },
    {
      name: 'config-is-a-leaf-of-cli',
      severity: 'error',
      comment: 'Reading the project (fanout.config, a tasks module) needs the tasks and nothing else: worker processes load it too.',
      from: { path: '^cli/config/' },
      to: { path: '^cli/(?!config/)|^functions/(worker|run-jobs)\\.ts$' },
    },
    {
      name: 'estimate-runs-a-sample-and-prices-it',
      severity: 'error',
      comment: 'An estimate reads the inputs, runs a sample of the jobs here and prices the run; it sends nothing and prints nothing.',
      from: { path: '^cli/estimate/' },
      to: { path: '^cli/(master/(?!dispatch/(inputs|pack-size)\\.ts$)|store|endpoint|workers|local|commands|output|client)/|^cli/(bin|program|index)\\.ts$' },
    },
    {
      name: 'client-sits-beside-the-shell',
      severity: 'error',
      comment: 'The client (fanout(), map()) drives the master and the local runtime like the shell does, without printing or hosting workers itself.',
      from: { path: '^cli/client/' },
      to: { path: '^(cli/(commands|output|workers)/|cli/(bin|program|index|parts)\\.ts$|functions/(worker|run-jobs)\\.ts$)' },
    },
    {
      name: 'only-the-library-entry-imports-the-client',
      severity: 'error',
      comment: 'The client is a way in (cli/index.ts), not a part others build on.',
      from: { path: '^(functions|cli|cdk|bench|scripts)/', pathNot: '^cli/(client/|index\\.ts$)' },
      to: { path: '^cli/client/' },
    },
    {
      name: 'nothing-outside-cdk-imports-cdk',
      severity: 'error',
      comment: 'aws-cdk-lib is for synthesis only; the CLI and the worker must load without it.',
      from: { path: '^(functions|cli|bench|scripts)/' },
      to: { path: '^cdk/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)(dist|cdk\\.out|node_modules)/' },
  },
};
