/**
 * The fault-injection scenario: one fan-out on the embedded SQS server (real SQS protocol over
 * HTTP, nothing mocked) with every fault at once, then the evidence for `judge`.
 *
 * 1. Plan, from the seed: which jobs throw (task `fail`: a string input throws it,
 *    `{ fail: false, value }` returns value), the fuzz corpus, when to kill which process.
 * 2. Start the embedded server with TEST queue settings (short visibility timeouts, small
 *    maxReceiveCount, so redeliveries and dead-lettering happen within the run) and worker
 *    child processes whose SQS clients carry the send-failure middleware (worker-preload.ts).
 * 3. Dispatch the main run and send the fuzz corpus to the dispatched queue, concurrently.
 * 4. Collect the main run with the real CLI in a child process; collect the fuzz run in this one.
 * 5. Meanwhile: `kill -9` worker processes at seeded points of the workers' progress (the pool
 *    respawns them); re-send some of the job messages dispatch sent (same bodies); `kill -9` the
 *    collector at seeded points of its progress, re-send some already-collected results to the
 *    finished queue, and start it again (it resumes from its results file).
 *    A collector still waiting once no work is left anywhere is waiting for lost jobs: it is
 *    interrupted (SIGINT, as Ctrl-C: it prints its summary and exits 3), so a failing run ends
 *    with its evidence instead of at the collector's timeout.
 * 6. Wait until the dispatched queue is empty (every malformed message dead-lettered), give the
 *    fuzz collector a few seconds more, stop the workers, and read the results files, the
 *    dead-letter queue, what is left on the finished queue and the injection log.
 *
 * What the seed replays: the inputs, the corpus, the kill and restart points, which messages
 * are re-sent. What it cannot: timing (which batch a kill interrupts, which SendMessageBatch
 * call a fault hits: each worker process seeds its faults with seed XOR pid).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { dispatch } from '../../cli/master/dispatch/dispatch.js';
import { startLocalRuntime } from '../../cli/local/local-runtime.js';
import { runManifestPath, runResultsPath } from '../../cli/master/paths.js';
import { QUEUE_URL_ENV } from '../../cli/endpoint/queues.js';
import { WorkerProcesses } from '../../cli/workers/worker-processes.js';
import { BatchSender } from '../../functions/wire/batch-sender.js';
import { QUEUES } from '../../functions/wire/constants.js';
import { packJobMessages, runAttributes, type Json } from '../../functions/wire/contract.js';
import { errorInfo } from '../../functions/wire/errors.js';
import { judge, type FaultEvidence, type FaultVerdict } from './accounting.js';
import { CollectorProcess } from './collector-process.js';
import { generateFuzzCorpus } from './fuzz-corpus.js';
import { collectFuzz, depth, exists, FUZZ_CASE_ATTRIBUTE, readLines, receiveAll, resendResults, resultIdsOf, sendFuzz, until } from './io.js';
import { chooseDistinct, mulberry32 } from './rng.js';
import { parseSendFaultLog } from './send-faults.js';
import { SEND_FAULTS_ENV, type SendFaultsEnv } from './worker-preload.js';

export type FaultScenarioOptions = {
  seed: number;
  /** Jobs in the main run. @default 10000 */
  jobs?: number;
  /** Fuzzed message bodies. @default 1000 */
  fuzz?: number;
  /** Worker processes killed with SIGKILL. @default 5 */
  kills?: number;
  /** Times the collector is killed with SIGKILL and started again. @default 2 */
  collectorRestarts?: number;
  /** Share of jobs planned to throw. @default 0.1 */
  failRate?: number;
  /** Share of the workers' SendMessageBatch calls (results) that get an injected failure. @default 0.05 */
  sendFaultRate?: number;
  /** Job messages re-sent (forced duplicate deliveries). @default - 1% of the job messages, at least 1 */
  jobMessageResends?: number;
  /** Already-collected results re-sent to the finished queue before each collector restart. @default - 1% of the jobs, at least 1 */
  resultResends?: number;
  /** Jobs per job message (dispatch's pack). @default 2 */
  jobsPerMessage?: number;
  /** Worker child processes. @default 2 */
  processes?: number;
  /** TEST setting: the dispatched queue's visibility timeout, in seconds. @default 2 (deployed: 360) */
  dispatchedVisibilityTimeoutSeconds?: number;
  /** TEST setting: the finished queue's visibility timeout, in seconds. @default 3 (deployed: 30) */
  finishedVisibilityTimeoutSeconds?: number;
  /** TEST setting: deliveries before the dead-letter queue. @default 4 (deployed: 5) */
  maxReceiveCount?: number;
  /** Each collector's --timeout, in seconds. @default 300 */
  collectTimeoutSeconds?: number;
  /** Longest wait for the dispatched queue to empty at the end, in seconds. @default 120 */
  settleTimeoutSeconds?: number;
  /** Progress lines. @default - none */
  log?: (message: string) => void;
  /** Keep the temporary FANOUT_HOME (manifests, results files, injection log): always (true) or never (false). @default - only when a check fails */
  keepHome?: boolean;
};

export type FaultScenarioResult = {
  seed: number;
  verdict: FaultVerdict;
  evidence: FaultEvidence;
  /** Facts for the report that the verdict does not judge. */
  details: Record<string, unknown>;
  seconds: number;
  /** The run's FANOUT_HOME, if kept. */
  home: string | undefined;
};

export async function runFaultScenario(options: FaultScenarioOptions): Promise<FaultScenarioResult> {
  const o = {
    jobs: 10_000,
    fuzz: 1000,
    kills: 5,
    collectorRestarts: 2,
    failRate: 0.1,
    sendFaultRate: 0.05,
    jobsPerMessage: 2,
    processes: 2,
    dispatchedVisibilityTimeoutSeconds: 2,
    finishedVisibilityTimeoutSeconds: 3,
    maxReceiveCount: 4,
    collectTimeoutSeconds: 300,
    settleTimeoutSeconds: 120,
    ...options,
  };
  const log = options.log ?? (() => {});
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)}s`;
  const say = (message: string) => log(`[${elapsed()}] ${message}`);

  // ---- 1. the plan ----
  const rng = mulberry32(o.seed);
  const planRng = rng.fork();
  const fuzzRng = rng.fork();
  const chaosRng = rng.fork();
  const tag = o.seed.toString(36);
  const run = `faults-${tag}`;
  const inputs: Json[] = Array.from({ length: o.jobs }, (_, id) =>
    planRng.chance(o.failRate) ? `planned failure of job ${id}` : { fail: false, value: planRng.int(-1_000_000, 1_000_000) },
  );
  const corpus = generateFuzzCorpus(fuzzRng, { count: o.fuzz, run: `${run}-fuzz`, otherRun: run });
  const jobBodies = Array.from(
    packJobMessages(run, 'fail', inputs.map((input, id) => ({ id, input })), { maxBytes: QUEUES.messageBytes - 1024, maxEntries: o.jobsPerMessage }),
    (p) => p.body,
  );
  const fractions = (count: number, low: number, high: number) => Array.from({ length: count }, () => low + chaosRng.next() * (high - low)).sort((a, b) => a - b);
  const chaos = {
    workerKillAt: fractions(o.kills, 0.05, 0.9),
    collectorKillAt: fractions(o.collectorRestarts, 0.05, 0.6),
    jobResendAt: fractions(1, 0.2, 0.7)[0]!,
    jobResends: chooseDistinct(chaosRng, jobBodies.length, options.jobMessageResends ?? Math.max(1, Math.round(jobBodies.length / 100))),
    resultResends: options.resultResends ?? Math.max(1, Math.round(o.jobs / 100)),
  };
  const expectedFailures = inputs.filter((i) => typeof i === 'string').length;
  say(`seed ${o.seed}: ${o.jobs} jobs in ${jobBodies.length} messages (${expectedFailures} planned to throw), ${corpus.cases.length} fuzz messages (${corpus.jobs} fuzz jobs), ${o.kills} worker kills, ${o.collectorRestarts} collector restarts`);

  // ---- 2. server and workers ----
  const home = await mkdtemp(join(tmpdir(), 'fanout-faults-'));
  const sendFaultLog = join(home, 'send-faults.jsonl');
  const runtime = await startLocalRuntime({
    workers: false,
    queues: {
      dispatchedVisibilityTimeoutSeconds: o.dispatchedVisibilityTimeoutSeconds,
      finishedVisibilityTimeoutSeconds: o.finishedVisibilityTimeoutSeconds,
      maxReceiveCount: o.maxReceiveCount,
    },
  });
  const { target } = runtime;
  // The collector's environment: this runtime's queues by URL, no stack, no fault preload.
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    // The server's key, as the SDK's credential chain reads it: the collector is given the endpoint URL.
    AWS_ACCESS_KEY_ID: runtime.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: runtime.credentials.secretAccessKey,
    FANOUT_STACK: '',
    [QUEUE_URL_ENV.dispatched]: target.queues.dispatched.url,
    [QUEUE_URL_ENV.finished]: target.queues.finished.url,
    [QUEUE_URL_ENV.deadLetter]: target.queues.deadLetter.url,
  };
  const crashes: string[] = [];
  const onRejection = (reason: unknown) => crashes.push(`unhandled rejection in the suite: ${errorInfo(reason).message}`);
  process.on('unhandledRejection', onRejection);
  let ticker: NodeJS.Timeout | undefined;
  let pool: WorkerProcesses | undefined;
  const collectors: CollectorProcess[] = [];
  let keep = options.keepHome ?? false;
  /** Ends the chaos loops if the scenario fails half-way. */
  const stop = new AbortController();

  try {
    // The workers' own SQS clients get the fault middleware through a preload.
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const preload = new URL('./worker-preload.ts', import.meta.url).href;
    const workerEnv = {
      NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import ${tsx}`, `--import ${preload}`].filter(Boolean).join(' '),
      [SEND_FAULTS_ENV]: JSON.stringify({ seed: o.seed, rate: o.sendFaultRate, logPath: sendFaultLog } satisfies SendFaultsEnv),
    };

    const ready = new Set<number>();
    const killed = new Map<number, (signal: NodeJS.Signals | null) => void>();
    let handled = 0;
    pool = new WorkerProcesses({ target, processes: o.processes, waitTimeSeconds: 1, logLevel: 'SILENT', env: workerEnv });
    pool.on('ready', ({ pid }) => ready.add(pid));
    pool.on('invoked', ({ records }) => (handled += records));
    // SQS took a message back (a heartbeat came after its visibility lapsed): a race, not a crash.
    let lost = 0;
    pool.on('lost', () => lost++);
    pool.on('died', ({ pid, code, signal }) => {
      ready.delete(pid);
      const confirm = killed.get(pid);
      if (confirm) confirm(signal);
      else crashes.push(`worker process ${pid} died on its own (${signal ?? `exit code ${code}`})`);
    });
    pool.on('error', ({ pid, message }) => crashes.push(`worker process ${pid}: ${message}`));
    await pool.start();
    say(`worker processes ${pool.pids.join(', ')} ready`);

    // ---- 3. dispatch and fuzz; 5. the chaos starts with them ----
    let progress = 0;
    let mainDone = false;
    ticker = setInterval(() => say(`progress: ${handled} records handled, ${progress}/${o.jobs} results collected`), 2000);
    const dispatching = dispatch({ target, task: 'fail', inputs, run, jobsPerMessage: o.jobsPerMessage, home });
    // Awaited below; marked handled now so that its failure, while we wait on something else, is not counted as a crash.
    dispatching.catch(() => {});
    const fuzzing = sendFuzz(target, corpus, say);
    const chaosErrors: string[] = [];

    const killWorkers = (async () => {
      let confirmed = 0;
      let midRun = 0;
      for (const [k, at] of chaos.workerKillAt.entries()) {
        await until(() => handled >= at * jobBodies.length || mainDone, stop.signal);
        await until(() => ready.size > 0, stop.signal, 30_000);
        await delay(chaosRng.int(0, 100));
        const pid = chaosRng.pick([...ready].sort((a, b) => a - b));
        const died = new Promise<NodeJS.Signals | null>((resolve) => killed.set(pid, resolve));
        if (!mainDone) midRun++;
        process.kill(pid, 'SIGKILL');
        const signal = await died;
        if (signal === 'SIGKILL') confirmed++;
        say(`worker kill ${k + 1}/${o.kills}: pid ${pid} (${signal}) after ${handled} records`);
      }
      return { confirmed, midRun };
    })().catch((error: unknown) => {
      chaosErrors.push(`worker kills: ${errorInfo(error).message}`);
      return { confirmed: 0, midRun: 0 };
    });

    const resendJobs = (async () => {
      await until(() => handled >= chaos.jobResendAt * jobBodies.length || mainDone, stop.signal);
      const sender = new BatchSender(target.sqs, target.queues.dispatched.url);
      const attributes = runAttributes(run);
      await Promise.all(chaos.jobResends.map((i) => sender.send(jobBodies[i]!, attributes)));
      const jobs = chaos.jobResends.reduce((n, i) => n + (JSON.parse(jobBodies[i]!) as { jobs: unknown[] }).jobs.length, 0);
      say(`re-sent ${chaos.jobResends.length} job messages (${jobs} jobs)`);
      return { messages: chaos.jobResends.length, jobs };
    })().catch((error: unknown) => {
      chaosErrors.push(`job message re-sends: ${errorInfo(error).message}`);
      return { messages: 0, jobs: 0 };
    });

    // ---- 4. collectors: the main run's in a child process (killed and restarted), the fuzz run's here ----
    // dispatch writes the manifest before its first send; if it fails first, its error ends the scenario.
    await Promise.race([until(() => exists(runManifestPath(run, home)), stop.signal, 30_000), dispatching]);
    const startCollector = () => {
      const life = new CollectorProcess({ run, endpoint: runtime.endpoint, home, timeoutSeconds: o.collectTimeoutSeconds, env: childEnv, onResult: () => progress++ });
      collectors.push(life);
      return life;
    };
    let life = startCollector();
    const fuzzWarned: number[] = [];
    const fuzzStop = new AbortController();
    const fuzzCollecting = collectFuzz(target, corpus, join(home, 'fuzz.results.jsonl'), o.collectTimeoutSeconds, fuzzWarned, fuzzStop.signal);

    let restarts = 0;
    const resent = { messages: 0, results: 0 };
    const collecting = (async () => {
      for (const at of chaos.collectorKillAt) {
        // Killed mid-collection: past its point of the run, and having written something itself.
        await until(() => (progress >= at * o.jobs && life.results > 0) || !life.running, stop.signal);
        if (!life.running) break;
        const exit = await life.kill();
        if (exit.signal !== 'SIGKILL') break;
        say(`collector killed (kill -9) at ${progress}/${o.jobs} results`);
        const again = await resendResults(target, run, runResultsPath(run, home), chaosRng, chaos.resultResends);
        resent.messages += again.messages;
        resent.results += again.results;
        await delay(chaosRng.int(100, 800));
        life = startCollector();
        restarts++;
        say(`collector restarted (${restarts}/${o.collectorRestarts}) after re-sending ${again.results} collected results`);
      }
      return life.exited;
    })();
    for (const pending of [collecting, fuzzCollecting]) pending.catch(() => {});

    const dispatched = await dispatching;
    const fuzzSent = await fuzzing;
    say(`dispatched ${dispatched.jobs} jobs in ${dispatched.messages} messages; sent ${fuzzSent} fuzz messages`);

    // A collector still waiting when no work is left anywhere waits for lost jobs: interrupt it (as
    // Ctrl-C would: it writes its summary and exits 3), so a failing run ends now, not at its timeout.
    const stallMs = (o.finishedVisibilityTimeoutSeconds + 10) * 1000;
    void (async () => {
      for (let seen = -1, since = Date.now(); !mainDone && !stop.signal.aborted; await delay(500)) {
        if (progress !== seen || !life.running) [seen, since] = [progress, Date.now()];
        else if (Date.now() - since > stallMs && (await depth(target.sqs, target.queues.dispatched.url)) === 0) {
          say(`main collector stalled at ${progress}/${o.jobs} results with no work left: interrupting it`);
          life.child.kill('SIGINT');
          return;
        }
      }
    })().catch(() => {});

    const finalExit = await collecting;
    mainDone = true;
    clearInterval(ticker);
    const collectorCrashes: string[] = [];
    for (const c of collectors) {
      const exit = await c.exited;
      if (exit.signal === null && exit.code !== 0 && exit.code !== 1 && exit.code !== 3) collectorCrashes.push(`collector exited with code ${exit.code}: ${c.stderr.trim().split('\n').at(-1) ?? ''}`);
    }
    say(`main collector finished (${finalExit.signal ?? `exit code ${finalExit.code}`}): ${JSON.stringify(life.summary ?? {})}`);
    const kills = await killWorkers;
    const jobResent = await resendJobs;

    // ---- 6. settle and read the evidence ----
    say('waiting for the dispatched queue to empty (malformed messages reach the dead-letter queue)');
    const settled = await until(async () => (await depth(target.sqs, target.queues.dispatched.url)) === 0, stop.signal, o.settleTimeoutSeconds * 1000, 250).then(
      () => true,
      () => false,
    );
    // Every fuzz result there will ever be has been sent: give the last ones a moment to be collected.
    const fuzzGrace = delay((o.finishedVisibilityTimeoutSeconds + 5) * 1000, undefined, { ref: false }).then(() => fuzzStop.abort());
    const fuzzReport = await Promise.race([fuzzCollecting, fuzzGrace.then(() => fuzzCollecting)]);
    say(`fuzz collector finished: ${fuzzReport ? `${fuzzReport.done}/${fuzzReport.jobs}, ${fuzzReport.duplicates} duplicates` : 'no fuzz jobs'}`);
    await pool.stop();
    const leftoverJobMessages = await depth(target.sqs, target.queues.dispatched.url);
    const deadLetters = await receiveAll(target.sqs, target.queues.deadLetter.url);
    const finishedLeft = await receiveAll(target.sqs, target.queues.finished.url);
    const deadLetteredCases = deadLetters.flatMap((m) => {
      const value = m.MessageAttributes?.[FUZZ_CASE_ATTRIBUTE]?.StringValue;
      return value === undefined ? [] : [Number(value)];
    });
    const leftoverResults = finishedLeft.flatMap((m) => resultIdsOf(m.Body ?? ''));
    const evidence: FaultEvidence = {
      main: { run, inputs, resultLines: await readLines(runResultsPath(run, home)), warnedOutOfRange: collectors.flatMap((c) => c.outOfRange) },
      fuzz: { corpus, sent: fuzzSent, resultLines: await readLines(join(home, 'fuzz.results.jsonl')), warnedOutOfRange: fuzzWarned },
      deadLetteredCases,
      deadLetteredOther: deadLetters.length - deadLetteredCases.length,
      leftoverResults,
      leftoverJobMessages,
      sendFaults: parseSendFaultLog(await readFile(sendFaultLog, 'utf8').catch(() => '')),
      duplicates: { jobMessagesResent: jobResent.messages, jobsResent: jobResent.jobs, resultMessagesResent: resent.messages, resultsResent: resent.results },
      workerKills: { requested: o.kills, confirmed: kills.confirmed, midRun: kills.midRun },
      collector: { requestedRestarts: o.collectorRestarts, restarts, finalExitCode: finalExit.code, finalSignal: finalExit.signal, crashes: collectorCrashes },
      crashes,
    };
    const verdict = judge(evidence);
    if (!settled) verdict.problems.push(`the dispatched queue did not empty within ${o.settleTimeoutSeconds} s`);
    verdict.problems.push(...chaosErrors);
    verdict.ok = verdict.problems.length === 0;
    keep = options.keepHome ?? !verdict.ok;
    const details = {
      messages: jobBodies.length,
      jobsPerMessage: o.jobsPerMessage,
      testQueueSettings: { dispatchedVisibilityTimeoutSeconds: o.dispatchedVisibilityTimeoutSeconds, finishedVisibilityTimeoutSeconds: o.finishedVisibilityTimeoutSeconds, maxReceiveCount: o.maxReceiveCount },
      recordsHandled: handled,
      messagesTakenBack: lost,
      workerKillsMidRun: kills.midRun,
      collectorLives: collectors.length,
      finalCollectorSummary: life.summary,
      fuzzCollector: fuzzReport && { done: fuzzReport.done, duplicates: fuzzReport.duplicates },
      leftoverResults: leftoverResults.length,
      deadLetterMessages: deadLetters.length,
    };
    return { seed: o.seed, verdict, evidence, details, seconds: (performance.now() - started) / 1000, home: keep ? home : undefined };
  } catch (error) {
    keep = options.keepHome ?? true;
    throw error;
  } finally {
    stop.abort();
    clearInterval(ticker);
    process.off('unhandledRejection', onRejection);
    await Promise.all(collectors.map((c) => c.kill()));
    await pool?.stop({ force: true });
    await runtime.stop();
    if (!keep) await rm(home, { recursive: true, force: true });
    else say(`kept ${home}`);
  }
}
