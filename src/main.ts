import { join } from "node:path";
import { createNodeMiddleware, Probot, run } from "probot";
import { loadDotEnv, writeDotEnv } from "./config/dotenv.js";
import { type AppEnv, EnvError, loadEnv } from "./config/env.js";
import { EmbeddedDatabaseBusy, openDatabase } from "./db/connection.js";
import { migrateToLatest } from "./db/migrate.js";
import type { AppDeps } from "./deps.js";
import { createApp } from "./index.js";
import { type StartedWorker, startWorker } from "./jobs/worker.js";
import { sessionKeyFrom } from "./dashboard/session.js";
import { createLogger } from "./log.js";
import { rootCause } from "./errors.js";
import { startServer } from "./server.js";
import { receiveDeliveries } from "./webhooks/receive.js";
import { SmeeClient, startWebhookProxy } from "./webhooks/proxy.js";

/** `npm start`: `.env`, migrations, then the webhook server, the HTTP API and the worker in one process. */
async function main(): Promise<void> {
  loadDotEnv();
  const env = loadEnv(process.env);
  if (env.credentials) return startApp(env, env.credentials);
  await registerApp();
  // Probot's setup page has just written the credentials to .env (and process.env): start for real.
  const registered = loadEnv(process.env);
  if (!registered.credentials) throw new EnvError(["the setup page finished without writing APP_ID, PRIVATE_KEY and WEBHOOK_SECRET to .env"]);
  return startApp(registered, registered.credentials);
}

/**
 * Probot's own setup flow: a page that registers a GitHub App from app.yml, with a smee.io channel
 * as its webhook URL so that GitHub's deliveries reach this machine. Resolves once the credentials
 * are in .env, after the browser has been sent on to GitHub's install page.
 */
async function registerApp(): Promise<void> {
  let credentialsWritten!: () => void;
  const registered = new Promise<void>((resolve) => (credentialsWritten = resolve));
  // Probot's run() copies .env over process.env, empty lines included; ours (loadDotEnv) let the
  // environment win. Probot reads its server options from `env`, and the manifest's webhook URL
  // from process.env on each request, so restoring our view after run() is enough, except for what
  // the setup itself has just written (the smee channel it created).
  const effective = { ...process.env };
  const writtenBySetup = new Set<string>();
  const setup = await run(() => {}, {
    // No proxy while in setup mode: nothing can receive webhooks yet (Probot would start one).
    env: { ...effective, WEBHOOK_PROXY_URL: undefined },
    SmeeClient,
    // Our writer keeps the comments of a copied .env.example; Probot's would drop them.
    updateEnv: (vars: NodeJS.ProcessEnv) => {
      writeDotEnv(vars);
      for (const key of Object.keys(vars)) writtenBySetup.add(key);
      if (vars.APP_ID) credentialsWritten();
      return vars;
    },
  });
  for (const [key, value] of Object.entries(effective)) if (value && !writtenBySetup.has(key)) process.env[key] = value;
  await registered;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await setup.stop();
}

async function startApp(env: AppEnv, credentials: NonNullable<AppEnv["credentials"]>): Promise<void> {
  const log = createLogger({ level: env.logLevel, name: "mentorship-tracker" });
  const database = await openDatabase({ databaseUrl: env.databaseUrl, dataDir: join(env.dataDir, "pglite") });
  const migrated = await migrateToLatest(database.db, database.connectionString);
  log.info({ applied: migrated.applied, embedded: database.embedded }, "database ready");

  const probot = new Probot({
    appId: credentials.appId,
    privateKey: credentials.privateKey,
    secret: credentials.webhookSecret,
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
    githubBaseUrl: env.githubBaseUrl,
    dashboard: env.dashboard ? {
      clientId: env.dashboard.clientId,
      clientSecret: env.dashboard.clientSecret,
      sessionKey: sessionKeyFrom(env.dashboard.sessionSecret, credentials.privateKey),
      publicUrl: env.dashboard.publicUrl,
      githubWebUrl: env.dashboard.githubWebUrl,
    } : undefined,
    timing: { deriveDelaySeconds: 2, progressDelaySeconds: 60 },
  };
  const handler = await createNodeMiddleware(createApp(deps), { probot, webhooksPath: env.webhookPath });
  let worker: StartedWorker | undefined;
  const server = await startServer({
    handler,
    webhookPath: env.webhookPath,
    // The worker starts after the server; until then the worker's first sweep picks up what is stored.
    webhook: { secret: credentials.webhookSecret, receive: receiveDeliveries(deps, () => worker?.expandSoon()), log },
    host: env.host,
    port: env.port,
    maxConnectionsPerPeer: env.maxConnectionsPerPeer,
  }).catch((error: unknown) => {
    throw Object.assign(error as Error, { port: env.port });
  });
  worker = await startWorker(deps, {
    connectionString: database.connectionString,
    embedded: database.embedded,
    deadAfterSeconds: env.workerDeadAfterSeconds,
  });
  const proxy = env.webhookProxyUrl
    ? startWebhookProxy({ source: env.webhookProxyUrl, target: `${server.url}${env.webhookPath}`, log })
    : undefined;
  log.info({ url: server.url, webhookPath: env.webhookPath, webhookProxy: env.webhookProxyUrl, dryRun: env.dryRun, dashboard: env.dashboard !== null }, "mentorship-tracker listening");

  const stop = async () => {
    log.info("shutting down");
    await proxy?.stop();
    await server.close();
    await worker?.stop();
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
  if (error instanceof EmbeddedDatabaseBusy) return error.message;
  const e = rootCause(error);
  if (e?.code === "ECONNREFUSED") return `cannot reach the database at ${e.address}:${e.port} (is PostgreSQL running? check DATABASE_URL)`;
  if (e?.code === "ENOTFOUND") return `cannot resolve the database host (check DATABASE_URL)`;
  if (e?.code === "EADDRINUSE") return `port ${e.port} is already in use by another program (stop it, or set PORT to a free port)`;
  return e instanceof Error ? e.message : String(error);
}
