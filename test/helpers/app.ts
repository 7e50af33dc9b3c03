import { createHmac, generateKeyPairSync } from "node:crypto";
import { Writable } from "node:stream";
import nock from "nock";
import { createNodeMiddleware, Probot } from "probot";
import { LocalOctokit } from "../../src/github/octokit.js";
import type { DatabaseHandle } from "../../src/db/connection.js";
import type { AppDeps } from "../../src/deps.js";
import { createApp } from "../../src/index.js";
import { runDueJobs } from "../../src/jobs/worker.js";
import { createLogger } from "../../src/log.js";
import { startServer } from "../../src/server.js";
import type { WebhookEndpointOptions } from "../../src/webhooks/http.js";
import { expandPendingDeliveries } from "../../src/webhooks/expand.js";
import { receiveDeliveries } from "../../src/webhooks/receive.js";

export const WEBHOOK_SECRET = "test-webhook-secret";
export const WEBHOOK_PATH = "/api/github/webhooks";
export const APP_ID = 4242;
export const REPORT_TOKEN = "test-report-token";

let cachedKey: string | undefined;
export function privateKey(): string {
  cachedKey ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  return cachedKey;
}

export interface LogRecord {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface TestApp {
  deps: AppDeps;
  probot: Probot;
  url: string;
  logs: LogRecord[];
  /** A signed delivery over real HTTP, as GitHub sends it. */
  send(name: string, payload: unknown, options?: { id?: string; secret?: string }): Promise<Response>;
  /** A delivery straight to the request path's store (no HTTP, no signature). */
  receive(name: string, payload: unknown, id?: string): Promise<void>;
  /** Runs every job that is due, as the worker would (the expansion of stored deliveries first). */
  runJobs(): Promise<void>;
  /** Only the worker's expansion: stored deliveries become events, dirty marks and jobs. */
  expand(): Promise<number>;
  /** Error-level log lines; tests assert this is empty unless they provoke errors. */
  errors(): LogRecord[];
  close(): Promise<void>;
}

let deliveryCounter = 0;
export function nextDeliveryId(): string {
  deliveryCounter += 1;
  return `00000000-0000-4000-8000-${String(process.pid).padStart(6, "0")}${String(deliveryCounter).padStart(6, "0")}`;
}

export function sign(body: string, secret = WEBHOOK_SECRET): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** A signed delivery over real HTTP to the app at `baseUrl`, as GitHub sends it. */
export function postDelivery(baseUrl: string, name: string, payload: unknown, options: { id?: string; secret?: string } = {}): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${baseUrl}${WEBHOOK_PATH}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": name,
      "x-github-delivery": options.id ?? nextDeliveryId(),
      "x-hub-signature-256": sign(body, options.secret),
    },
    body,
  });
}

export async function createTestApp(
  database: DatabaseHandle,
  options: {
    dryRun?: boolean;
    now?: () => Date;
    progressDelaySeconds?: number;
    webhook?: Pick<WebhookEndpointOptions, "deadlineMs" | "maxBytesInFlight">;
    maxConnectionsPerPeer?: number;
    /** The web dashboard's sign-in settings (test/helpers/dashboard.ts), and where user tokens are checked. */
    dashboard?: AppDeps["dashboard"];
    githubBaseUrl?: string;
  } = {},
): Promise<TestApp> {
  const logs: LogRecord[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line) as LogRecord);
      done();
    },
  });
  const log = createLogger({ level: "debug" }, stream);
  const probot = new Probot({
    appId: APP_ID,
    privateKey: privateKey(),
    secret: WEBHOOK_SECRET,
    log,
    Octokit: LocalOctokit,
  });
  const deps: AppDeps = {
    db: database.db,
    log,
    probot,
    now: options.now ?? (() => new Date()),
    dryRun: options.dryRun ?? false,
    reportTokens: [REPORT_TOKEN],
    dashboard: options.dashboard,
    githubBaseUrl: options.githubBaseUrl,
    // Progress refreshes call GitHub: they stay queued unless a test asks for them (or runs the job itself).
    timing: { deriveDelaySeconds: 0, progressDelaySeconds: options.progressDelaySeconds ?? 3600 },
  };
  const handler = await createNodeMiddleware(createApp(deps), { probot, webhooksPath: WEBHOOK_PATH });
  const server = await startServer({
    handler,
    webhookPath: WEBHOOK_PATH,
    webhook: { secret: WEBHOOK_SECRET, receive: receiveDeliveries(deps), log, ...options.webhook },
    host: "127.0.0.1",
    port: 0,
    maxConnectionsPerPeer: options.maxConnectionsPerPeer,
  });

  return {
    deps,
    probot,
    url: server.url,
    logs,
    send: (name, payload, sendOptions = {}) => postDelivery(server.url, name, payload, sendOptions),
    async receive(name, payload, id) {
      await receiveDeliveries(deps)({ id: id ?? nextDeliveryId(), name, body: JSON.stringify(payload) });
    },
    runJobs: () => runDueJobs(deps, database),
    expand: () => expandPendingDeliveries(deps),
    errors: () => logs.filter((l) => l.level >= 50),
    close: () => server.close(),
  };
}

/**
 * Mocks the installation token exchange installation-authenticated calls start with. Optional:
 * Probot caches the token, so later calls in the same test file skip the exchange.
 */
export function mockInstallationToken(installationId: number) {
  return nock("https://api.github.com")
    .post(`/app/installations/${installationId}/access_tokens`)
    .optionally()
    .reply(201, { token: "test-installation-token", expires_at: "2099-01-01T00:00:00Z", permissions: {} });
}

/** Signed deliveries over HTTP, in order, each stored (a 200), then every job they queued, as the worker would run it. */
export async function deliverStory(app: TestApp, deliveries: Array<[name: string, payload: unknown]>): Promise<void> {
  for (const [name, payload] of deliveries) {
    const response = await app.send(name, payload);
    if (response.status !== 200) throw new Error(`delivery of ${name} answered ${response.status}`);
  }
  await app.runJobs();
}
