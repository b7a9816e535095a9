/**
 * The `fanout` command line: parses flags and hands them to the commands, which call the
 * library API (dispatch, collect, startLocalRuntime). No logic lives here.
 */
import { Command, CommanderError, Option } from 'commander';
import { LOG_LEVELS, WORKER_TIMEOUT_SECONDS } from '../functions/wire/constants.js';
import { FanoutError, ServiceError } from '../functions/wire/errors.js';
import { oneLine } from './endpoint/aws-errors.js';
import { taskNames } from '../functions/tasks/index.js';
import { collectCommand } from './commands/collect-command.js';
import { dispatchCommand } from './commands/dispatch-command.js';
import { localCommand } from './commands/local-command.js';
import { pauseCommand, statusCommand } from './commands/operations-command.js';
import { redriveCommand } from './commands/redrive-command.js';
import { runCommand } from './commands/run-command.js';
import { workCommand } from './commands/work-command.js';
import { EXIT } from './output/exit-codes.js';
import { integerFlag, oneOf, secondsFlag } from './commands/validation.js';

const targetOption = () =>
  new Option('--target <target>', 'where the queues are: local (the runtime of `fanout local`), aws, or an SQS endpoint URL (default: $FANOUT_TARGET, else local)');
/** --target and the ways to find a deployed stack's queues. */
function addTargetOptions(command: Command): Command {
  return command
    .addOption(targetOption())
    .addOption(new Option('--stack <name>', 'deployed stack whose outputs name the queues (default: $FANOUT_STACK; with --target aws, Fanout)'))
    .addOption(new Option('--outputs-file <file>', 'outputs written by `cdk deploy --outputs-file` (default: ./cdk-outputs.json when it has the stack)'));
}
const taskOption = () => new Option('--task <name>', `task to run (${taskNames().join(', ')})`).default('square');
const countOption = () => new Option('--count <n>', 'jobs with inputs 0 … n-1 (default: 10)').argParser(integerFlag('--count', 1, 10_000_000));
const inputsOption = () => new Option('--inputs <file>', 'JSONL file, one job input per line').conflicts('count');
const packOption = () => new Option('--pack <n>', 'jobs per message (default: chosen from the job count)').argParser(integerFlag('--pack', 1, 10_000));
const timeoutOption = () => new Option('--timeout <seconds>', 'give up waiting after this long').default(60).argParser(secondsFlag('--timeout', 0));
const jsonOption = () => new Option('--json', 'JSON lines on stdout, for programs');
const batchSizeOption = () => new Option('--batch-size <n>', 'records per handler invocation, as the event source mapping\'s BatchSize').default(10).argParser(integerFlag('--batch-size', 1, 10));
const logLevelOption = () => new Option('--log-level <level>', 'the handler\'s log level (Powertools)').default('WARN').argParser(oneOf('--log-level', LOG_LEVELS));
const concurrencyOption = () => new Option('--concurrency <n>', 'pollers per process, each invoking one batch at a time').default(2).argParser(integerFlag('--concurrency', 1, 256));
const functionTimeoutOption = () =>
  new Option('--function-timeout <seconds>', 'an invocation running longer is stopped and its batch fails, as on Lambda').default(WORKER_TIMEOUT_SECONDS).argParser(secondsFlag('--function-timeout', 1, 900));
const waitTimeOption = () => new Option('--wait-time <seconds>', 'long-poll wait per receive; draining takes at most this long').default(5).argParser(integerFlag('--wait-time', 0, 20));

export function buildProgram(): Command {
  const program = new Command('fanout')
    .description('Fan jobs out over SQS to Lambda (or local workers) and collect their results.')
    .exitOverride()
    // Commander's errors in our one-line form: "fanout: unknown command 'x' (Did you mean y?)".
    .configureOutput({ outputError: (message, write) => write(`fanout: ${message.replace(/^error: /, '').trim().replaceAll('\n', ' ')}\n`) });

  addTargetOptions(program.command('dispatch'))
    .description('send jobs to the dispatched queue; prints the run id')
    .addOption(taskOption())
    .addOption(countOption())
    .addOption(inputsOption())
    .addOption(packOption())
    .addOption(jsonOption())
    .action(async (flags) => exit(await dispatchCommand(flags)));

  addTargetOptions(program.command('collect'))
    .description('gather a run\'s results from the finished queue into .fanout/runs/<run>.results.jsonl')
    .option('--run <id>', 'run to collect (default: the last one dispatched from here)')
    .addOption(timeoutOption())
    .option('--out <file>', 'results file (default: .fanout/runs/<run>.results.jsonl)')
    .addOption(jsonOption())
    .action(async (flags) => exit(await collectCommand(flags)));

  addTargetOptions(program.command('run'))
    .description('dispatch, then collect; with --local, on an embedded SQS server with local workers')
    .option('--local', 'start an embedded server and local workers for this run')
    .addOption(taskOption())
    .addOption(countOption())
    .addOption(inputsOption())
    .addOption(packOption())
    .addOption(timeoutOption())
    .addOption(new Option('--workers <n>', 'local worker pollers, in this process (with --local)').default(2).argParser(integerFlag('--workers', 1, 256)))
    .addOption(jsonOption())
    .action(async (flags) => exit(await runCommand(flags)));

  program
    .command('local')
    .description('keep an embedded SQS server and local workers running for other terminals')
    .addOption(new Option('--port <port>', 'port on 127.0.0.1 (0: any free port)').default(4566).argParser(integerFlag('--port', 0, 65_535)))
    .option('--memory', 'keep queues and messages in memory only (default: in .fanout/local/, kept across restarts)')
    .option('--reset', 'wipe the queues and messages kept in .fanout/local/ before starting')
    .addOption(new Option('--workers <n>', 'worker processes (0: server only)').default(2).argParser(integerFlag('--workers', 0, 256)))
    .addOption(concurrencyOption())
    .addOption(batchSizeOption())
    .addOption(functionTimeoutOption())
    .addOption(waitTimeOption())
    .addOption(logLevelOption())
    .action(async (flags) => exit(await localCommand(flags)));

  addTargetOptions(program.command('redrive'))
    .description('move a run\'s dead-lettered job messages back to the dispatched queue')
    .option('--run <id>', 'run to redrive (default: the last one dispatched from here)')
    .option('--all', 'every message in the dead-letter queue, whatever its run')
    .addOption(jsonOption())
    .action(async (flags) => exit(await redriveCommand(flags)));

  addTargetOptions(program.command('work'))
    .description('run local workers against a target until Ctrl-C: any machine becomes a worker')
    .addOption(new Option('--processes <n>', 'worker processes; 0 runs the workers in this process (default: one per core)').argParser(integerFlag('--processes', 0, 256)))
    .addOption(concurrencyOption())
    .addOption(batchSizeOption())
    .addOption(functionTimeoutOption())
    .addOption(waitTimeOption())
    .addOption(logLevelOption())
    .action(async (flags) => exit(await workCommand(flags)));

  addTargetOptions(program.command('status'))
    .description('queue depths (waiting, in flight, dead-lettered, finished) and the event source mapping\'s state')
    .addOption(jsonOption())
    .action(async (flags) => exit(await statusCommand(flags)));

  addTargetOptions(program.command('pause'))
    .description('disable the deployed worker\'s event source mapping: the kill switch for a runaway run')
    .addOption(jsonOption())
    .action(async (flags) => exit(await pauseCommand(flags, false)));

  addTargetOptions(program.command('resume'))
    .description('enable the deployed worker\'s event source mapping again')
    .addOption(jsonOption())
    .action(async (flags) => exit(await pauseCommand(flags, true)));

  return program;
}

/** Set by a command; read once the action's promise settles. */
let exitCode: number = EXIT.ok;
function exit(code: number): void {
  exitCode = code;
}

/** Runs the CLI; resolves to the exit code. Errors become one line on stderr. */
export async function main(argv: readonly string[]): Promise<number> {
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

/** Which exit code a fanout error means: the user must change something (2), or try again (5). */
function exitCodeOfError(error: FanoutError): number {
  return error instanceof ServiceError ? EXIT.service : EXIT.usage;
}
