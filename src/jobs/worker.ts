import { EventEmitter } from "node:events";
import { Logger as WorkerLogger, run, runTaskListOnce, type Task, type TaskList, type WorkerEvents } from "graphile-worker";
import type { PoolClient } from "pg";
import type { Logger } from "probot";
import type { AppDeps } from "../deps.js";
import { forgetWorkers, recordHeartbeats, unlockDeadWorkers } from "../db/worker-liveness.js";
import { openWorkerPool, withWorkerPool } from "../db/worker-pool.js";
import { DRAIN_TASK, installationsMarkedWithoutDrain } from "../db/dirty-threads.js";
import { addJob, drainJob } from "../db/events.js";
import { PENDING_DELIVERY } from "../db/inbox.js";
import { expandPendingDeliveries } from "../webhooks/expand.js";
import { expanderFor } from "./expander.js";
import { type DeriveDirtyPayload, deriveDirtyJob } from "./derive-dirty.js";
import { deriveThreadJob, rederiveInstallationJob, type ThreadRef } from "./derive-thread.js";
import { type LoadRosterPayload, loadRosterJob } from "./load-roster.js";
import { type InstallationJobPayload, milestoneCommentsJob } from "./milestones.js";
import { type BackfillJobPayload, backfillJob, reconcileJob } from "./backfill.js";
import { type MaintainerFilesPayload, maintainerFilesJob } from "./maintainer-files.js";
import { nudgesJob } from "./nudges.js";
import { lifecycleRemindersJob } from "./lifecycle-reminders.js";
import { type RefreshProgressPayload, refreshProgressJob } from "./refresh-progress.js";
import { redeliverFailedJob } from "./redeliver.js";
import { type SlashCommandPayload, slashCommandJob } from "./slash-command.js";
import { trimPayloadsJob } from "./trim-payloads.js";

/**
 * Derivation's tasks: database work only, in a runner of their own, so that jobs waiting on GitHub (a
 * slow answer, the retry plugin's back-off of up to 14 s, a rate limit) can take every slot of the
 * other runner without holding back the numbers. Seen in the bench: two progress-comment jobs whose
 * GitHub calls failed held both slots for 14 s, and the dirty set waited.
 */
const DERIVATION_TASKS: ReadonlySet<string> = new Set([DRAIN_TASK, "derive-thread", "rederive-installation"]);

/** The task list split in two: derivation's, and every other job (most of them call GitHub; the crontab's are all here). */
function splitOffDerivation(tasks: TaskList): { derivation: TaskList; others: TaskList } {
  const entries = Object.entries(tasks);
  return {
    derivation: Object.fromEntries(entries.filter(([name]) => DERIVATION_TASKS.has(name))),
    others: Object.fromEntries(entries.filter(([name]) => !DERIVATION_TASKS.has(name))),
  };
}

/** Every job the app runs, by graphile-worker task name. */
export function taskList(deps: AppDeps): TaskList {
  const task =
    <P>(name: string, fn: (deps: AppDeps, payload: P, job: { id: number }) => Promise<void>): Task =>
    async (payload, helpers) => {
      const log = deps.log.child({ job: name, jobId: helpers.job.id, attempt: helpers.job.attempts });
      const started = Date.now();
      try {
        await fn({ ...deps, log }, payload as P, { id: Number(helpers.job.id) });
        log.debug({ ms: Date.now() - started }, "job done");
      } catch (error) {
        // graphile-worker retries with exponential back-off; a 403/429 from GitHub lands here too.
        log.warn({ err: error }, "job failed; it will be retried");
        throw error;
      }
    };
  return {
    [DRAIN_TASK]: task<DeriveDirtyPayload>(DRAIN_TASK, deriveDirtyJob),
    // Jobs queued before the dirty set (and backfill's), one thread each.
    "derive-thread": task<ThreadRef>("derive-thread", deriveThreadJob),
    "rederive-installation": task<{ installationId: number }>("rederive-installation", rederiveInstallationJob),
    "load-roster": task<LoadRosterPayload>("load-roster", loadRosterJob),
    "refresh-progress": task<RefreshProgressPayload>("refresh-progress", refreshProgressJob),
    "milestone-comments": task<InstallationJobPayload>("milestone-comments", milestoneCommentsJob),
    "nudges": task<InstallationJobPayload>("nudges", nudgesJob),
    "lifecycle-reminders": task<InstallationJobPayload>("lifecycle-reminders", lifecycleRemindersJob),
    "slash-command": task<SlashCommandPayload>("slash-command", slashCommandJob),
    "backfill": task<BackfillJobPayload>("backfill", backfillJob),
    "maintainer-files": task<MaintainerFilesPayload>("maintainer-files", maintainerFilesJob),
    "reconcile": task<{ installationId?: number }>("reconcile", reconcileJob),
    "redeliver-failed": task<unknown>("redeliver-failed", redeliverFailedJob),
    "trim-payloads": task<InstallationJobPayload>("trim-payloads", trimPayloadsJob),
  };
}

export interface WorkerOptions {
  connectionString: string;
  /** PGlite serves every connection from one backend, where named prepared statements collide. */
  embedded: boolean;
  concurrency?: number;
  pollIntervalMs?: number;
  /** Defaults to CRONTAB; "" runs no schedule (tests and the demo drive their own clock). */
  crontab?: string;
  /** A worker silent this long is dead and its jobs go to others (default DEFAULT_DEAD_AFTER_SECONDS). */
  deadAfterSeconds?: number;
  /** How often the expander looks for deliveries it was not told of (default EXPANSION_SWEEP_MS). */
  expansionSweepMs?: number;
}

/**
 * Long enough that a busy process is never taken for dead (it beats four times in this span), short
 * enough that a killed one's jobs wait minutes, not graphile-worker's own 4 hours.
 */
export const DEFAULT_DEAD_AFTER_SECONDS = 120;

/** How often a worker looks for stored deliveries its own request path did not tell it of (another process's, or left by a stop). */
const EXPANSION_SWEEP_MS = 1_000;

export interface StartedWorker {
  /** For this process's request path: a delivery was stored, expand it now (src/jobs/expander.ts). */
  expandSoon(): void;
  stop(): Promise<void>;
}

/**
 * Scheduled jobs. graphile-worker runs each line once per period however many workers share the
 * database; each run without an installation fans out one job per installation.
 */
export const CRONTAB = [
  "7 * * * * milestone-comments ?jobKey=cron:milestone-comments&max=3",
  "37 * * * * nudges ?jobKey=cron:nudges&max=3",
  // Evaluation reminders and escalations, check-in nudges.
  "27 * * * * lifecycle-reminders ?jobKey=cron:lifecycle-reminders&max=3",
  // Keeps "due in N days" true on projects where nothing happens.
  "17 0 * * * refresh-progress ?jobKey=cron:refresh-progress&max=3",
  // Repairs what webhooks missed on open work (see README: "What the app does on install").
  "43 3 * * * reconcile ?jobKey=cron:reconcile&max=3",
  // Failed webhook deliveries: GitHub never retries them; one attempt per run, the next run is the retry.
  "*/15 * * * * redeliver-failed ?jobKey=cron:redeliver-failed&max=1",
  // Payload retention (README, "Privacy"): after reconciliation, which may still read those threads.
  "13 4 * * * trim-payloads ?jobKey=cron:trim-payloads&max=3",
].join("\n");

/**
 * The worker pool, plus its liveness: a heartbeat for the pool every quarter of `deadAfterSeconds`,
 * and on each beat (the first at start, so a restart takes over at once what has been dead long
 * enough) the jobs of workers that stopped beating are unlocked for whoever is alive.
 */
export async function startWorker(deps: AppDeps, options: WorkerOptions): Promise<StartedWorker> {
  const deadAfterSeconds = options.deadAfterSeconds ?? DEFAULT_DEAD_AFTER_SECONDS;
  const log = deps.log.child({ component: "worker" });
  const events: WorkerEvents = new EventEmitter();
  // graphile-worker 0.17 locks jobs in its pool's name (`locked_by` is the pool id), not a worker's.
  const pools = new Set<string>();
  events.on("pool:create", ({ workerPool }) => pools.add(workerPool.id));

  // Each runner holds one client for LISTEN and one per job slot.
  const pgPool = openWorkerPool(options.connectionString, 6);
  const common = {
    pgPool,
    pollInterval: options.pollIntervalMs ?? 1000,
    noHandleSignals: true,
    noPreparedStatements: options.embedded,
    logger: workerLogger(deps.log),
    events,
  };
  const tasks = splitOffDerivation(taskList(deps));
  const derivation = await run({ ...common, concurrency: 1, taskList: tasks.derivation, crontab: "" });
  const runner = await run({
    ...common,
    // PGlite serves every connection from one backend; fewer concurrent clients, fewer interleavings.
    concurrency: options.concurrency ?? (options.embedded ? 1 : 2),
    taskList: tasks.others,
    crontab: options.crontab ?? CRONTAB,
  });

  const beat = async () => {
    await recordHeartbeats(deps.db, [...pools]);
    const unlocked = await unlockDeadWorkers(deps.db, deadAfterSeconds);
    if (unlocked.length > 0) log.warn({ workers: unlocked }, "took over the jobs of workers that stopped beating");
  };
  const beatLogged = () => beat().catch((error: unknown) => log.warn({ err: error }, "worker heartbeat failed; next one soon"));
  await beatLogged();
  const timer = setInterval(beatLogged, (deadAfterSeconds * 1000) / 4);
  timer.unref();
  const expander = expanderFor(deps, log);
  expander.expandSoon();
  const sweep = () => {
    expander.expandSoon();
    queueMissingDrains(deps).catch((error: unknown) => log.warn({ err: error }, "drain sweep failed; next one soon"));
  };
  const sweeper = setInterval(sweep, options.expansionSweepMs ?? EXPANSION_SWEEP_MS);
  sweeper.unref();

  return {
    expandSoon: () => expander.expandSoon(),
    async stop() {
      clearInterval(timer);
      clearInterval(sweeper);
      await expander.idle();
      await Promise.all([runner.stop(), derivation.stop()]);
      await pgPool.end();
      await forgetWorkers(deps.db, [...pools]).catch(() => {});
    },
  };
}

/** Runs every job that is due now, then returns: for tests. */
export async function runDueJobs(deps: AppDeps, options: WorkerOptions): Promise<void> {
  const runner = openJobRunner(deps, options);
  try {
    await runner.runDue();
  } finally {
    await runner.close();
  }
}

export interface JobRunner {
  /** Runs every job that is due now, those the jobs add included, then returns. */
  runDue(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One client for any number of runs, and no migration check per run: the demo runs the due jobs 500
 * times, and a pool and graphile-worker's start-up per run were a quarter of its job time (18 ms of
 * CPU per run against 6 ms). A run with nothing due (most of the demo's, between deliveries) is one
 * statement instead of graphile-worker's four.
 */
export function openJobRunner(deps: AppDeps, options: WorkerOptions): JobRunner {
  const pgPool = openWorkerPool(options.connectionString, 1);
  const tasks = taskList(deps);
  const logger = workerLogger(deps.log);
  return {
    async runDue() {
      const client = await pgPool.connect();
      try {
        const work = await dueWork(client);
        if (!work.due && !work.pending) return;
        // The expander's work first, as a running worker would have done it: it queues the jobs that follow.
        if (work.pending) await expandPendingDeliveries(deps);
        await runTaskListOnce({ noPreparedStatements: options.embedded, logger }, tasks, client).promise;
      } finally {
        client.release();
      }
    },
    close: () => pgPool.end(),
  };
}

/**
 * Whether graphile-worker could find a job to run now, and whether a stored delivery awaits expansion.
 * Locked jobs count: a pass is also what frees those of a worker that died, and it is taken whenever
 * one may be there.
 */
async function dueWork(client: PoolClient): Promise<{ due: boolean; pending: boolean }> {
  const result = await client.query<{ due: boolean; pending: boolean }>(
    `select exists (select 1 from graphile_worker._private_jobs where run_at <= now() and attempts < max_attempts) as due,
       exists (select 1 from deliveries where ${PENDING_DELIVERY}) as pending`,
  );
  return { due: result.rows[0]?.due === true, pending: result.rows[0]?.pending === true };
}

/** The sweep's backstop: a drain, due now, for an installation whose marked threads have none. */
async function queueMissingDrains(deps: Pick<AppDeps, "db" | "log">): Promise<void> {
  const installations = await installationsMarkedWithoutDrain(deps.db);
  for (const id of installations) await addJob(deps.db, drainJob(id, 0));
  if (installations.length > 0) deps.log.warn({ installations }, "queued a drain for marked threads that had none");
}

function workerLogger(log: Logger): WorkerLogger {
  const worker = log.child({ component: "worker" });
  return new WorkerLogger(() => (level, message, meta) => {
    // Failed attempts are already logged (warn) by the task wrapper with the cause.
    const method = level === "error" ? "warn" : level === "warning" ? "warn" : level === "info" ? "debug" : "trace";
    worker[method](meta ?? {}, message);
  });
}
