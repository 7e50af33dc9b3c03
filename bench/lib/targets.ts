/** The bench's side of bench/lib/target.ts: fork a server under test, ask it things, stop it. */
import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TargetConfig, TargetMessage, TargetRequest } from "./target.js";

type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

export const WEBHOOK_SECRET = "bench-webhook-secret";
export const WEBHOOK_PATH = "/api/github/webhooks";
/** Nothing listens here: a job that tried to reach GitHub would fail locally, never leave the machine. */
export const NO_GITHUB = "http://127.0.0.1:9/api/v3";
/** src/main.ts's timing. */
export const PRODUCTION_TIMING = { deriveDelaySeconds: 2, progressDelaySeconds: 60 };

export interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  heapUsedAfterGc: number | null;
}

export interface Target {
  label: string;
  url: string;
  pid: number;
  embedded: boolean;
  logFile: string;
  memory(options?: { gc?: boolean }): Promise<Memory>;
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** Lines the app logged at warn level or above. */
  warnings(): string[];
  stop(): Promise<void>;
}

const logDir = () => (cachedLogDir ??= mkdtempSync(join(tmpdir(), "mt-bench-logs-")));
let cachedLogDir: string | undefined;

/**
 * Forks the server under test. `tree` is the root of another built checkout (BENCH_BASELINE), whose
 * own bench/lib/target.js then runs its own app: a before/after comparison in one run.
 */
export async function startTarget(label: string, config: Partial<TargetConfig> & Pick<TargetConfig, "kind">, tree?: string): Promise<Target> {
  const logFile = join(logDir(), `${label.replace(/[^a-z0-9]+/gi, "-")}.log`);
  const full: TargetConfig = {
    worker: false,
    githubBaseUrl: NO_GITHUB,
    webhookSecret: WEBHOOK_SECRET,
    webhookPath: WEBHOOK_PATH,
    timing: PRODUCTION_TIMING,
    logLevel: process.env.BENCH_LOG_LEVEL ?? "info",
    logFile,
    ...config,
  };
  const script = tree ? join(tree, "dist/bench/lib/target.js") : fileURLToPath(new URL("./target.js", import.meta.url));
  const child: ChildProcess = fork(script, [], {
    env: { ...process.env, BENCH_TARGET: JSON.stringify(full) },
    execArgv: ["--expose-gc"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (m: TargetMessage) => void; reject: (e: Error) => void }>();
  let exited = false;

  const ready = await new Promise<Extract<TargetMessage, { type: "ready" }>>((resolve, reject) => {
    const onMessage = (m: TargetMessage) => {
      if (m.type === "ready") resolve(m);
      else if (m.type === "failed") reject(new Error(`${label} did not start: ${m.message}`));
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`${label} exited with code ${code} before it was ready`)));
  });
  child.on("message", (m: TargetMessage) => {
    if (!("id" in m)) return;
    const waiter = pending.get(m.id);
    if (!waiter) return;
    pending.delete(m.id);
    if (m.type === "error") waiter.reject(new Error(`${label}: ${m.message}`));
    else waiter.resolve(m);
  });
  child.on("exit", () => {
    exited = true;
    for (const waiter of pending.values()) waiter.reject(new Error(`${label} exited`));
    pending.clear();
  });

  const ask = <T extends TargetMessage>(request: WithoutId<TargetRequest>): Promise<T> =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error(`${label} has exited`));
      const id = nextId++;
      pending.set(id, { resolve: resolve as (m: TargetMessage) => void, reject });
      child.send({ ...request, id } as TargetRequest);
    });

  return {
    label,
    url: ready.url,
    pid: ready.pid,
    embedded: ready.embedded,
    logFile,
    async memory(options = {}) {
      const m = await ask<Extract<TargetMessage, { type: "memory" }>>({ type: "memory", gc: options.gc ?? false });
      return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, heapUsedAfterGc: m.heapUsedAfterGc };
    },
    async query<T>(text: string) {
      const m = await ask<Extract<TargetMessage, { type: "query" }>>({ type: "query", sql: text });
      return m.rows as T[];
    },
    warnings() {
      try {
        return readFileSync(logFile, "utf8")
          .split("\n")
          .filter((line) => /"level":(4|5|6)0/.test(line));
      } catch {
        return [];
      }
    },
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      try {
        child.send({ type: "stop", id: 0 } satisfies TargetRequest);
      } catch {
        child.kill();
      }
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
