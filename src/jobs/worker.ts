import { Logger as WorkerLogger, type Runner, run, runOnce, type Task, type TaskList } from "graphile-worker";
import type { Logger } from "probot";
import type { AppDeps } from "../deps.js";
import { deriveThreadJob, rederiveInstallationJob, type ThreadRef } from "./derive-thread.js";
import { type LoadRosterPayload, loadRosterJob } from "./load-roster.js";
import { type SlashCommandPayload, slashCommandJob } from "./slash-command.js";

/** Every job the app runs, by graphile-worker task name. */
export function taskList(deps: AppDeps): TaskList {
  const task =
    <P>(name: string, fn: (deps: AppDeps, payload: P) => Promise<void>): Task =>
    async (payload, helpers) => {
      const log = deps.log.child({ job: name, jobId: helpers.job.id, attempt: helpers.job.attempts });
      try {
        await fn({ ...deps, log }, payload as P);
      } catch (error) {
        // graphile-worker retries with exponential back-off; a 403/429 from GitHub lands here too.
        log.warn({ err: error }, "job failed; it will be retried");
        throw error;
      }
    };
  return {
    "derive-thread": task<ThreadRef>("derive-thread", deriveThreadJob),
    "rederive-installation": task<{ installationId: number }>("rederive-installation", rederiveInstallationJob),
    "load-roster": task<LoadRosterPayload>("load-roster", loadRosterJob),
    "slash-command": task<SlashCommandPayload>("slash-command", slashCommandJob),
  };
}

export interface WorkerOptions {
  connectionString: string;
  /** PGlite serves every connection from one backend, where named prepared statements collide. */
  embedded: boolean;
  concurrency?: number;
  pollIntervalMs?: number;
}

export function startWorker(deps: AppDeps, options: WorkerOptions): Promise<Runner> {
  return run({
    connectionString: options.connectionString,
    concurrency: options.concurrency ?? 2,
    pollInterval: options.pollIntervalMs ?? 1000,
    noHandleSignals: true,
    noPreparedStatements: options.embedded,
    maxPoolSize: 4,
    logger: workerLogger(deps.log),
    taskList: taskList(deps),
  });
}

/** Runs every job that is due now, then returns: for tests, the CLI and the demo. */
export async function runDueJobs(deps: AppDeps, options: WorkerOptions): Promise<void> {
  await runOnce({
    connectionString: options.connectionString,
    noPreparedStatements: options.embedded,
    maxPoolSize: 2,
    logger: workerLogger(deps.log),
    taskList: taskList(deps),
  });
}

function workerLogger(log: Logger): WorkerLogger {
  const worker = log.child({ component: "worker" });
  return new WorkerLogger(() => (level, message, meta) => {
    // Failed attempts are already logged (warn) by the task wrapper with the cause.
    const method = level === "error" ? "warn" : level === "warning" ? "warn" : level === "info" ? "debug" : "trace";
    worker[method](meta ?? {}, message);
  });
}
