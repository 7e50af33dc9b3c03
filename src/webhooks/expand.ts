import type { Logger } from "probot";
import type { Transaction } from "kysely";
import { MAINTAINER_FILE_PATHS } from "../domain/maintainer-files.js";
import type { AppDeps } from "../deps.js";
import { type DeliveryToStore, type JobRequest, storeDeliveries } from "../db/events.js";
import { claimPendingDeliveries, type PendingDelivery, setDeliveryAside } from "../db/inbox.js";
import { markInstallationDeleted, upsertInstallation } from "../db/rosters.js";
import type { Database } from "../db/schema.js";
import { normaliseWebhook } from "./normalise.js";
import { ROSTER_PATH, ROSTER_REPO } from "../github/roster.js";
import type { EventKind } from "../domain/types.js";

type Payload = Record<string, any>;

/** Deliveries expanded per transaction: enough to amortise a commit, few enough that a retry is cheap. */
const BATCH = 200;

/**
 * Turns pending deliveries (stored by the request path, src/webhooks/receive.ts) into events, dirty
 * marks and follow-up jobs, a batch per transaction, oldest first, until none is left; returns how
 * many. The transaction that stores a batch's events also clears its bodies, so each delivery is
 * expanded exactly once, and a batch that fails (database gone) leaves its deliveries pending for the
 * job's retry. Events are order-free (derivation sorts them), so batches may run in any order, in two
 * processes at once.
 */
export async function expandPendingDeliveries(deps: Pick<AppDeps, "db" | "log" | "timing">): Promise<number> {
  let expanded = 0;
  for (;;) {
    let count: number;
    try {
      count = await expandBatch(deps, BATCH, []);
    } catch (error) {
      if (!refusedByDatabase(error)) throw error;
      count = await expandOneByOne(deps, BATCH);
    }
    if (count === 0) return expanded;
    expanded += count;
  }
}

/** Claims, expands and stores up to `limit` deliveries in one transaction; `claimed` learns their ids. */
async function expandBatch(deps: Pick<AppDeps, "db" | "log" | "timing">, limit: number, claimed: string[]): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    const pending = await claimPendingDeliveries(trx, limit);
    claimed.push(...pending.map((p) => p.id));
    if (pending.length === 0) return 0;
    const items: DeliveryToStore[] = [];
    for (const delivery of pending) {
      const payload = parsedObject(delivery.body);
      if (payload) items.push(await expandOne(deps, trx, delivery, payload));
      else await setAsideUnparsable(deps, trx, delivery);
    }
    await storeDeliveries(trx, items, deps.timing.deriveDelaySeconds);
    return pending.length;
  });
}

/**
 * After a batch the database refused: each delivery alone, so the one it refuses (a value it cannot
 * store) is set aside, body kept and the reason logged, and does not hold back those behind it.
 */
async function expandOneByOne(deps: Pick<AppDeps, "db" | "log" | "timing">, limit: number): Promise<number> {
  let count = 0;
  while (count < limit) {
    const claimed: string[] = [];
    try {
      if ((await expandBatch(deps, 1, claimed)) === 0) break;
    } catch (error) {
      if (!refusedByDatabase(error) || claimed.length === 0) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      await setDeliveryAside(deps.db, claimed[0]!, reason);
      deps.log.child({ delivery: claimed[0] }).error({ reason }, "the database refused this delivery's events; set aside, body kept");
    }
    count += 1;
  }
  return count;
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity): the data's fault, not the connection's. */
function refusedByDatabase(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^2[23]/.test(code);
}

function parsedObject(body: string): Payload | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Payload) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A signed body that is not JSON (the request path checks only its braces, src/webhooks/http.ts): set
 * aside in the batch's transaction, so it neither stalls the deliveries behind it nor is lost.
 */
async function setAsideUnparsable(deps: Pick<AppDeps, "log">, trx: Transaction<Database>, delivery: PendingDelivery): Promise<void> {
  const reason = "the body is not a JSON object";
  await setDeliveryAside(trx, delivery.id, reason);
  deps.log.child({ delivery: delivery.id, event: delivery.event }).error({ reason }, "a stored delivery cannot be expanded; set aside, body kept");
}

/** One delivery's events and jobs; its installation row changes in the batch's transaction. */
async function expandOne(deps: Pick<AppDeps, "log">, trx: Transaction<Database>, delivery: PendingDelivery, payload: Payload): Promise<DeliveryToStore> {
  const action = typeof payload.action === "string" ? payload.action : null;
  const installationId = typeof payload.installation?.id === "number" ? (payload.installation.id as number) : null;
  const normalised = normaliseSafely(delivery.event, payload, () => eventLog(deps.log, delivery, payload));
  const events = normalised ?? [];
  await applyInstallationChange(trx, delivery.event, action, payload);
  const mayChangeDerivation = events.filter((e) => !(e.actor.isBot && COMMENT_KINDS.has(e.kind)));
  return {
    delivery: { id: delivery.id, installationId, action },
    events,
    derives: (thread) => mayChangeDerivation.some((e) => e.repo === thread.repo && e.number === thread.number),
    jobs: installationId === null ? [] : followUpJobsSafely(delivery.event, action, payload, installationId, () => eventLog(deps.log, delivery, payload)),
  };
}

/**
 * A payload without the fields we need is stored without events (logged); one that makes the
 * normaliser throw is a bug of ours, and must not hold back every delivery queued behind it.
 */
function normaliseSafely(event: string, payload: Payload, log: () => Logger) {
  try {
    const normalised = normaliseWebhook(event, payload);
    if (normalised.ok) return normalised.events;
    log().warn({ reason: normalised.reason }, "payload lacks fields we need; stored without events");
  } catch (error) {
    log().error({ err: error }, "payload could not be normalised; stored without events");
  }
  return null;
}

/** Like normaliseSafely: a payload of a shape we did not foresee must not hold back the deliveries behind it. */
function followUpJobsSafely(event: string, action: string | null, payload: Payload, installationId: number, log: () => Logger): JobRequest[] {
  try {
    return followUpJobs(event, action, payload, installationId);
  } catch (error) {
    log().error({ err: error }, "payload's follow-up jobs could not be worked out; stored without them");
    return [];
  }
}

function eventLog(log: Logger, delivery: PendingDelivery, payload: Payload): Logger {
  return log.child({ delivery: delivery.id, event: delivery.event, repo: payload.repository?.full_name, installation: payload.installation?.id });
}

async function applyInstallationChange(trx: Transaction<Database>, name: string, action: string | null, payload: Payload): Promise<void> {
  if (name !== "installation" && name !== "installation_repositories") return;
  const installation = payload.installation;
  if (typeof installation?.id !== "number" || !installation.account) return;
  if (name === "installation" && action === "deleted") {
    await markInstallationDeleted(trx, installation.id);
    return;
  }
  await upsertInstallation(trx, {
    id: installation.id,
    accountLogin: String(installation.account.login),
    accountId: Number(installation.account.id),
    accountType: String(installation.account.type ?? "Organization"),
  });
}

/**
 * A bot's comment never opens, answers or cancels a request, nor changes a task, so deriving on it
 * changes nothing. Worse, GitHub echoes each of the app's own comment edits back as a delivery, and
 * deriving the tracking issue on that echo refreshed the progress comment, whose edit echoed again.
 * Such events are still stored: the next person's event on the thread derives the same result.
 */
const COMMENT_KINDS: ReadonlySet<EventKind> = new Set(["comment_created", "comment_edited", "comment_deleted", "review_comment_created"]);

function followUpJobs(name: string, action: string | null, payload: Payload, installationId: number): JobRequest[] {
  const jobs: JobRequest[] = [];

  const installationAdded =
    (name === "installation" && (action === "created" || action === "new_permissions_accepted" || action === "unsuspend")) ||
    (name === "installation_repositories" && action === "added");
  if (installationAdded) jobs.push(loadRosterJob(installationId, null));

  if (name === "push" && touchesRoster(payload)) jobs.push(loadRosterJob(installationId, String(payload.after)));
  const maintainerFiles = name === "push" ? touchedMaintainerFiles(payload) : [];
  if (maintainerFiles.length > 0) {
    jobs.push({
      task: "maintainer-files",
      payload: {
        installationId,
        repo: String(payload.repository?.full_name ?? "").toLowerCase(),
        mode: "push",
        sha: String(payload.after),
        at: String(payload.head_commit?.timestamp ?? new Date().toISOString()),
        paths: maintainerFiles,
      },
    });
  }

  if (name === "issue_comment" && action === "created" && isCommand(payload.comment?.body)) {
    jobs.push({
      task: "slash-command",
      payload: {
        installationId,
        repo: String(payload.repository?.full_name ?? "").toLowerCase(),
        number: Number(payload.issue?.number),
        commentId: Number(payload.comment?.id),
        body: String(payload.comment?.body),
        author: { id: Number(payload.comment?.user?.id), login: String(payload.comment?.user?.login), type: String(payload.comment?.user?.type) },
      },
    });
  }
  return jobs;
}

function loadRosterJob(installationId: number, sha: string | null): JobRequest {
  // One roster load at a time per installation; a newer push replaces a queued one.
  return { task: "load-roster", payload: { installationId, sha }, key: `roster:${installationId}`, delaySeconds: 0 };
}

/** The roster lives in the org's `.github` repository; only pushes to its default branch count. */
function touchesRoster(payload: Payload): boolean {
  const repo = payload.repository;
  if (repo?.name !== ROSTER_REPO || payload.ref !== `refs/heads/${repo.default_branch}`) return false;
  const commits: Payload[] = Array.isArray(payload.commits) ? payload.commits : [];
  const paths = commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]);
  // GitHub omits the file lists of very large pushes: then reload to be safe.
  return commits.length === 0 || commits.length >= 2048 || paths.includes(ROSTER_PATH);
}

/** CODEOWNERS / MAINTAINERS files a push to the default branch added or changed (all of them when GitHub omits the lists). */
function touchedMaintainerFiles(payload: Payload): string[] {
  const repo = payload.repository;
  if (payload.ref !== `refs/heads/${repo?.default_branch}` || payload.deleted === true) return [];
  const commits: Payload[] = Array.isArray(payload.commits) ? payload.commits : [];
  if (commits.length === 0 || commits.length >= 2048) return [...MAINTAINER_FILE_PATHS];
  const paths = new Set(commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? [])]));
  return MAINTAINER_FILE_PATHS.filter((path) => paths.has(path));
}

/** Only the first line of a created comment can be a command. */
export function isCommand(body: unknown): boolean {
  return typeof body === "string" && /^\/mentorship(\s|$)/i.test(body.split(/\r?\n/, 1)[0]!.trim());
}
