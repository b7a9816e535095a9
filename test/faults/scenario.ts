/**
 * The fault-injection scenario: one fan-out on the embedded SQS server (real SQS protocol over
 * HTTP, nothing mocked) with every fault at once, then the evidence for `judge`.
 *
 * 1. Plan, from the seed: which jobs throw (task `fail`: a string input throws it,
 *    `{ fail: false, value }` returns value), the fuzz corpus, when to kill which process.
 * 2. Start the embedded server with TEST queue settings (short visibility timeouts, small
 *    maxReceiveCount, so redeliveries and dead-lettering happen within the run) and worker
 *    child processes whose SQS clients carry the send-failure middleware (worker-preload.ts).
 * 3. Dispatch the main run with the real CLI (`fanout dispatch --inputs FILE`) in a child process,
 *    killed with SIGKILL at seeded points and resumed (`fanout dispatch --resume RUN`) until a life
 *    ends by itself. Once the run is recorded, record the fuzz run in the store as dispatch would
 *    and send the fuzz corpus to the dispatched queue; its valid bodies name their run's queue.
 * 4. Once dispatched, collect the main run with `collectors` CLI collectors at once, each a child
 *    process; collect the fuzz run in this one.
 * 5. Meanwhile: `kill -9` worker processes at seeded points of the workers' progress (the pool
 *    respawns them); re-send some of the job messages (same bodies); `kill -9` the first
 *    collector at seeded points of the run's progress (read from the store), re-send some stored
 *    results to the run's queue, and start it again; send garbage bodies to the run's queue (to be
 *    quarantined) and, once the real ones are stored, forged results with another outcome (to be
 *    reported as conflicts). A collector still waiting once no work is left anywhere is waiting
 *    for lost jobs: every one is interrupted (SIGINT, as Ctrl-C: it prints its summary and exits
 *    3), so a failing run ends with its evidence instead of at the collectors' timeout.
 * 6. The side runs (side-runs.ts): a collector over a full store, and conflicts on a quiet run.
 * 7. Wait until the dispatched queue is empty (every malformed message dead-lettered), give the
 *    fuzz collector a few seconds more, stop the workers, and read the run store, the dead-letter
 *    queue, what is left on the result queues and the injection logs.
 *
 * What the seed replays: the inputs, the corpus (but for the run ids in it), the kill and
 * restart points, which messages are re-sent, forged and sent as garbage. What it cannot: timing
 * (which batch a kill interrupts, which SendMessageBatch call a fault hits: each worker process
 * seeds its faults with seed XOR pid) and the main run's id (`fanout dispatch` makes it).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { Message } from '@aws-sdk/client-sqs';
import { startLocalRuntime } from '../../cli/local/local-runtime.js';
import { QUEUE_URL_ENV } from '../../cli/endpoint/queues.js';
import { RunStore, storePath } from '../../cli/store/run-store.js';
import type { Outcome } from '../../cli/store/types.js';
import { WorkerProcesses } from '../../cli/workers/worker-processes.js';
import { BatchSender } from '../../functions/wire/batch-sender.js';
import { encodeJobMessage, runAttributes, type Json, type Result } from '../../functions/wire/contract.js';
import { errorInfo, isMissingQueue } from '../../functions/wire/errors.js';
import { judge, type Exit, type FaultEvidence, type FaultVerdict } from './accounting.js';
import { resultIdsIn } from './judge-classes.js';
import { CollectorProcess } from './collector-process.js';
import { dispatchKillPoints, dispatchWithKills, type DispatchWithKillsReport } from './dispatch-process.js';
import { generateFuzzCorpus } from './fuzz-corpus.js';
import { collectFuzz, createFuzzRun, depth, finishFuzzRun, FUZZ_CASE_ATTRIBUTE, receiveAll, resendResults, sendFuzz, sendResults, until } from './io.js';
import { chooseDistinct, mulberry32 } from './rng.js';
import { parseSendFaultLog, type QueueGoneRecord } from './send-faults.js';
import { conflictsRun, storageFullRun, type ConflictsEvidence, type StorageFullEvidence } from './side-runs.js';
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
  /** Already-stored results re-sent to the run's result queue before each collector restart. @default - 1% of the jobs, at least 1 */
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
  /** Collector processes of the main run started together (the first is the one killed and restarted). @default 3 */
  collectors?: number;
  /** Lives of `fanout dispatch` (the main run's) killed with SIGKILL, each followed by `--resume`. @default 3 */
  dispatchKills?: number;
  /** Results forged with another outcome and sent to the main run's queue once the real ones are stored. @default - 0.1% of the jobs, at least 3 */
  forged?: number;
  /** Garbage bodies sent straight to the main run's result queue (to be quarantined). @default - 1% of the fuzz count, at least 3 */
  garbage?: number;
  /** The storage_full and conflicts side runs (side-runs.ts). @default true */
  sideRuns?: boolean;
  /** Progress lines. @default - none */
  log?: (message: string) => void;
  /** Keep the temporary FANOUT_HOME (run stores, inputs file, injection logs): always (true) or never (false). @default - only when a check fails */
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
    collectors: 3,
    dispatchKills: 3,
    sideRuns: true,
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
  const storeRng = rng.fork();
  const sideRng = rng.fork();
  const tag = o.seed.toString(36);
  const fuzzRun = `faults-${tag}-fuzz`;
  const inputs: Json[] = Array.from({ length: o.jobs }, (_, id) =>
    planRng.chance(o.failRate) ? `planned failure of job ${id}` : { fail: false, value: planRng.int(-1_000_000, 1_000_000) },
  );
  const messages = Math.ceil(o.jobs / o.jobsPerMessage);
  const fractions = (count: number, low: number, high: number) => Array.from({ length: count }, () => low + chaosRng.next() * (high - low)).sort((a, b) => a - b);
  const chaos = {
    workerKillAt: fractions(o.kills, 0.05, 0.9),
    collectorKillAt: fractions(o.collectorRestarts, 0.05, 0.6),
    jobResendAt: fractions(1, 0.2, 0.7)[0]!,
    jobResends: chooseDistinct(chaosRng, messages, options.jobMessageResends ?? Math.max(1, Math.round(messages / 100))),
    resultResends: options.resultResends ?? Math.max(1, Math.round(o.jobs / 100)),
  };
  const plan = {
    dispatchKills: dispatchKillPoints(storeRng, o.dispatchKills, o.jobs, 0.8),
    forgeAt: 0.2 + storeRng.next() * 0.3,
    forged: Math.min(o.jobs, options.forged ?? Math.max(3, Math.round(o.jobs / 1000))),
    garbage: options.garbage ?? Math.max(3, Math.round(o.fuzz / 100)),
  };
  const expectedFailures = inputs.filter((i) => typeof i === 'string').length;
  say(
    `seed ${o.seed}: ${o.jobs} jobs in ${messages} messages (${expectedFailures} planned to throw), ${o.fuzz} fuzz messages, ${o.kills} worker kills, ` +
      `${o.dispatchKills} dispatch kills, ${o.collectors} collectors at once, ${o.collectorRestarts} collector restarts, ${plan.forged} forged results`,
  );

  // ---- 2. server and workers ----
  // Outside the test run's scratch root (removed at its end): a failing run's evidence must outlive it.
  const home = await mkdtemp(join(process.env.FANOUT_TEST_OUTER_TMP || tmpdir(), 'fanout-faults-'));
  const sendFaultLog = join(home, 'send-faults.jsonl');
  const goneLog = join(home, 'queue-gone.jsonl');
  const runtime = await startLocalRuntime({
    workers: false,
    queues: {
      dispatchedVisibilityTimeoutSeconds: o.dispatchedVisibilityTimeoutSeconds,
      finishedVisibilityTimeoutSeconds: o.finishedVisibilityTimeoutSeconds,
      maxReceiveCount: o.maxReceiveCount,
    },
  });
  const { target } = runtime;
  // The CLI's environment: this runtime's queues by URL, no stack, no fault preload.
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    // The server's key, as the SDK's credential chain reads it: the collector is given the endpoint URL.
    AWS_ACCESS_KEY_ID: runtime.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: runtime.credentials.secretAccessKey,
    FANOUT_STACK: '',
    FANOUT_TARGET: '',
    [QUEUE_URL_ENV.dispatched]: target.queues.dispatched.url,
    [QUEUE_URL_ENV.finished]: target.queues.finished.url,
    [QUEUE_URL_ENV.deadLetter]: target.queues.deadLetter.url,
  };
  const store = RunStore.open({ path: storePath(home) });
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
      [SEND_FAULTS_ENV]: JSON.stringify({ seed: o.seed, rate: o.sendFaultRate, logPath: sendFaultLog, goneLogPath: goneLog } satisfies SendFaultsEnv),
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
    // A heartbeat or delete whose receipt handle went stale lost its lease: the worker's event loop
    // was held past the TEST visibility timeout (2 s) on a busy machine, and the message went to
    // another worker. A timing race the pipeline absorbs (redelivery, one result kept), not a crash.
    const leasesLost: string[] = [];
    pool.on('error', ({ pid, message }) => (/ReceiptHandleIsInvalid/.test(message) ? leasesLost : crashes).push(`worker process ${pid}: ${message}`));
    await pool.start();
    say(`worker processes ${pool.pids.join(', ')} ready`);

    // ---- 3. dispatch (killed and resumed) and fuzz; 5. the chaos starts with them ----
    let run = '';
    let progress = 0;
    let mainDone = false;
    const readProgress = () => (run ? (progress = store.getRun(run)?.counts.done ?? progress) : 0);
    ticker = setInterval(() => say(`progress: ${handled} records handled, ${readProgress()}/${o.jobs} results stored`), 2000);
    const inputsFile = join(home, 'main-inputs.jsonl');
    await writeFile(inputsFile, `${inputs.map((input) => JSON.stringify(input)).join('\n')}\n`);
    let announced: (run: string) => void = () => {};
    const recorded = new Promise<string>((resolve) => (announced = resolve));
    const dispatching = dispatchWithKills({
      args: ['--task', 'fail', '--inputs', inputsFile, '--pack', String(o.jobsPerMessage), '--target', runtime.endpoint],
      resumeArgs: ['--target', runtime.endpoint],
      env: { ...childEnv, FANOUT_HOME: home },
      store,
      points: plan.dispatchKills,
      log: say,
      onRun: (id) => announced(id),
      signal: stop.signal,
    });
    // Awaited below; marked handled now so that its failure, while we wait on something else, is not counted as a crash.
    dispatching.catch(() => {});
    run = await Promise.race([recorded, dispatching.then((d) => d.run ?? Promise.reject(new Error(`dispatch ended (${d.final?.code ?? d.final?.signal}) without recording a run: ${d.finalStderr.trim()}`)))]);
    const replyOf = (r: string) => `${target.queues.finished.url}-${r}`;
    say(`main run ${run} recorded`);

    const corpus = generateFuzzCorpus(fuzzRng, { count: o.fuzz, run: fuzzRun, otherRun: run, replyOf });
    const fuzzStop = new AbortController();
    let fuzzCollecting: Promise<Awaited<ReturnType<typeof collectFuzz>>> = Promise.resolve(undefined);
    const fuzzing = (async () => {
      if (corpus.cases.length === 0) return 0;
      await createFuzzRun(target, store, corpus);
      fuzzCollecting = collectFuzz(target, store, corpus, o.collectTimeoutSeconds, fuzzStop.signal);
      fuzzCollecting.catch(() => {});
      const sent = await sendFuzz(target, corpus, say);
      finishFuzzRun(store, corpus, sent);
      return sent;
    })();
    fuzzing.catch(() => {});
    const chaosErrors: string[] = [];

    const killWorkers = (async () => {
      let confirmed = 0;
      let midRun = 0;
      for (const [k, at] of chaos.workerKillAt.entries()) {
        await until(() => handled >= at * messages || mainDone, stop.signal);
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

    const dispatched: DispatchWithKillsReport = await dispatching;
    const record = store.requireRun(run);
    say(`dispatch ended (${dispatched.final ? (dispatched.final.code ?? dispatched.final.signal) : 'by a killed life'}) after ${dispatched.confirmed} kills: ${record.jobsSent}/${o.jobs} jobs in ${record.messagesSent} messages`);
    const resultsQueue = record.queues.results ?? replyOf(run);

    // Job messages re-sent as dispatch packed them (same bodies), once the workers are that far.
    const resendJobs = (async () => {
      await until(() => handled >= chaos.jobResendAt * messages || mainDone, stop.signal);
      const sender = new BatchSender(target.sqs, target.queues.dispatched.url);
      const attributes = runAttributes(run);
      const bodies = chaos.jobResends.map((m) => {
        const ids = Array.from({ length: o.jobsPerMessage }, (_, k) => m * o.jobsPerMessage + k).filter((id) => id < o.jobs);
        return { body: encodeJobMessage(run, 'fail', ids.map((id) => ({ id, input: inputs[id]! })), resultsQueue), jobs: ids.length };
      });
      await Promise.all(bodies.map(({ body }) => sender.send(body, attributes)));
      const jobs = bodies.reduce((n, b) => n + b.jobs, 0);
      say(`re-sent ${bodies.length} job messages (${jobs} jobs)`);
      return { messages: bodies.length, jobs };
    })().catch((error: unknown) => {
      chaosErrors.push(`job message re-sends: ${errorInfo(error).message}`);
      return { messages: 0, jobs: 0 };
    });

    // ---- 4. the main run's collectors, all at once; the first is killed and restarted ----
    const startCollector = () => {
      const life = new CollectorProcess({ run, endpoint: runtime.endpoint, home, timeoutSeconds: o.collectTimeoutSeconds, env: childEnv });
      collectors.push(life);
      return life;
    };
    const killedLives = new Set<CollectorProcess>();
    let life = startCollector();
    const others = Array.from({ length: o.collectors - 1 }, startCollector);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, [life, ...others].filter((c) => c.running).length)), 100);

    // Garbage straight to the run's queue: the collectors must quarantine each.
    const garbageBodies = [...new Set(corpus.cases.filter((c) => c.expect === 'dead-letter' && c.body.length < 10_000).map((c) => c.body))].slice(0, plan.garbage);
    const sendingGarbage = (async () => {
      const sender = new BatchSender(target.sqs, resultsQueue);
      await Promise.all(garbageBodies.map((body) => sender.send(body, runAttributes(run))));
      say(`sent ${garbageBodies.length} garbage bodies to run ${run}'s result queue`);
      return garbageBodies;
    })().catch((error: unknown) => {
      chaosErrors.push(`garbage sends: ${errorInfo(error).message}`);
      return [] as string[];
    });

    // Forged results, once the real ones are stored: each must become a conflict.
    const forging = (async () => {
      await until(() => readProgress() >= plan.forgeAt * o.jobs || mainDone, stop.signal, Infinity, 100);
      const stored = [...store.results(run)];
      const forged = chooseDistinct(storeRng, stored.length, Math.min(plan.forged, stored.length)).map((i) => {
        const real = stored[i]!;
        const outcome: Outcome = real.ok ? { ok: false, error: { name: 'Error', message: `forged failure of job ${real.id}` } } : { ok: true, output: `forged success of job ${real.id}` };
        return { job: real.id, outcome };
      });
      const results = forged.map(({ job, outcome }) => ({ id: job, ...outcome, started: Date.now(), ms: 1 }) as Result);
      await sendResults(target, resultsQueue, run, results, storeRng, { worker: 'faults-forger', cold: false, attempt: 1 });
      say(`forged ${forged.length} results with another outcome at ${progress}/${o.jobs}`);
      return forged;
    })().catch((error: unknown) => {
      chaosErrors.push(`forged results: ${errorInfo(error).message}`);
      return [] as Array<{ job: number; outcome: Outcome }>;
    });

    let restarts = 0;
    const resent = { messages: 0, results: 0 };
    const collecting = (async () => {
      for (const at of chaos.collectorKillAt) {
        await until(() => readProgress() >= at * o.jobs || !life.running, stop.signal);
        if (!life.running) break;
        const exit = await life.kill();
        if (exit.signal !== 'SIGKILL') break;
        killedLives.add(life);
        say(`collector killed (kill -9) at ${progress}/${o.jobs} results`);
        const again = await resendResults(target, store, run, chaosRng, chaos.resultResends).catch((error: unknown) => {
          if (isMissingQueue(error)) return { messages: 0, results: 0 };
          throw error;
        });
        resent.messages += again.messages;
        resent.results += again.results;
        await delay(chaosRng.int(100, 800));
        life = startCollector();
        restarts++;
        say(`collector restarted (${restarts}/${o.collectorRestarts}) after re-sending ${again.results} stored results`);
      }
      const exits = await Promise.all([life, ...others].map((c) => c.exited));
      return exits[0]!;
    })();
    collecting.catch(() => {});

    const fuzzSent = await fuzzing;
    say(`sent ${fuzzSent} fuzz messages`);

    // Collectors still waiting when no work is left anywhere (no job message, no result waiting for
    // them) wait for lost jobs: interrupt them (as Ctrl-C would: each writes its summary and exits
    // 3), so a failing run ends now, not at the timeout. Results still on the run's queue mean slow
    // collectors (a busy machine), not a stall.
    const stallMs = (o.finishedVisibilityTimeoutSeconds + 10) * 1000;
    const workLeft = async () =>
      (await depth(target.sqs, target.queues.dispatched.url)) + (await depth(target.sqs, resultsQueue).catch((error: unknown) => (isMissingQueue(error) ? 0 : 1)));
    void (async () => {
      for (let seen = -1, since = Date.now(); !mainDone && !stop.signal.aborted; await delay(500)) {
        if (readProgress() !== seen) [seen, since] = [progress, Date.now()];
        else if (Date.now() - since > stallMs && (await workLeft()) === 0) {
          say(`main collectors stalled at ${progress}/${o.jobs} results with no work left: interrupting them`);
          for (const c of [life, ...others]) if (c.running) c.child.kill('SIGINT');
          return;
        }
      }
    })().catch(() => {});

    const finalExit = await collecting;
    mainDone = true;
    clearInterval(sampler);
    clearInterval(ticker);
    const collectorCrashes: string[] = [];
    const exits: Exit[] = [];
    for (const c of collectors) {
      if (killedLives.has(c)) continue;
      const exit = await c.exited;
      exits.push(exit);
      if (exit.signal === null && exit.code !== 0 && exit.code !== 1 && exit.code !== 3) collectorCrashes.push(`collector exited with code ${exit.code}: ${c.stderr.trim().split('\n').at(-1) ?? ''}`);
    }
    say(`main collectors finished (${exits.map((e) => e.signal ?? e.code).join(', ')}): ${JSON.stringify(life.summary?.counts ?? {})}`);
    const kills = await killWorkers;
    const jobResent = await resendJobs;
    const garbage = await sendingGarbage;
    const forged = await forging;

    // ---- 6. the side runs ----
    let storageFull: StorageFullEvidence | undefined;
    let sideConflicts: ConflictsEvidence | undefined;
    if (o.sideRuns) {
      const side = { target, endpoint: runtime.endpoint, env: childEnv, home: join(home, 'side'), rng: sideRng, visibilityTimeoutSeconds: o.finishedVisibilityTimeoutSeconds, signal: stop.signal, say };
      storageFull = await storageFullRun(side).catch((error: unknown) => {
        chaosErrors.push(`storage_full side run: ${errorInfo(error).message}`);
        return undefined;
      });
      sideConflicts = await conflictsRun({ ...side, forge: 5 }).catch((error: unknown) => {
        chaosErrors.push(`conflicts side run: ${errorInfo(error).message}`);
        return undefined;
      });
    }

    // ---- 7. settle and read the evidence ----
    say('waiting for the dispatched queue to empty (malformed messages reach the dead-letter queue)');
    const settled = await until(async () => (await depth(target.sqs, target.queues.dispatched.url)) === 0, stop.signal, o.settleTimeoutSeconds * 1000, 250).then(
      () => true,
      () => false,
    );
    // Every fuzz result there will ever be has been sent: give the last ones a moment to be collected.
    const fuzzGrace = delay((o.finishedVisibilityTimeoutSeconds + 5) * 1000, undefined, { ref: false }).then(() => fuzzStop.abort());
    const fuzzReport = await Promise.race([fuzzCollecting, fuzzGrace.then(() => fuzzCollecting)]).catch((error: unknown) => {
      chaosErrors.push(`fuzz collector: ${errorInfo(error).message}`);
      return undefined;
    });
    say(`fuzz collector finished: ${fuzzReport ? `${fuzzReport.counts.done}/${fuzzReport.jobs}, ${fuzzReport.counts.duplicates} duplicates, ${fuzzReport.counts.quarantined} quarantined` : 'no fuzz jobs'}`);
    await pool.stop();
    const leftoverJobMessages = await depth(target.sqs, target.queues.dispatched.url);
    const deadLetters = await receiveAll(target.sqs, target.queues.deadLetter.url);
    const finishedLeft: Message[] = [];
    for (const url of [target.queues.finished.url, resultsQueue, replyOf(corpus.run)]) {
      finishedLeft.push(...(await receiveAll(target.sqs, url).catch((error: unknown) => (isMissingQueue(error) ? [] : Promise.reject(error)))));
    }
    const deadLetteredCases = deadLetters.flatMap((m) => {
      const value = m.MessageAttributes?.[FUZZ_CASE_ATTRIBUTE]?.StringValue;
      return value === undefined ? [] : [Number(value)];
    });
    const leftoverResults = finishedLeft.flatMap((m) => resultIdsIn(m.Body ?? ''));
    const lines = (id: string) => (store.getRun(id) ? Array.from(store.results(id), (r) => JSON.stringify(r)) : []);
    const quarantinedBodies = (id: string) => (store.getRun(id) ? store.quarantined(id).map((q) => q.body) : []);
    const finalRecord = store.requireRun(run);
    const evidence: FaultEvidence = {
      main: { run, inputs, resultLines: lines(run), quarantined: quarantinedBodies(run), garbage, forged, conflicts: store.conflicts(run), state: finalRecord.state },
      fuzz: { corpus, sent: fuzzSent, resultLines: lines(corpus.run), quarantined: quarantinedBodies(corpus.run), conflicts: store.getRun(corpus.run)?.counts.conflicts ?? 0 },
      deadLetteredCases,
      deadLetteredOther: deadLetters.length - deadLetteredCases.length,
      leftoverResults,
      queueGone: parseSendFaultLog<QueueGoneRecord>(await readFile(goneLog, 'utf8').catch(() => '')).records.flatMap((r) => r.jobs),
      leftoverJobMessages,
      sendFaults: parseSendFaultLog(await readFile(sendFaultLog, 'utf8').catch(() => '')),
      duplicates: { jobMessagesResent: jobResent.messages, jobsResent: jobResent.jobs, resultMessagesResent: resent.messages, resultsResent: resent.results },
      workerKills: { requested: o.kills, confirmed: kills.confirmed, midRun: kills.midRun },
      collector: {
        requestedRestarts: o.collectorRestarts,
        restarts,
        finalExitCode: finalExit.code,
        finalSignal: finalExit.signal,
        crashes: collectorCrashes,
        concurrent: o.collectors,
        peak,
        exits,
      },
      dispatch: { requestedKills: plan.dispatchKills.length, confirmedKills: dispatched.confirmed, final: dispatched.final, finalStderr: dispatched.finalStderr, jobsSent: finalRecord.jobsSent, jobs: o.jobs },
      storageFull,
      sideConflicts,
      crashes,
    };
    const verdict = judge(evidence);
    if (!settled) verdict.problems.push(`the dispatched queue did not empty within ${o.settleTimeoutSeconds} s`);
    verdict.problems.push(...chaosErrors);
    verdict.ok = verdict.problems.length === 0;
    keep = options.keepHome ?? !verdict.ok;
    const details = {
      run,
      fuzzRun: corpus.run,
      messages: finalRecord.messagesSent,
      jobsPerMessage: o.jobsPerMessage,
      testQueueSettings: { dispatchedVisibilityTimeoutSeconds: o.dispatchedVisibilityTimeoutSeconds, finishedVisibilityTimeoutSeconds: o.finishedVisibilityTimeoutSeconds, maxReceiveCount: o.maxReceiveCount },
      recordsHandled: handled,
      // Lost leases: SQS's refusals the poller reports as 'lost' (since it tolerates them), and any still reported as errors.
      messagesTakenBack: lost,
      leasesLost: leasesLost.length,
      workerKillsMidRun: kills.midRun,
      dispatchKilledAt: dispatched.killedAt,
      dispatchLives: dispatched.exits.length,
      collectorLives: collectors.length,
      mainRunCounts: finalRecord.counts,
      finalCollectorSummary: life.summary && { counts: life.summary.counts, complete: life.summary.complete, ok: life.summary.ok, end: life.summary.end },
      fuzzCollector: fuzzReport && { done: fuzzReport.counts.done, duplicates: fuzzReport.counts.duplicates, quarantined: fuzzReport.counts.quarantined },
      leftoverResults: leftoverResults.length,
      queueGone: evidence.queueGone.length,
      deadLetterMessages: deadLetters.length,
      storageFull: storageFull && { run: storageFull.run, capBytes: storageFull.capBytes, capped: storageFull.capped, waiting: storageFull.waiting, cameBack: storageFull.cameBack, lifted: storageFull.lifted.exit },
      sideConflicts: sideConflicts && { run: sideConflicts.run, firstWindow: sideConflicts.firstWindow, forged: sideConflicts.forged.length, conflicts: sideConflicts.conflicts.length, exit: sideConflicts.final.exit },
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
    store.close();
    if (!keep) await rm(home, { recursive: true, force: true });
    else say(`kept ${home}`);
  }
}
