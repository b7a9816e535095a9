/** The errors of the LocalStack lifecycle. Messages are one line: the problem, then the fix. */

/** LocalStack could not be started, stopped or reached. */
export class LocalStackError extends Error {
  override name = 'LocalStackError';
}

/**
 * Nothing here can run LocalStack: no Docker engine, no Python ≥ 3.12. Callers skip the LocalStack
 * tier on it (the CLI exits 3); under REQUIRE_LOCALSTACK=1 `start` throws a LocalStackError instead.
 */
export class LocalStackUnavailableError extends LocalStackError {
  override name = 'LocalStackUnavailableError';
  constructor(readonly reason: string) {
    super(`LocalStack is not available here: ${reason}; it needs a Docker engine, Python >= 3.12 with the venv module (Debian: apt-get install python3-venv), or LOCALSTACK_ENDPOINT=<url>`);
  }
}

/** The loud multi-line notice for "unavailable", with the consequence (e.g. what is skipped) last. */
export function unavailableBanner(error: LocalStackUnavailableError, consequence?: string): string {
  const lines = [
    'LocalStack is NOT available on this machine:',
    `  ${error.reason}`,
    'Needs a Docker engine, or Python >= 3.12 with the venv module',
    '(Debian: apt-get install python3-venv), or LOCALSTACK_ENDPOINT=<url>.',
    ...(consequence ? [consequence] : []),
  ];
  const bar = '#'.repeat(78);
  return `${bar}\n${lines.map((line) => `# ${line}`).join('\n')}\n${bar}\n`;
}
