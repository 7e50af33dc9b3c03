/**
 * `mentorship doctor`'s verdicts: pure functions from what GitHub and the database said to a
 * checklist line, each failure with the fix an admin can act on.
 */
import { attemptSucceeded, type DeliveryAttempt } from "../domain/redelivery.js";
import type { AppInstallation, RegisteredApp, WebhookConfig } from "../github/app-setup.js";
import { REQUIRED_EVENTS, REQUIRED_PERMISSIONS } from "./requirements.js";

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** What to do about a failure. */
  fix?: string;
}

const pass = (name: string, detail: string): Check => ({ name, ok: true, detail });
const fail = (name: string, detail: string, fix: string): Check => ({ name, ok: false, detail, fix });

/** Where the app's settings live on GitHub (an org's apps and a user's apps differ). */
export function settingsUrl(app: RegisteredApp, webBase = "https://github.com"): string {
  return app.owner.type === "Organization"
    ? `${webBase}/organizations/${app.owner.login}/settings/apps/${app.slug}`
    : `${webBase}/settings/apps/${app.slug}`;
}

export function checkCredentials(app: RegisteredApp): Check {
  return pass("credentials", `app "${app.name}" (id ${app.id}) owned by ${app.owner.login || "?"}`);
}

const PLACEHOLDER_HOSTS = /^(example\.(com|org|net)|.*\.example\.(com|org|net)|localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\])$/i;

/** The webhook: a URL GitHub can reach that ends at this process, JSON, and a secret. */
export function checkWebhook(config: WebhookConfig, app: RegisteredApp, here: { webhookPath: string; webhookProxyUrl?: string | undefined }): Check[] {
  const settings = settingsUrl(app);
  const checks: Check[] = [];
  const url = config.url.trim();
  const setUrl = `on ${settings} set "Webhook URL" to https://<your host>${here.webhookPath} (or, on a laptop, a smee.io channel that you also set as WEBHOOK_PROXY_URL)`;
  if (!url) {
    checks.push(fail("webhook URL", "not set: GitHub sends the app's webhooks nowhere", setUrl));
  } else if (!URL.canParse(url)) {
    checks.push(fail("webhook URL", `${url} is not a URL`, setUrl));
  } else {
    const parsed = new URL(url);
    const proxied = /(^|\.)smee\.io$/i.test(parsed.hostname) || url === here.webhookProxyUrl;
    if (PLACEHOLDER_HOSTS.test(parsed.hostname)) {
      checks.push(fail("webhook URL", `${url} is a placeholder or a local address that GitHub cannot reach`, setUrl));
    } else if (proxied && url !== here.webhookProxyUrl) {
      checks.push(
        fail(
          "webhook URL",
          `${url} is a proxy channel, but this process does not read it (WEBHOOK_PROXY_URL is ${here.webhookProxyUrl ? here.webhookProxyUrl : "unset"})`,
          `set WEBHOOK_PROXY_URL=${url} in .env, or point the app's webhook at this server on ${settings}`,
        ),
      );
    } else if (!proxied && parsed.pathname.replace(/\/+$/, "") !== here.webhookPath.replace(/\/+$/, "")) {
      checks.push(
        fail(
          "webhook URL",
          `${url} ends in ${parsed.pathname}, but this app receives webhooks at ${here.webhookPath}`,
          `on ${settings} set "Webhook URL" to ${parsed.origin}${here.webhookPath} (or set WEBHOOK_PATH=${parsed.pathname})`,
        ),
      );
    } else {
      checks.push(pass("webhook URL", proxied ? `${url} (a proxy channel this process reads)` : url));
    }
  }
  checks.push(
    config.contentType === "json"
      ? pass("webhook content type", "json")
      : fail("webhook content type", `${config.contentType || "unset"}: the app reads JSON payloads`, `on ${settings} set "Content type" to application/json`),
  );
  checks.push(
    config.secretSet
      ? pass("webhook secret", "set (GitHub signs every delivery; WEBHOOK_SECRET must be the same)")
      : fail("webhook secret", "not set: deliveries are unsigned and the app refuses them", `on ${settings} set a "Webhook secret" and the same value as WEBHOOK_SECRET in .env`),
  );
  if (config.insecureSsl) {
    checks.push(fail("webhook TLS", "SSL verification is disabled for the webhook", `on ${settings} enable SSL verification`));
  }
  return checks;
}

/** Recent deliveries: a GUID whose latest attempt failed is a delivery the app never stored. */
export function checkDeliveries(attempts: DeliveryAttempt[], now: Date, days = 3): Check {
  const since = now.getTime() - days * 86_400_000;
  const recent = attempts.filter((a) => Date.parse(a.deliveredAt) >= since).sort((a, b) => Date.parse(b.deliveredAt) - Date.parse(a.deliveredAt));
  if (recent.length === 0) {
    return pass("recent deliveries", `none in the last ${days} days (GitHub sends one when the app is installed on an org)`);
  }
  const latestByGuid = new Map<string, DeliveryAttempt>();
  for (const attempt of recent) if (!latestByGuid.has(attempt.guid)) latestByGuid.set(attempt.guid, attempt);
  const failed = [...latestByGuid.values()].filter((a) => !attemptSucceeded(a));
  const latest = recent[0]!;
  const latestText = `latest ${latest.event} at ${latest.deliveredAt.slice(0, 16).replace("T", " ")} UTC answered ${latest.statusCode || latest.status}`;
  if (failed.length === 0) return pass("recent deliveries", `${latestByGuid.size} in the last ${days} days, all delivered; ${latestText}`);
  const codes = [...new Set(failed.map((a) => a.statusCode || a.status))].join(", ");
  return fail(
    "recent deliveries",
    `${failed.length} of ${latestByGuid.size} in the last ${days} days failed (${codes}); ${latestText}`,
    "check that the app is running and reachable at its webhook URL, and that WEBHOOK_SECRET matches; " +
      "failed deliveries are redelivered automatically every 15 minutes once the app is up (see the app's Advanced settings for each response)",
  );
}

export function checkInstallations(installations: AppInstallation[], app: RegisteredApp): Check {
  const active = installations.filter((i) => !i.suspended);
  if (active.length === 0) {
    const suspended = installations.length > 0 ? ` (${installations.map((i) => i.account).join(", ")} suspended)` : "";
    return fail("installations", `installed on no organisation${suspended}`, `install it: ${app.htmlUrl}/installations/new`);
  }
  return pass("installations", active.map((i) => i.account).join(", "));
}

export type RosterLookup =
  | { state: "missing"; repoVisible: boolean }
  | { state: "invalid"; problems: string[] }
  | { state: "valid"; summary: string; unknownLogins: string[] };

export function checkRoster(org: string, lookup: RosterLookup): Check {
  const name = `roster of ${org}`;
  const where = `${org}/.github → .github/mentorship.yml`;
  switch (lookup.state) {
    case "missing":
      return lookup.repoVisible
        ? fail(name, `no ${where}`, `write the roster (README, "Roster format"), check it with \`npx mentorship roster check FILE\`, and push it`)
        : fail(name, `the app cannot see ${org}/.github`, `create the ${org}/.github repository, or add it to the installation's repositories`);
    case "invalid":
      return fail(name, `${where} is invalid: ${lookup.problems.join("; ")}`, "fix each line named, then push; the app keeps the last valid roster meanwhile");
    case "valid":
      return lookup.unknownLogins.length > 0
        ? fail(name, `${lookup.summary}; GitHub knows no user ${lookup.unknownLogins.join(", ")}`, "correct those logins in the roster")
        : pass(name, lookup.summary);
  }
}

const LEVEL = { none: 0, read: 1, write: 2, admin: 3 } as Record<string, number>;

/** The events the app subscribes to and the permissions it holds, against what it needs. */
export function checkSubscriptions(app: RegisteredApp): Check[] {
  const settings = settingsUrl(app);
  const missingEvents = REQUIRED_EVENTS.filter((e) => !app.events.includes(e));
  const weak = Object.entries(REQUIRED_PERMISSIONS)
    .filter(([permission, level]) => (LEVEL[app.permissions[permission] ?? "none"] ?? 0) < LEVEL[level]!)
    .map(([permission, level]) => `${permission}: ${level} (has ${app.permissions[permission] ?? "none"})`);
  return [
    missingEvents.length === 0
      ? pass("events", `subscribed to ${REQUIRED_EVENTS.join(", ")}`)
      : fail("events", `not subscribed to ${missingEvents.join(", ")}`, `on ${settings} → Permissions & events, tick ${missingEvents.join(", ")}`),
    weak.length === 0
      ? pass("permissions", Object.entries(REQUIRED_PERMISSIONS).map(([p, l]) => `${p}: ${l}`).join(", "))
      : fail("permissions", `needs ${weak.join(", ")}`, `on ${settings} → Permissions & events, raise them; each org then accepts the new permissions`),
  ];
}

export type DatabaseLookup =
  /** `inbox` once the migrations are applied. */
  | { state: "ready"; where: string; pending: string[]; inbox?: { pending: number; setAside: number } }
  | { state: "in use"; where: string; holder: string }
  | { state: "unreachable"; where: string; reason: string };

export function checkDatabase(lookup: DatabaseLookup): Check {
  switch (lookup.state) {
    case "ready":
      return lookup.pending.length === 0
        ? pass("database", `${lookup.where}: reachable, migrations applied`)
        : fail("database", `${lookup.where}: ${lookup.pending.length} migration(s) not applied (${lookup.pending.join(", ")})`, "run `npx mentorship migrate` (npm start also applies them)");
    case "in use":
      return pass("database", `${lookup.where}: held by the running app (${lookup.holder}), which applied the migrations when it started`);
    case "unreachable":
      return fail("database", `${lookup.where}: ${lookup.reason}`, "start PostgreSQL or correct DATABASE_URL (unset it to use the embedded database)");
  }
}

/** The stored deliveries not expanded into events: a few pending is the worker at work; one set aside is a bug to report. */
export function checkStoredDeliveries(inbox: { pending: number; setAside: number }): Check {
  const waiting = `${inbox.pending} waiting for the worker`;
  if (inbox.setAside === 0) return pass("stored deliveries", `${waiting}, none set aside`);
  return fail(
    "stored deliveries",
    `${waiting}; ${inbox.setAside} set aside: not JSON, or the database refused their events (body kept)`,
    "see `select id, event, expand_error from deliveries where expand_error is not null`, and report it; clearing expand_error retries one",
  );
}
