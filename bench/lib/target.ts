/**
 * The process under test, forked by the bench (bench/lib/targets.ts) so that the load generator
 * never shares an event loop with the server it measures.
 *
 * - `noop`: Probot 14 with a handler that does nothing, behind the same HTTP server as the app
 *   (src/server.ts around createNodeMiddleware): what any Probot app pays to verify and route a delivery.
 * - `app`: the app as src/main.ts wires it (createApp + startServer, pino, migrations, the same
 *   timing), on PostgreSQL or on the embedded database, with or without the job worker.
 *
 * It talks to the bench over the IPC channel: "ready" once listening, then answers "memory", "query"
 * and "stop". Logs go to a file at the app's production level (info), as they would go to stdout.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { pino } from "pino";
import { createNodeMiddleware, Probot } from "probot";
import { type DatabaseHandle, openDatabase } from "../../src/db/connection.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import type { AppDeps } from "../../src/deps.js";
import { UnthrottledOctokit } from "../../src/github/octokit.js";
import { createApp } from "../../src/index.js";
import { startWorker } from "../../src/jobs/worker.js";
import { createLogger } from "../../src/log.js";
import { startServer } from "../../src/server.js";
import type { WebhookEndpointOptions } from "../../src/webhooks/http.js";
import { HANDLED_EVENTS, receiveDeliveries } from "../../src/webhooks/receive.js";

export interface TargetConfig {
  kind: "noop" | "app";
  /** app: PostgreSQL; without it the embedded database, in a temporary directory on disk as in production. */
  databaseUrl?: string;
  worker: boolean;
  /** The worker's crontab; undefined: the app's own (CRONTAB), "": none. */
  crontab?: string;
  githubBaseUrl: string;
  webhookSecret: string;
  webhookPath: string;
  timing: AppDeps["timing"];
  logFile: string;
  logLevel: string;
}

export type TargetRequest =
  | { id: number; type: "memory"; gc: boolean }
  | { id: number; type: "query"; sql: string }
  | { id: number; type: "stop" };

export type TargetMessage =
  | { type: "ready"; url: string; pid: number; embedded: boolean }
  | { type: "failed"; message: string }
  | { id: number; type: "memory"; rss: number; heapUsed: number; heapTotal: number; external: number; heapUsedAfterGc: number | null }
  | { id: number; type: "query"; rows: Record<string, unknown>[] }
  | { id: number; type: "error"; message: string };

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_TARGET ?? "null") as TargetConfig | null;
  if (!config || !process.send) throw new Error("bench/lib/target.js is started by the bench (fork with BENCH_TARGET)");
  const log = createLogger({ level: config.logLevel, name: "mentorship-tracker" }, pino.destination({ dest: config.logFile, sync: true }));
  const privateKey = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  const probot = new Probot({
    appId: 1,
    privateKey,
    secret: config.webhookSecret,
    log,
    baseUrl: config.githubBaseUrl,
    Octokit: UnthrottledOctokit,
  });

  let database: DatabaseHandle | undefined;
  let dataDir: string | undefined;
  let stopWorker: (() => Promise<void>) | undefined;
  let handler;
  // The no-op app's deliveries go to its Probot handler (which does nothing), parsed, as Probot 14 dispatches them.
  let receive: WebhookEndpointOptions["receive"] = (delivery) =>
    probot.webhooks.receive({ id: delivery.id, name: delivery.name, payload: JSON.parse(delivery.body) } as never);
  if (config.kind === "noop") {
    handler = await createNodeMiddleware(
      (app) => {
        app.on([...HANDLED_EVENTS], async () => {});
      },
      { probot, webhooksPath: config.webhookPath },
    );
  } else {
    if (!config.databaseUrl) dataDir = await mkdtemp(join(tmpdir(), "mt-bench-pglite-"));
    database = await openDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: join(dataDir!, "pglite") });
    await migrateToLatest(database.db, database.connectionString);
    const deps: AppDeps = {
      db: database.db,
      log,
      probot,
      now: () => new Date(),
      dryRun: false,
      reportTokens: [],
      timing: config.timing,
    };
    handler = await createNodeMiddleware(createApp(deps), { probot, webhooksPath: config.webhookPath });
    let expandSoon: (() => void) | undefined;
    receive = receiveDeliveries(deps, () => expandSoon?.());
    if (config.worker) {
      const runner = await startWorker(deps, {
        connectionString: database.connectionString,
        embedded: database.embedded,
        ...(config.crontab !== undefined ? { crontab: config.crontab } : {}),
      });
      expandSoon = () => runner.expandSoon();
      stopWorker = () => runner.stop();
    }
  }
  const webhook = { secret: config.webhookSecret, receive, log };
  const server = await startServer({ handler, webhookPath: config.webhookPath, webhook, host: "127.0.0.1", port: 0 });

  const reply = (message: TargetMessage) => process.send!(message);
  process.on("message", (raw: TargetRequest) => {
    void (async () => {
      try {
        if (raw.type === "memory") {
          const m = process.memoryUsage();
          let heapUsedAfterGc: number | null = null;
          const gc = (globalThis as { gc?: () => void }).gc;
          if (raw.gc && gc) {
            gc();
            heapUsedAfterGc = process.memoryUsage().heapUsed;
          }
          reply({ id: raw.id, type: "memory", rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, heapUsedAfterGc });
        } else if (raw.type === "query") {
          if (!database) throw new Error("the no-op target has no database");
          const result = await sql.raw<Record<string, unknown>>(raw.sql).execute(database.db);
          reply({ id: raw.id, type: "query", rows: result.rows });
        } else if (raw.type === "stop") {
          await server.close();
          if (stopWorker) await stopWorker();
          if (database) await database.close();
          if (dataDir) await rm(dataDir, { recursive: true, force: true });
          process.exit(0);
        }
      } catch (error) {
        reply({ id: raw.id, type: "error", message: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  process.on("disconnect", () => process.exit(0));
  reply({ type: "ready", url: server.url, pid: process.pid, embedded: database?.embedded ?? false });
}

main().catch((error: unknown) => {
  process.send?.({ type: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies TargetMessage);
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100).unref();
});
