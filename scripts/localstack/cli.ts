/**
 * `npm run localstack -- start|stop|status|env`: lifecycle.ts from the shell. Exit codes: 0 ok,
 * 1 failure, 2 usage, 3 LocalStack unavailable here (1 instead under REQUIRE_LOCALSTACK=1).
 */
import { LocalStackError, LocalStackUnavailableError, unavailableBanner } from './errors.js';
import { sdkEnv, start, status, stop } from './lifecycle.js';

const EXIT = { ok: 0, failure: 1, usage: 2, unavailable: 3 } as const;

const USAGE = `usage: npm run localstack -- start|stop|status|env

  start   Make LocalStack available; its endpoint URL is the last stdout line. Reuses a healthy
          instance started earlier from this checkout. LOCALSTACK_ENDPOINT set: only waits for
          it; else Docker (localstack/localstack:4.14.0) if an engine answers; else host mode
          (a venv with localstack-core==4.14.0, see scripts/localstack/install.sh).
  stop    Stop exactly what start started. Idempotent.
  status  Print the endpoint and exit 0 if it is up; exit 1 otherwise.
  env     Print export lines for the AWS SDK:  eval "$(npm run -s localstack -- env)"

Settings (environment):
  LOCALSTACK_ENDPOINT       use an already running LocalStack at this URL
  LOCALSTACK_SERVICES       SERVICES to enable (default sqs; anything else installs the larger
                            runtime extra in host mode, e.g. for sts/cloudformation)
  LOCALSTACK_PORT           preferred port (default 4566; another free one if it is taken)
  LOCALSTACK_MODE           auto (default) | host | docker
  LOCALSTACK_PYTHON         Python for host mode (>= 3.12; found on PATH or under ~/.pyenv)
  LOCALSTACK_DIR            state dir (default <repo>/.localstack)
  LOCALSTACK_VENV           host-mode venv (default $LOCALSTACK_DIR/venv); share one between clones
  LOCALSTACK_START_TIMEOUT  seconds to wait for health (default 120)
  LOCALSTACK_STOP_TIMEOUT   grace period before SIGKILL (default 15)
  REQUIRE_LOCALSTACK=1      turn "unavailable" (exit 3) into a failure (exit 1)

Exit codes: 0 ok, 1 failure, 2 usage, 3 LocalStack unavailable here (skip).`;

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'start':
      console.log((await start()).endpoint);
      return EXIT.ok;
    case 'stop':
      await stop();
      return EXIT.ok;
    case 'status':
    case 'env': {
      const endpoint = await status();
      if (!endpoint) {
        process.stderr.write(`localstack: ${process.env.LOCALSTACK_ENDPOINT ? `not healthy: ${process.env.LOCALSTACK_ENDPOINT}` : 'not running'}\n`);
        return EXIT.failure;
      }
      if (command === 'status') console.log(endpoint);
      else for (const [name, value] of Object.entries(sdkEnv(endpoint))) console.log(`export ${name}=${value}`);
      return EXIT.ok;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return command === 'help' || command === '--help' || command === '-h' ? EXIT.ok : EXIT.usage;
  }
}

main(process.argv[2]).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    if (error instanceof LocalStackUnavailableError) {
      process.stderr.write(unavailableBanner(error));
      process.exitCode = EXIT.unavailable;
    } else {
      process.stderr.write(`localstack: ERROR: ${error instanceof LocalStackError ? error.message : (error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = EXIT.failure;
    }
  },
);
