import { createHmac, generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { createNodeMiddleware, Probot } from "probot";
import { LocalOctokit } from "../github/octokit.js";
import { type DatabaseHandle, openDatabase } from "../db/connection.js";
import { migrateToLatest } from "../db/migrate.js";
import type { AppDeps } from "../deps.js";
import { createApp } from "../index.js";
import { openJobRunner } from "../jobs/worker.js";
import { renderReportTable } from "../render/report-table.js";
import { responseTimeReport } from "../reports/response-times.js";
import { createLogger } from "../log.js";
import { startServer } from "../server.js";
import { receiveDeliveries } from "../webhooks/receive.js";
import type { ResponseTimeReport } from "../domain/types.js";
import { DEMO_INSTALLATION_ID, DEMO_ORG, DEMO_PROGRAM, demoScript, people, roster } from "./script.js";
import { type Standin, type StandinComment, startStandinGitHub } from "./standin-github.js";
import { DEMO_OAUTH_CLIENT } from "./standin-oauth.js";
import { DAILY_TICKS } from "./ticks.js";

const WEBHOOK_SECRET = "demo-webhook-secret";
const WEBHOOK_PATH = "/api/github/webhooks";
const REPORT_TOKEN = "demo-report-token";
/** Scheduled work (milestone reminders, nudges) runs this often in simulated time. */
const TICK_HOURS = 6;
const PROGRAM_END = "2026-10-18T00:00:00Z";

export interface DemoResult {
  report: ResponseTimeReport;
  deliveries: { sent: number; duplicates: number };
  events: number;
  requests: number;
  comments: StandinComment[];
  standin: Standin;
  elapsedMs: number;
}

export interface DemoOptions {
  /** Leave the app and the stand-in running, and print where they are. */
  keep?: boolean;
  write: (text: string) => void;
  /** One line per simulated week while it runs. */
  progress?: (text: string) => void;
  /** A migrated, empty database to use instead of a temporary embedded one (the e2e test's). */
  database?: DatabaseHandle;
}

/**
 * The real app (HTTP server, webhook verification, worker, embedded database) against a local
 * stand-in for GitHub, fed a whole program as signed deliveries on a simulated clock.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  let clock = new Date("2026-06-14T12:00:00Z");
  const now = () => clock;
  const dataDir = options.database ? null : await mkdtemp(join(tmpdir(), "mentorship-demo-"));
  // Ctrl-C or a SIGTERM (a closed terminal, `kill`) at any point leaves no temporary data behind.
  const removeDataDir = () => dataDir && rmSync(dataDir, { recursive: true, force: true });
  const stopNow = (signal: NodeJS.Signals) => {
    removeDataDir();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  for (const signal of SIGNALS) process.once(signal, stopNow);
  const database = options.database ?? (await openDatabase({ dataDir: join(dataDir!, "pglite") }));
  if (!options.database) await migrateToLatest(database.db, database.connectionString);

  const standin = await startStandinGitHub({
    appSlug: "mentorship-tracker",
    files: { [`${DEMO_ORG}/.github:.github/mentorship.yml`]: roster },
    people: Object.values(people),
    roles: { [people.admin.login]: "admin" },
    now,
  });
  const log = createLogger({ level: process.env.LOG_LEVEL ?? "warn" });
  const probot = new Probot({
    appId: 1,
    privateKey: generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    }).privateKey,
    secret: WEBHOOK_SECRET,
    baseUrl: `${standin.url}/api/v3`,
    log,
    Octokit: LocalOctokit,
  });
  const deps: AppDeps = {
    db: database.db,
    log,
    probot,
    now,
    dryRun: false,
    reportTokens: [REPORT_TOKEN],
    // The dashboard signs people in through the stand-in's OAuth pages, as it would through GitHub's.
    githubBaseUrl: `${standin.url}/api/v3`,
    dashboard: { ...DEMO_OAUTH_CLIENT, sessionKey: randomBytes(32), githubWebUrl: standin.url },
    timing: { deriveDelaySeconds: 0, progressDelaySeconds: 0 },
  };
  const handler = await createNodeMiddleware(createApp(deps), { probot, webhooksPath: WEBHOOK_PATH });
  const webhook = { secret: WEBHOOK_SECRET, receive: receiveDeliveries(deps), log };
  const server = await startServer({ handler, webhookPath: WEBHOOK_PATH, webhook, host: "127.0.0.1", port: 0 });
  const jobs = openJobRunner(deps, { connectionString: database.connectionString, embedded: database.embedded });
  const drain = () => jobs.runDue();

  try {
    const result = await replay();
    printDemo(result, options.write);
    // From here a signal ends the wait below, and the finally block cleans up in order.
    for (const signal of SIGNALS) process.off(signal, stopNow);
    if (options.keep) await keepRunning({ appUrl: server.url, standinUrl: standin.url, connectionString: database.connectionString }, options.write);
    return result;
  } finally {
    for (const signal of SIGNALS) process.off(signal, stopNow);
    await server.close();
    await jobs.close();
    await standin.close();
    if (dataDir) {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }

  async function replay(): Promise<DemoResult> {
    const send = async (name: string, payload: unknown, id: string = randomUUID()) => {
      const body = JSON.stringify(payload);
      const response = await fetch(`${server.url}${WEBHOOK_PATH}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": name,
          "x-github-delivery": id,
          "x-hub-signature-256": `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`,
        },
        body,
      });
      if (response.status !== 200) throw new Error(`delivery ${id} (${name}) was answered ${response.status}: ${await response.text()}`);
    };

    // Installing the app: the roster is read from the stand-in's demo-org/.github.
    await send("installation", {
      action: "created",
      installation: { id: DEMO_INSTALLATION_ID, account: { login: DEMO_ORG, id: 1, type: "Organization" } },
      sender: people.admin,
    });
    await drain();

    const script = demoScript();
    let sent = 1;
    let nextTick = Date.parse("2026-06-15T00:00:00Z");
    let lastWeek = "";
    const tickUntil = async (until: number) => {
      while (nextTick <= until) {
        clock = new Date(nextTick);
        await drain();
        for (const tick of DAILY_TICKS) await tick(deps, DEMO_INSTALLATION_ID);
        const week = clock.toISOString().slice(0, 10);
        if (options.progress && clock.getUTCDay() === 1 && clock.getUTCHours() === 0 && week !== lastWeek) {
          lastWeek = week;
          options.progress(`  simulated ${week}: ${sent}/${script.length + 1} deliveries sent`);
        }
        nextTick += TICK_HOURS * 3_600_000;
      }
    };

    for (const delivery of script) {
      const at = Date.parse(delivery.at);
      await tickUntil(at);
      if (at > clock.getTime()) clock = new Date(at);
      await send(delivery.name, delivery.payload, delivery.id);
      sent += 1;
    }
    await tickUntil(Date.parse(PROGRAM_END));
    clock = new Date(PROGRAM_END);
    await drain();

    const report = await responseTimeReport(database.db, DEMO_INSTALLATION_ID, DEMO_PROGRAM, {}, clock);
    const counts = await sql<{ deliveries: number; events: number; requests: number }>`
      select (select count(*)::int from deliveries) as deliveries,
             (select count(*)::int from events) as events,
             (select count(*)::int from requests) as requests`.execute(database.db);
    const row = counts.rows[0]!;
    const result: DemoResult = {
      report,
      deliveries: { sent, duplicates: sent - row.deliveries },
      events: row.events,
      requests: row.requests,
      comments: standin.comments,
      standin,
      elapsedMs: Date.now() - started,
    };
    return result;
  }
}

const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];

/** Everything a newcomer can try against the kept app, then waits for Ctrl-C or SIGTERM. */
async function keepRunning(
  where: { appUrl: string; standinUrl: string; connectionString: string },
  write: (text: string) => void,
): Promise<void> {
  const auth = `-H 'Authorization: Bearer ${REPORT_TOKEN}'`;
  const api = `${where.appUrl}/api/v1`;
  write(
    [
      "",
      `The app is still running at ${where.appUrl} (the stand-in GitHub API at ${where.standinUrl}).`,
      "",
      `  dashboard:        ${where.appUrl}/auth/github?login=${people.admin.login}   (open it in a browser: signs you in as the demo's admin)`,
      "  health:           curl " + `${where.appUrl}/healthz`,
      `  programs:         curl ${auth} ${api}/programs`,
      `  report (JSON):    curl ${auth} ${api}/programs/${DEMO_PROGRAM}/response-times`,
      `  report (CSV):     curl ${auth} '${api}/programs/${DEMO_PROGRAM}/response-times?format=csv'`,
      `  one project:      curl ${auth} '${api}/programs/${DEMO_PROGRAM}/response-times?project=cli'`,
      `  the CLI:          DATABASE_URL='${where.connectionString}' npx mentorship report --program ${DEMO_PROGRAM}`,
      "",
      "Press Ctrl-C to stop; the demo's temporary data is removed.",
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    const done = () => {
      for (const signal of SIGNALS) process.off(signal, done);
      resolve();
    };
    for (const signal of SIGNALS) process.once(signal, done);
  });
}

function printDemo(result: DemoResult, write: (text: string) => void): void {
  const rule = (title: string) => `\n${"─".repeat(4)} ${title} ${"─".repeat(Math.max(4, 76 - title.length))}\n`;
  write(`\n${renderReportTable(result.report)}\n`);

  const isProgress = (c: StandinComment) => c.body.includes("mentorship-tracker:progress:");
  for (const comment of result.comments.filter(isProgress)) {
    write(rule(`Progress comment on ${comment.repo}#${comment.number} (edited in place)`));
    write(`${comment.body}\n`);
  }
  const others = result.comments.filter((c) => !isProgress(c));
  write(rule(`Milestone comments and nudges posted (${others.length})`));
  for (const comment of others) {
    write(`\n[${comment.created_at.slice(0, 16).replace("T", " ")}] on ${comment.repo}#${comment.number}:\n${comment.body}\n`);
  }
  const edits = result.standin.writes.filter((w) => w.method === "PATCH").length;
  write(
    `\n${result.deliveries.sent} deliveries (${result.deliveries.duplicates} duplicate ignored), ${result.events} events, ` +
      `${result.requests} requests, ${result.comments.length} comments written and ${edits} edits, ` +
      `in ${(result.elapsedMs / 1000).toFixed(1)} s\n`,
  );
}
