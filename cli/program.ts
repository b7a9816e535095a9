/**
 * The `fanout` command line: parses flags and hands them to the commands, which call the
 * library API (dispatch, collect, startLocalRuntime). No logic lives here. Each command is
 * imported when it runs: `fanout run --local` never loads the CloudFormation client, nor
 * `fanout runs` the embedded server.
 */
import { Command, CommanderError, Option } from 'commander';
import { LOG_LEVELS, WORKER_TIMEOUT_SECONDS } from '../functions/wire/constants.js';
import { EXPORT_FORMATS } from './store/export-results.js';
import { FanoutError, ServiceError, StorageError } from '../functions/wire/errors.js';
import { oneLine } from './endpoint/aws-errors.js';
import { EXIT } from './output/exit-codes.js';
import { integerFlag, numberFlag, oneOf, pollersFlag, secondsFlag } from './commands/validation.js';

const targetOption = () =>
  new Option('--target <target>', 'where the queues are: local (the runtime of `fanout local`), aws, or an SQS endpoint URL (default: $FANOUT_TARGET, else local)');
/** --target and the ways to find a deployed stack's queues. */
function addTargetOptions(command: Command): Command {
  return command
    .addOption(targetOption())
    .addOption(new Option('--stack <name>', 'deployed stack whose outputs name the queues (default: $FANOUT_STACK; with --target aws, Fanout)'))
    .addOption(new Option('--outputs-file <file>', 'outputs written by `cdk deploy --outputs-file` (default: ./cdk-outputs.json when it has the stack)'));
}
const taskOption = () => new Option('--task <name>', 'task to run (default: square of the built-in tasks, or the only task of your tasks module)');
const tasksOption = () => new Option('--tasks <module>', 'your tasks module, .ts or .js (default: `tasks` of ./fanout.config.ts, else the built-in square, burn, sleep, fail)');
const countOption = () => new Option('--count <n>', 'jobs with inputs 0 … n-1 (default: 10)').argParser(integerFlag('--count', 1, 10_000_000));
const inputsOption = () => new Option('--inputs <file>', 'JSONL file, one job input per line (- for standard input)').conflicts('count');
const runOption = () => new Option('--run <id>', 'the run (default: the newest one in this directory\'s store)');
const formatOption = () => new Option('--format <format>', 'jsonl, csv or json').default('jsonl').argParser(oneOf('--format', EXPORT_FORMATS));
const forceOption = () => new Option('--force', 'replace --out even if it is not an earlier export of this run');
const packOption = () => new Option('--pack <n>', 'jobs per message (default: chosen from the job count)').argParser(integerFlag('--pack', 1, 10_000));
const timeoutOption = () => new Option('--timeout <seconds>', 'give up waiting after this long').default(60).argParser(secondsFlag('--timeout', 0));
const jsonOption = () => new Option('--json', 'JSON lines on stdout, for programs');
const batchSizeOption = () => new Option('--batch-size <n>', 'records per handler invocation, as the event source mapping\'s BatchSize').default(10).argParser(integerFlag('--batch-size', 1, 10));
const logLevelOption = () => new Option('--log-level <level>', 'the handler\'s log level (Powertools)').default('WARN').argParser(oneOf('--log-level', LOG_LEVELS));
const concurrencyOption = () => new Option('--concurrency <n>', 'pollers per process, each invoking one batch at a time').default(2).argParser(integerFlag('--concurrency', 1, 256));
const functionTimeoutOption = () =>
  new Option('--function-timeout <seconds>', 'an invocation running longer is stopped and its batch fails, as on Lambda').default(WORKER_TIMEOUT_SECONDS).argParser(secondsFlag('--function-timeout', 1, 900));
const waitTimeOption = () => new Option('--wait-time <seconds>', 'long-poll wait per receive; draining takes at most this long').default(5).argParser(integerFlag('--wait-time', 0, 20));
/** What `local` and `work` start workers with: the event source's settings and the handler's. */
function addWorkerOptions(command: Command): Command {
  return command
    .addOption(concurrencyOption())
    .addOption(tasksOption())
    .addOption(batchSizeOption())
    .addOption(functionTimeoutOption())
    .addOption(waitTimeOption())
    .addOption(logLevelOption());
}

export function buildProgram(): Command {
  const program = new Command('fanout')
    .description('Fan jobs out over SQS to Lambda (or local workers) and collect their results.')
    .exitOverride()
    // Commander's errors in our one-line form: "fanout: unknown command 'x' (Did you mean y?)".
    .configureOutput({ outputError: (message, write) => write(`fanout: ${message.replace(/^error: /, '').trim().replaceAll('\n', ' ')}\n`) });

  // In the order `fanout --help` lists them.
  addRunCommands(program);
  addStoreCommands(program);
  addLocalCommand(program);
  addRedriveCommand(program);
  addWorkCommand(program);
  addOperationCommands(program);
  return program;
}

/** A run: `dispatch` sends its jobs, `collect` gathers its results, `run` does both. */
function addRunCommands(program: Command): void {
  addTargetOptions(program.command('dispatch'))
    .description('send jobs to the dispatched queue; prints the run id')
    .addOption(taskOption())
    .addOption(tasksOption())
    .addOption(countOption())
    .addOption(inputsOption())
    .addOption(packOption())
    .addOption(new Option('--resume <run>', 'send what an interrupted dispatch of this run did not').conflicts(['count']))
    .addOption(new Option('--run <id>', 'the new run\'s id: 1-64 letters, digits, "-" or "_" (default: a new r-… id)'))
    .addOption(new Option('--max-cost <usd>', 'refuse the run if its estimate on Lambda is above this (runs a sample of 5 jobs here first)').argParser(numberFlag('--max-cost', 'US dollars', 0, 1_000_000)))
    .addOption(jsonOption())
    .action(async (flags) => exit(await (await import('./commands/dispatch-command.js')).dispatchCommand(flags)));

  addTargetOptions(program.command('collect'))
    .description('gather a run\'s results into the run store (.fanout/fanout.db); --out also exports them')
    .addOption(runOption())
    .addOption(timeoutOption())
    .option('--out <file>', 'export the results to this file at the end')
    .addOption(formatOption())
    .addOption(forceOption())
    .addOption(jsonOption())
    .action(async (flags) => exit(await (await import('./commands/collect-command.js')).collectCommand(flags)));

  addTargetOptions(program.command('run'))
    .description('dispatch, then collect; with --local, on an embedded SQS server with local workers')
    .option('--local', 'start an embedded server and local workers for this run')
    .addOption(taskOption())
    .addOption(tasksOption())
    .addOption(countOption())
    .addOption(inputsOption())
    .addOption(packOption())
    .addOption(timeoutOption())
    .addOption(new Option('--workers <n>', 'local worker pollers, in this process (with --local)').default(2).argParser(integerFlag('--workers', 1, 256)))
    .option('--out <file>', 'export the results to this file at the end')
    .addOption(formatOption())
    .addOption(forceOption())
    .addOption(jsonOption())
    .action(async (flags) => exit(await (await import('./commands/run-command.js')).runCommand(flags)));
}

/** What the run store holds and what runs cost: `results`, `estimate`, `report`, `runs`. */
function addStoreCommands(program: Command): void {
  program
    .command('results')
    .description('a run\'s results from the store, to stdout or --out')
    .argument('[run]', 'the run (default: the newest one)')
    .option('--out <file>', 'write them to this file (written whole, then renamed into place)')
    .addOption(formatOption())
    .addOption(forceOption())
    .action(async (run: string | undefined, flags) => exit(await (await import('./commands/results-command.js')).resultsCommand(run, flags)));

  addCostOptions(
    program
      .command('estimate')
      .description('what a run would cost on Lambda and how long it would take: runs a sample of its jobs here')
      .addOption(taskOption())
      .addOption(tasksOption())
      .addOption(countOption())
      .addOption(inputsOption())
      .addOption(packOption())
      .addOption(new Option('--sample <k>', 'jobs run here to measure time and output size').default(10).argParser(integerFlag('--sample', 1, 10_000)))
      .option('--formulas', 'show how each line is worked out'),
  )
    .addOption(jsonOption())
    .action(async (flags) => exit(await (await import('./commands/estimate-command.js')).estimateCommand(flags)));

  addCostOptions(
    program
      .command('report')
      .description('write a run\'s report: one self-contained HTML page (timeline, durations, failures, cost); prints its path')
      .argument('[run]', 'the run (default: the newest one)')
      .option('--out <file>', 'where to write it (default: .fanout/reports/<run>.html)')
      .option('--open', 'open it in the default browser'),
  )
    .addOption(jsonOption())
    .action(async (run: string | undefined, flags) => exit(await (await import('./commands/report-command.js')).reportCommand(run, flags)));

  program
    .command('runs')
    .description('the runs in this directory\'s store, newest first')
    .addOption(new Option('--limit <n>', 'at most this many').default(50).argParser(integerFlag('--limit', 1, 1_000_000)))
    .addOption(jsonOption())
    .action(async (flags) => exit(await (await import('./commands/runs-command.js')).runsCommand(flags)));
}

/** `local`: the embedded server and its workers, kept running for other terminals. */
function addLocalCommand(program: Command): void {
  addWorkerOptions(program.command('local'))
    .description('keep an embedded SQS server and local workers running for other terminals')
    .addOption(new Option('--port <port>', 'port on 127.0.0.1 (0: any free port)').default(4566).argParser(integerFlag('--port', 0, 65_535)))
    .option('--memory', 'keep queues and messages in memory only (default: in .fanout/local/, kept across restarts)')
    .option('--reset', 'wipe the queues and messages kept in .fanout/local/ before starting')
    .addOption(new Option('--workers <n>', 'worker processes (0: server only)').default(2).argParser(integerFlag('--workers', 0, 256)))
    .action(async (flags) => exit(await (await import('./commands/local-command.js')).localCommand(flags)));
}

/** `redrive`: dead-lettered job messages back to the dispatched queue. */
function addRedriveCommand(program: Command): void {
  addTargetOptions(program.command('redrive'))
    .description('move a run\'s dead-lettered job messages back to the dispatched queue; exits 1 if some remain')
    .addOption(runOption())
    .option('--all', 'every message in the dead-letter queue, whatever its run')
    .addOption(jsonOption())
    .action(async (flags) => exit(await (await import('./commands/redrive-command.js')).redriveCommand(flags)));
}

/** `work`: workers on this machine for any target. */
function addWorkCommand(program: Command): void {
  addWorkerOptions(addTargetOptions(program.command('work')))
    .description('run local workers against a target until Ctrl-C: any machine becomes a worker')
    .addOption(new Option('--processes <n>', 'worker processes; 0 runs the workers in this process (default: one per core)').argParser(integerFlag('--processes', 0, 256)))
    .action(async (flags) => exit(await (await import('./commands/work-command.js')).workCommand(flags)));
}

/** The deployed stack's switches and gauges: `status`, `pause`, `resume`. */
function addOperationCommands(program: Command): void {
  addTargetOptions(program.command('status'))
    .description('queue depths (waiting, in flight, dead-lettered, finished) and the event source mapping\'s state')
    .addOption(jsonOption())
    .action(async (flags) => exit(await (await import('./commands/operations-command.js')).statusCommand(flags)));

  addTargetOptions(program.command('pause'))
    .description('disable the deployed worker\'s event source mapping: the kill switch for a runaway run')
    .addOption(jsonOption())
    .action(async (flags) => exit(await (await import('./commands/operations-command.js')).pauseCommand(flags, false)));

  addTargetOptions(program.command('resume'))
    .description('enable the deployed worker\'s event source mapping again')
    .addOption(jsonOption())
    .action(async (flags) => exit(await (await import('./commands/operations-command.js')).pauseCommand(flags, true)));
}

/** Where workers run and at what prices: for estimates and the report's ledger. */
function addCostOptions(command: Command): Command {
  return command
    .addOption(new Option('--memory-mb <mb>', 'the worker\'s memory (default: 1769, the stack\'s)').argParser(integerFlag('--memory-mb', 128, 10_240)))
    .addOption(new Option('--architecture <arch>', 'arm64 or x86_64 (default: arm64, the stack\'s)').argParser(oneOf('--architecture', ['arm64', 'x86_64'] as const)))
    .addOption(new Option('--region <region>', 'the region whose prices apply (default: us-east-1)'))
    .addOption(new Option('--max-concurrency <n>', 'the event source\'s maximum concurrency (default: 50)').argParser(integerFlag('--max-concurrency', 2, 1000)))
    .addOption(new Option('--pollers <min:max>', 'provisioned mode\'s event pollers, for its prediction (default: 2:200, AWS\'s)').argParser(pollersFlag('--pollers')))
    .addOption(new Option('--worker-timeout <s>', 'the worker\'s timeout in seconds (default: 60, the stack\'s)').argParser(integerFlag('--worker-timeout', 1, 900)))
    .addOption(new Option('--reserved-concurrency <n>', 'the worker\'s reserved concurrency (default: none)').argParser(integerFlag('--reserved-concurrency', 1)))
    .addOption(new Option('--account-concurrency <n>', 'the account\'s concurrent executions in the region (default: 1000, Lambda\'s quota)').argParser(integerFlag('--account-concurrency', 1)))
    .addOption(new Option('--price-file <file>', 'JSON prices laid over the built-in table'));
}

/** Set by a command; read once the action's promise settles. */
let exitCode: number = EXIT.ok;
function exit(code: number): void {
  exitCode = code;
}

/** Runs the CLI; resolves to the exit code. Errors become one line on stderr. */
export async function main(argv: readonly string[]): Promise<number> {
  stopWhenOutputIsClosed(process.stdout);
  stopWhenOutputIsClosed(process.stderr);
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version are not errors.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof FanoutError) {
      process.stderr.write(`fanout: ${oneLine(error.message, 2000)}\n`);
      return exitCodeOfError(error);
    }
    process.stderr.write(`fanout: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.internal;
  }
}

/**
 * `fanout collect --json | head`: once the reader has gone, nothing written reaches anyone. Stop
 * then, quietly, as SIGPIPE stops other tools (Node ignores SIGPIPE, and an unhandled EPIPE would
 * print a stack trace). Nothing is lost: a result is deleted from its queue only once stored, and
 * SQLite's transactions end within the tick that began them.
 */
function stopWhenOutputIsClosed(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.closedPipe);
    if (stream !== process.stderr) process.stderr.write(`fanout: cannot write to standard output: ${error.message}\n`);
    process.exit(EXIT.internal);
  });
}

/** Which exit code a fanout error means: the user must change something (2), or try again (5). */
function exitCodeOfError(error: FanoutError): number {
  if (error instanceof StorageError) return EXIT.storage;
  return error instanceof ServiceError ? EXIT.service : EXIT.usage;
}
