/**
 * Where a project's comments go, and how a comment is posted at most once. Shared by the progress,
 * milestone and nudge jobs.
 */
import type { AppDeps } from "../deps.js";
import {
  claimComment,
  claimedKeys,
  confirmComment,
  findTrackingIssue,
  releaseClaim,
  saveTrackingIssue,
  tryWithLock,
  unconfirmedClaims,
} from "../db/comments.js";
import type { ProgramModel, ProjectModel } from "../domain/program.js";
import {
  type AppIdentity,
  createIssueComment,
  isDefiniteRefusal,
  isOwnComment,
  listIssueComments,
  openIssue,
} from "../github/comments.js";
import type { Octokit } from "../github/octokit.js";
import { marker } from "../render/markers.js";
import { inlineText, mentionEach } from "../render/safe-text.js";

export interface TrackingIssue {
  repo: string;
  number: number;
  /**
   * DRY_RUN only: the issue the app would have opened. It does not exist, so nothing is read from
   * it, and its comments are logged like every other write.
   */
  preview?: true;
}

export const TRACKING_MARKER_KIND = "tracking";

export function trackingIssueTitle(program: ProgramModel, project: ProjectModel): string {
  return `Mentorship: ${program.name} — ${project.title}`;
}

/**
 * Opening the tracking issue mentions the project's people once, on purpose: it subscribes them to
 * the issue where their progress, reminders and nudges will appear. Nothing later mentions mentees.
 */
export function trackingIssueBody(program: ProgramModel, project: ProjectModel): string {
  const people = (list: ProjectModel["mentors"]) => (list.length === 0 ? "—" : mentionEach(list.map((p) => p.login)).join(", "));
  return [
    marker(TRACKING_MARKER_KIND, `${program.id}/${project.id}`),
    `This issue tracks **${inlineText(project.title)}** in ${inlineText(program.name)} (${inlineText(program.starts)} to ${inlineText(program.ends)}).`,
    "",
    `- Mentors: ${people(project.mentors)}`,
    `- Mentees: ${people(project.mentees)}`,
    "",
    "mentorship-tracker keeps one progress comment below up to date, and posts milestone reminders and",
    "a note when a mentee has been quiet or a request waits too long for a mentor.",
    "",
  ].join("\n");
}

/**
 * The project's tracking issue: the roster's, else the one the app opened in the program's
 * `trackingRepo` (opened here the first time), else null (no comments for this project), or "busy"
 * while another job is opening it right now (the caller comes back later).
 *
 * Opening happens under a per-project lock, and the remembered row is re-read under it, so
 * concurrent jobs open one issue. Crash window: if the process dies after GitHub created the issue
 * and before the row is saved (one local INSERT), the next run opens a second issue. That is a few
 * milliseconds, once per project ever, and the result is visible and harmless (an unused issue an
 * admin can close). A roster that later names a tracking issue wins over the remembered one.
 */
export async function resolveTrackingIssue(
  deps: AppDeps,
  octokit: Octokit,
  installationId: number,
  program: ProgramModel,
  project: ProjectModel,
): Promise<TrackingIssue | null | "busy"> {
  if (project.trackingIssue) return project.trackingIssue;
  if (!program.trackingRepo) return null;
  const key = { installationId, programId: program.id, projectId: project.id };
  const known = await findTrackingIssue(deps.db, key);
  if (known) return known;

  const repo = program.trackingRepo;
  const title = trackingIssueTitle(program, project);
  if (deps.dryRun) {
    await openIssue(octokit, repo, title, trackingIssueBody(program, project));
    return { repo, number: 0, preview: true };
  }
  const locked = await tryWithLock(deps.db, `tracking:${installationId}:${program.id}/${project.id}`, async (conn) => {
    const again = await findTrackingIssue(conn, key);
    if (again) return again;
    const opened = await openIssue(octokit, repo, title, trackingIssueBody(program, project));
    await saveTrackingIssue(conn, key, { repo, number: opened.number });
    deps.log.info({ installation: installationId, program: program.id, project: project.id, repo, number: opened.number }, "opened tracking issue");
    return { repo, number: opened.number };
  });
  return locked.ran ? locked.value : "busy";
}

const MARKER = /^<!-- mentorship-tracker:([a-z][a-z0-9-]*:[^\s>]+) -->$/;

/**
 * The `posted_comments` key of a once-only comment: the `kind:key` of its marker (so the repair can
 * find the comment by the key alone), or the same in a separate dry-run namespace.
 */
export function claimKey(deps: Pick<AppDeps, "dryRun">, commentMarker: string): string {
  const m = MARKER.exec(commentMarker);
  if (!m) throw new TypeError(`not a mentorship-tracker marker: ${JSON.stringify(commentMarker)}`);
  return `${deps.dryRun ? "dry-run:" : ""}${m[1]}`;
}

/**
 * Posts a comment that must exist at most once: claim the key (committed), post, store the id.
 *
 * - Two workers, or a retry racing the original: only one claim insert succeeds; the other returns.
 * - GitHub refuses (4xx: rate limit, permissions): nothing was posted, the claim is released, and the
 *   error propagates so the job is retried with back-off.
 * - No answer or a 5xx (GitHub may or may not have posted), or the process dies between claim and
 *   confirm: the claim stays unconfirmed. `repairUnconfirmedClaims` settles it an hour later from the
 *   tracking issue itself: our comment with the marker is there → confirmed; not there → released,
 *   and posted on a later run if it is still due. So a crash can delay a comment, never double it.
 *
 * Under DRY_RUN claims live in their own namespace ("dry-run:…"): each would-be comment is logged once,
 * and turning DRY_RUN off later still posts what is due.
 */
export async function postCommentOnce(
  deps: AppDeps,
  octokit: Octokit,
  installationId: number,
  issue: TrackingIssue,
  key: string,
  body: string,
): Promise<boolean> {
  if (!(await claimComment(deps.db, installationId, key, issue))) return false;
  let commentId: number;
  try {
    commentId = (await createIssueComment(octokit, issue, body)).id;
  } catch (error) {
    if (isDefiniteRefusal(error)) await releaseClaim(deps.db, installationId, key);
    throw error;
  }
  await confirmComment(deps.db, installationId, key, commentId);
  return true;
}

export interface DueComment {
  key: string;
  /** A key the same comment was once posted under (before silence nudges were keyed by id). */
  formerKey?: string;
  body: string;
  /** Fields of the log line written when it is posted. */
  log: Record<string, unknown>;
}

/**
 * Posts on the project's tracking issue each of `due` not posted before, and returns how many it posted.
 * GitHub is asked for nothing when all of them were posted already.
 */
export async function postDueComments(
  deps: AppDeps,
  octokit: () => Promise<Octokit>,
  installationId: number,
  program: ProgramModel,
  project: ProjectModel,
  due: DueComment[],
  logMessage: string,
): Promise<number> {
  const done = await claimedKeys(deps.db, installationId, due.flatMap((d) => (d.formerKey ? [d.key, d.formerKey] : [d.key])));
  const todo = due.filter((d) => !done.has(d.key) && !(d.formerKey && done.has(d.formerKey)));
  if (todo.length === 0) return 0;
  const issue = await resolveTrackingIssue(deps, await octokit(), installationId, program, project);
  // "busy": another job is opening the tracking issue right now; the next hourly run posts here.
  if (issue === null || issue === "busy") return 0;
  let posted = 0;
  for (const item of todo) {
    if (await postCommentOnce(deps, await octokit(), installationId, issue, item.key, item.body)) {
      posted++;
      deps.log.info({ installation: installationId, program: program.id, project: project.id, ...item.log }, logMessage);
    }
  }
  return posted;
}

/** How old an unconfirmed claim must be before it is checked: far longer than any post takes, retries included. */
export const UNCONFIRMED_AFTER_SECONDS = 3600;

/** Settles claims left unconfirmed by a crash or an unanswered request (see `postCommentOnce`). */
export async function repairUnconfirmedClaims(
  deps: AppDeps,
  octokit: () => Promise<Octokit>,
  identity: () => Promise<AppIdentity>,
  installationId: number,
): Promise<void> {
  const claims = (await unconfirmedClaims(deps.db, installationId, UNCONFIRMED_AFTER_SECONDS)).filter((c) => !c.key.startsWith("dry-run:"));
  if (claims.length === 0) return;
  const gh = await octokit();
  const me = await identity();
  const byIssue = new Map<string, typeof claims>();
  for (const c of claims) byIssue.set(`${c.repo}#${c.number}`, [...(byIssue.get(`${c.repo}#${c.number}`) ?? []), c]);
  for (const list of byIssue.values()) {
    const first = list[0]!;
    const comments = (await listIssueComments(gh, { repo: first.repo, number: first.number })).filter((c) => isOwnComment(c, me));
    for (const claim of list) {
      const found = comments.find((c) => c.body.includes(`<!-- mentorship-tracker:${claim.key} -->`));
      if (found) await confirmComment(deps.db, installationId, claim.key, found.id);
      else await releaseClaim(deps.db, installationId, claim.key);
      deps.log.info({ installation: installationId, key: claim.key, found: Boolean(found) }, "settled an unconfirmed comment claim");
    }
  }
}
