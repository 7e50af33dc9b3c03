import { join } from "node:path";
import { pino } from "pino";
import { Probot } from "probot";
import { type AppEnv, loadEnv } from "../config/env.js";
import { formatRosterError, loginsToResolve, parseRoster, summarizeRoster } from "../config/roster.js";
import { EmbeddedDatabaseBusy, openDatabase } from "../db/connection.js";
import { inboxState } from "../db/inbox.js";
import { pendingMigrations } from "../db/migrate.js";
import {
  type Check,
  checkCredentials,
  checkDatabase,
  checkStoredDeliveries,
  checkDeliveries,
  checkInstallations,
  checkRoster,
  checkSubscriptions,
  checkWebhook,
  type DatabaseLookup,
  type RosterLookup,
} from "../doctor/checks.js";
import { getRegisteredApp, getWebhookConfig, listInstallations } from "../github/app-setup.js";
import { readDeliveryLog } from "../github/deliveries.js";
import type { Octokit } from "../github/octokit.js";
import { fetchRosterFile, resolveLogins, ROSTER_REPO } from "../github/roster.js";
import { rootCause } from "../errors.js";
import type { CliIo } from "./io.js";

export const DOCTOR_HELP = `Usage: mentorship doctor

Checks an installed app end to end with its own credentials (.env or the environment) and prints a
checklist with a fix for each failure: the credentials, the webhook (URL, content type, secret),
deliveries of the last 3 days, the installations and each org's roster, the events and permissions
the app needs, and the database. Exits 0 only when every check passes.`;

const DELIVERY_DAYS = 3;

export async function doctorCommand(args: string[], io: CliIo): Promise<number> {
  if (args.length > 0) throw new Error(`unexpected argument "${args[0]}" (doctor takes none)`);
  const env = loadEnv(io.env);
  const checks: Check[] = [];
  const say = (check: Check) => {
    checks.push(check);
    io.stdout(`${check.ok ? "✓" : "✗"} ${check.name.padEnd(22)} ${check.detail}\n${check.fix ? `  ${" ".repeat(22)} fix: ${check.fix}\n` : ""}`);
  };
  io.stdout(`mentorship doctor: ${env.githubBaseUrl ?? "https://api.github.com"}\n\n`);
  await checkGitHub(env, say);
  const database = await lookUpDatabase(env);
  say(checkDatabase(database));
  if (database.state === "ready" && database.inbox) say(checkStoredDeliveries(database.inbox));
  const failed = checks.filter((c) => !c.ok).length;
  io.stdout(`\n${checks.length} checks: ${checks.length - failed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

async function checkGitHub(env: AppEnv, say: (check: Check) => void): Promise<void> {
  if (!env.credentials) {
    say({ name: "credentials", ok: false, detail: "APP_ID, PRIVATE_KEY and WEBHOOK_SECRET are not set", fix: "run `npm start` and register the app on the page it serves (it writes them to .env)" });
    return;
  }
  const probot = new Probot({
    appId: env.credentials.appId,
    privateKey: env.credentials.privateKey,
    ...(env.githubBaseUrl ? { baseUrl: env.githubBaseUrl } : {}),
    log: pino({ level: "silent" }),
  });
  const app = (await probot.auth()) as Octokit;
  let registered;
  try {
    registered = await getRegisteredApp(app);
  } catch (error) {
    say({ name: "credentials", ok: false, detail: describeGitHubError(error, env), fix: "copy APP_ID and a fresh private key from the app's settings page into .env" });
    return;
  }
  say(checkCredentials(registered));
  for (const check of checkWebhook(await getWebhookConfig(app), registered, env)) say(check);
  const now = new Date();
  const log = await readDeliveryLog(app, { from: now.getTime() - DELIVERY_DAYS * 86_400_000, until: now.getTime() }, 20);
  say(checkDeliveries(log.attempts, now, DELIVERY_DAYS));
  const installations = await listInstallations(app);
  say(checkInstallations(installations, registered));
  for (const installation of installations.filter((i) => !i.suspended)) {
    const octokit = (await probot.auth(installation.id)) as Octokit;
    say(checkRoster(installation.account, await lookUpRoster(octokit, installation.account)));
  }
  for (const check of checkSubscriptions(registered)) say(check);
}

async function lookUpRoster(octokit: Octokit, org: string): Promise<RosterLookup> {
  const file = await fetchRosterFile(octokit, org);
  if (!file) {
    const repoVisible = await octokit.request("GET /repos/{owner}/{repo}", { owner: org, repo: ROSTER_REPO }).then(
      () => true,
      () => false,
    );
    return { state: "missing", repoVisible };
  }
  const parsed = parseRoster(file.text);
  if (!parsed.ok) return { state: "invalid", problems: parsed.errors.map(formatRosterError) };
  const logins = loginsToResolve(parsed.roster);
  const known = await resolveLogins(octokit, logins);
  return { state: "valid", summary: summarizeRoster(parsed.roster), unknownLogins: logins.filter((l) => !known.has(l.toLowerCase())) };
}

async function lookUpDatabase(env: AppEnv): Promise<DatabaseLookup> {
  const dataDir = join(env.dataDir, "pglite");
  const where = env.databaseUrl ? `PostgreSQL at ${new URL(env.databaseUrl).host}` : `embedded database in ${dataDir}`;
  try {
    const database = await openDatabase({ databaseUrl: env.databaseUrl, dataDir, poolSize: 1 });
    try {
      const pending = await pendingMigrations(database.db);
      return { state: "ready", where, pending, ...(pending.length === 0 ? { inbox: await inboxState(database.db) } : {}) };
    } finally {
      await database.close();
    }
  } catch (error) {
    if (error instanceof EmbeddedDatabaseBusy) return { state: "in use", where, holder: `pid ${error.holder.pid}, since ${error.holder.since}` };
    return { state: "unreachable", where, reason: describeCause(error) };
  }
}

function describeGitHubError(error: unknown, env: AppEnv): string {
  const status = (error as { status?: number }).status;
  if (status === 401) return `GitHub refused the app's token (401): APP_ID ${env.credentials?.appId} and PRIVATE_KEY do not belong together`;
  if (status === 404) return `GitHub knows no app ${env.credentials?.appId} (404)`;
  return `cannot reach the GitHub API at ${env.githubBaseUrl ?? "https://api.github.com"}: ${describeCause(error)}`;
}

function describeCause(error: unknown): string {
  const e = rootCause(error);
  if (e?.code === "ECONNREFUSED") return "connection refused";
  if (e?.code === "ENOTFOUND") return "host not found";
  return e instanceof Error ? e.message : String(error);
}
