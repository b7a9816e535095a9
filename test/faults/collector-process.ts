/**
 * The collector as users run it, in a child process the suite can `kill -9`:
 * `node --import tsx cli/bin.ts collect --run ID --target URL --json --timeout S`, with
 * FANOUT_HOME pointing at the run store. Its JSON lines are read as they come: `result` lines
 * (the results stored before it started, then those it stores), `malformed` lines (messages it
 * quarantined), the `summary` line that ends a life that was not killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export type CollectorProcessOptions = {
  run: string;
  endpoint: string;
  /** FANOUT_HOME: where the run store is. */
  home: string;
  timeoutSeconds: number;
  /** The child's environment (FANOUT_HOME and FANOUT_TARGET are set on top). */
  env: NodeJS.ProcessEnv;
};

export type CollectorExit = { code: number | null; signal: NodeJS.Signals | null };

export class CollectorProcess {
  readonly child: ChildProcess;
  /** `result` lines this life printed (earlier lives' stored results included). */
  results = 0;
  /** Distinct job ids among those lines: `results` minus this is how many it printed twice. */
  readonly jobsPrinted = new Set<number>();
  /** `malformed` lines: messages this life quarantined. */
  malformed = 0;
  readonly warnings: string[] = [];
  summary: Record<string, unknown> | undefined;
  /** The last few KB of its stderr, for a report. */
  stderr = '';
  readonly exited: Promise<CollectorExit>;

  constructor(options: CollectorProcessOptions) {
    const args = ['--import', 'tsx', 'cli/bin.ts', 'collect', '--run', options.run, '--target', options.endpoint, '--json', '--timeout', String(options.timeoutSeconds)];
    this.child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...options.env, FANOUT_HOME: options.home, FANOUT_TARGET: '', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.#onLine(line));
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4096);
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** `kill -9`; resolves to how the process ended (SIGKILL, unless it had already finished). */
  async kill(): Promise<CollectorExit> {
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }

  #onLine(line: string): void {
    let event: { event?: string; message?: string } & Record<string, unknown>;
    try {
      event = JSON.parse(line) as typeof event;
    } catch {
      return;
    }
    if (event.event === 'result') {
      this.results++;
      this.jobsPrinted.add(event.id as number);
    }
    else if (event.event === 'malformed') this.malformed++;
    else if (event.event === 'warning') this.warnings.push(String(event.message));
    else if (event.event === 'summary') this.summary = event;
  }
}
