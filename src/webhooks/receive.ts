import type { Logger } from "probot";
import { MAINTAINER_FILE_PATHS } from "../domain/maintainer-files.js";
import type { AppDeps } from "../deps.js";
import { type DeliveryToStore, type JobRequest, type StoredDelivery, storeDeliveries } from "../db/events.js";
import { markInstallationDeleted, upsertInstallation } from "../db/rosters.js";
import { normaliseWebhook } from "./normalise.js";
import { ROSTER_PATH, ROSTER_REPO } from "../github/roster.js";
import type { EventKind } from "../domain/types.js";
import { groupCommit } from "./group-commit.js";

interface Delivery {
  id: string;
  name: string;
  payload: unknown;
  log: Logger;
}

type Payload = Record<string, any>;

/** Deliveries stored together at most: about a second's worth at the bench's saturation. */
const MAX_DELIVERIES_PER_COMMIT = 100;

/** One group commit per database handle, so every concurrent delivery of this process can join it. */
const committers = new WeakMap<AppDeps["db"], (item: DeliveryToStore) => Promise<StoredDelivery>>();
function committerFor(deps: AppDeps): (item: DeliveryToStore) => Promise<StoredDelivery> {
  let committer = committers.get(deps.db);
  if (!committer) {
    const { db } = deps;
    const deriveDelaySeconds = deps.timing.deriveDelaySeconds;
    committer = groupCommit({ commit: (items) => storeDeliveries(db, items, deriveDelaySeconds), maxBatch: MAX_DELIVERIES_PER_COMMIT });
    committers.set(deps.db, committer);
  }
  return committer;
}

/**
 * Everything GitHub sends lands here: no GitHub API call, one transaction (delivery, events, dirty
 * marks of the threads to derive, follow-up jobs), shared with the deliveries arriving meanwhile
 * (src/webhooks/group-commit.ts), and the 2xx only after commit. A throw (database down) becomes a 500, so
 * GitHub records the delivery as failed and the redelivery job can ask for it again.
 */
export async function receiveDelivery(deps: AppDeps, delivery: Delivery): Promise<void> {
  const payload = (delivery.payload ?? {}) as Payload;
  const action = typeof payload.action === "string" ? payload.action : null;
  const installationId = typeof payload.installation?.id === "number" ? (payload.installation.id as number) : null;
  const log = delivery.log;

  const normalised = normaliseWebhook(delivery.name, payload);
  if (!normalised.ok) log.warn({ reason: normalised.reason }, "payload lacks fields we need; acknowledged without events");
  const events = normalised.ok ? normalised.events : [];

  await applyInstallationChange(deps, delivery.name, action, payload);

  const mayChangeDerivation = events.filter((e) => !(e.actor.isBot && COMMENT_KINDS.has(e.kind)));
  const result = await committerFor(deps)({
    delivery: { id: delivery.id, event: delivery.name, action, installationId },
    events,
    derives: (thread) => mayChangeDerivation.some((e) => e.repo === thread.repo && e.number === thread.number),
    jobs: installationId === null ? [] : followUpJobs(delivery.name, action, payload, installationId),
  });
  if (result.duplicate) log.info("duplicate delivery ignored");
  else log.debug({ stored: result.stored, threads: result.threads.length }, "delivery stored");
}

async function applyInstallationChange(deps: AppDeps, name: string, action: string | null, payload: Payload): Promise<void> {
  if (name !== "installation" && name !== "installation_repositories") return;
  const installation = payload.installation;
  if (typeof installation?.id !== "number" || !installation.account) return;
  if (name === "installation" && action === "deleted") {
    await markInstallationDeleted(deps.db, installation.id);
    return;
  }
  await upsertInstallation(deps.db, {
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
