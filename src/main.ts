import { join } from "node:path";
import { createNodeMiddleware, Probot, run } from "probot";
import { EnvError, loadEnv } from "./config/env.js";
import { openDatabase } from "./db/connection.js";
import { migrateToLatest } from "./db/migrate.js";
import type { AppDeps } from "./deps.js";
import { createApp } from "./index.js";
import { startWorker } from "./jobs/worker.js";
import { createLogger } from "./log.js";
import { startServer } from "./server.js";
import { deliverTo } from "./webhooks/http.js";

/** `npm start`: migrations, then the webhook server, the HTTP API and the worker in one process. */
async function main(): Promise<void> {
  const env = loadEnv(process.env);
  if (!env.credentials) {
    // Not registered yet: Probot's own setup flow serves the page that creates the app from app.yml.
    await run(() => {});
    return;
  }
  const log = createLogger({ level: env.logLevel, name: "mentorship-tracker" });
  const database = await openDatabase({ databaseUrl: env.databaseUrl, dataDir: join(env.dataDir, "pglite") });
  const migrated = await migrateToLatest(database.db, database.connectionString);
  log.info({ applied: migrated.applied, embedded: database.embedded }, "database ready");

  const probot = new Probot({
    appId: env.credentials.appId,
    privateKey: env.credentials.privateKey,
    secret: env.credentials.webhookSecret,
    log,
    ...(env.githubBaseUrl ? { baseUrl: env.githubBaseUrl } : {}),
  });
  const deps: AppDeps = {
    db: database.db,
    log,
    probot,
    now: () => new Date(),
    dryRun: env.dryRun,
    reportTokens: env.reportTokens,
    timing: { deriveDelaySeconds: 2, progressDelaySeconds: 60 },
  };
  const handler = await createNodeMiddleware(createApp(deps), { probot, webhooksPath: env.webhookPath });
  const server = await startServer({
    handler,
    webhookPath: env.webhookPath,
    webhook: { secret: env.credentials.webhookSecret, receive: deliverTo(probot), log },
    host: env.host,
    port: env.port,
    maxConnectionsPerPeer: env.maxConnectionsPerPeer,
  });
  const worker = await startWorker(deps, { connectionString: database.connectionString, embedded: database.embedded });
  log.info({ url: server.url, webhookPath: env.webhookPath, dryRun: env.dryRun }, "mentorship-tracker listening");

  const stop = async () => {
    log.info("shutting down");
    await server.close();
    await worker.stop();
    await database.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  // Configuration and connection problems are the operator's to fix: say what, not where in our code.
  const lines = error instanceof EnvError ? error.problems : [describeStartupError(error)];
  for (const line of lines) process.stderr.write(`mentorship-tracker: ${line}\n`);
  process.exit(1);
});

function describeStartupError(error: unknown): string {
  let e = error as NodeJS.ErrnoException & { address?: string; port?: number };
  while (e instanceof Error && !e.code && e.cause) e = e.cause as typeof e;
  if (e?.code === "ECONNREFUSED") return `cannot reach the database at ${e.address}:${e.port} (is PostgreSQL running? check DATABASE_URL)`;
  if (e?.code === "ENOTFOUND") return `cannot resolve the database host (check DATABASE_URL)`;
  if (e?.code === "EADDRINUSE") return `port already in use (set PORT)`;
  return e instanceof Error ? e.message : String(error);
}
