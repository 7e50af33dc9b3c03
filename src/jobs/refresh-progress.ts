/**
 * The progress comment: one per project on its tracking issue, edited in place.
 *
 * derive-thread enqueues this job with a per-project job_key in `preserve_run_at` mode, so a burst
 * of events makes one run about `progressDelaySeconds` after the first. A daily cron run (payload
 * without a project) refreshes every project, so "due in N days" stays true on quiet projects.
 */
import type { AppDeps } from "../deps.js";
import { findPostedComment, rememberComment, tryWithLock } from "../db/comments.js";
import { addJob } from "../db/events.js";
import { installationsWithRoster, loadModel } from "../db/rosters.js";
import {
  type AppIdentity,
  appIdentity,
  belongsTo,
  createIssueComment,
  getIssueComment,
  type IssueComment,
  isOwnComment,
  listIssueComments,
  updateIssueComment,
} from "../github/comments.js";
import { installationOctokit, type Octokit } from "../github/octokit.js";
import { hasMarker } from "../render/markers.js";
import { PROGRESS_MARKER_KIND, renderProgress, sameProgressIgnoringUpdated } from "../render/progress.js";
import { eventProgressMarkerKey, renderEventProgress } from "../render/open-program.js";
import { gatherProgressData } from "../reports/progress-data.js";
import { openProgramReport } from "../reports/open-program.js";
import { resolveTrackingIssue, type TrackingIssue } from "./tracking-issue.js";

export interface RefreshProgressPayload {
  installationId?: number;
  programId?: string;
  projectId?: string;
}

export type UpsertResult = "created" | "updated" | "unchanged" | "busy" | "no tracking issue" | "not in roster";

/** A project found busy is looked at again this long afterwards at the soonest: never a tight loop. */
export const BUSY_RETRY_SECONDS = 5;

export async function refreshProgressJob(deps: AppDeps, payload: RefreshProgressPayload): Promise<void> {
  if (typeof payload.installationId !== "number" || !payload.programId || !payload.projectId) {
    await enqueueAllProgress(deps, typeof payload.installationId === "number" ? [payload.installationId] : undefined);
    return;
  }
  const result = await refreshProgress(deps, payload.installationId, payload.programId, payload.projectId);
  deps.log.debug({ installation: payload.installationId, program: payload.programId, project: payload.projectId, result }, "progress comment");
}

/** The same job derive-thread enqueues: one per project, collapsing into any already queued. */
export async function enqueueProgressRefresh(
  deps: Pick<AppDeps, "db" | "timing">,
  installationId: number,
  programId: string,
  projectId: string,
  delaySeconds = deps.timing.progressDelaySeconds,
): Promise<void> {
  await addJob(deps.db, {
    task: "refresh-progress",
    payload: { installationId, programId, projectId },
    key: `progress:${installationId}:${programId}/${projectId}`,
    delaySeconds,
    keyMode: "preserve_run_at",
  });
}

export async function enqueueAllProgress(deps: AppDeps, installationIds?: number[]): Promise<void> {
  for (const installationId of installationIds ?? (await installationsWithRoster(deps.db))) {
    const model = await loadModel(deps.db, installationId);
    for (const program of model?.programs ?? []) {
      for (const project of program.projects) await enqueueProgressRefresh(deps, installationId, program.id, project.id);
    }
  }
}

/** Renders the project's progress (an open program's: the event's) and writes it only when it differs (ignoring the footer's minute). */
export async function refreshProgress(deps: AppDeps, installationId: number, programId: string, projectId: string): Promise<UpsertResult> {
  const model = await loadModel(deps.db, installationId);
  const program = model?.programs.find((p) => p.id === programId);
  const project = program?.projects.find((p) => p.id === projectId);
  if (!model || !program || !project) return "not in roster";

  const octokit = await installationOctokit(deps, installationId);
  const job = { installationId, programId, projectId };
  if (program.open) {
    // An open program has one comment for the whole event, whichever of its projects asked for it.
    if (!program.open.trackingIssue) return "no tracking issue";
    return upsertProgress(deps, octokit, job, program.open.trackingIssue, eventProgressMarkerKey(programId), async (conn) => {
      const report = await openProgramReport(conn, installationId, programId, deps.now());
      return report === null ? null : renderEventProgress(report);
    });
  }
  const issue = await resolveTrackingIssue(deps, octokit, installationId, program, project);
  if (issue === null) return "no tracking issue";
  return upsertProgress(deps, octokit, job, issue, `${programId}/${projectId}`, async (conn, trackingIssue) =>
    renderProgress(await gatherProgressData(conn, model, { installationId, program, project, trackingIssue }, deps.now())),
  );
}

/**
 * Writes the progress comment marked `markerKey` on `issue` when its body (by `render`) changed.
 *
 * Concurrency: reading the current comment and writing the new one happen under a per-comment lock,
 * with the data gathered inside it, so two refreshes never interleave: ten at once make one POST (or
 * one PATCH). The others find it busy and enqueue one follow-up refresh (job_key), which shows whatever
 * happened meanwhile and, when nothing did, writes nothing.
 */
async function upsertProgress(
  deps: AppDeps,
  octokit: Octokit,
  job: { installationId: number; programId: string; projectId: string },
  issue: TrackingIssue | "busy",
  markerKey: string,
  render: (conn: AppDeps["db"], issue: TrackingIssue) => Promise<string | null>,
): Promise<UpsertResult> {
  const { installationId } = job;
  const identity = await appIdentity(deps);
  const locked =
    issue === "busy"
      ? ({ ran: false } as const)
      : await tryWithLock(deps.db, `progress:${installationId}:${markerKey}`, async (conn) => {
          const body = await render(conn, issue);
          if (body === null) return "not in roster" as const;
          const key = `${PROGRESS_MARKER_KIND}:${markerKey}`;
          const remembered = issue.preview ? null : await findPostedComment(conn, installationId, key);
          const current = issue.preview ? null : await findProgressComment(octokit, identity, issue, markerKey, remembered?.commentId ?? null);

          if (!current) {
            const created = await createIssueComment(octokit, issue, body);
            // Under DRY_RUN nothing was created (id 0): remember nothing.
            if (!deps.dryRun) await rememberComment(conn, installationId, key, issue, created.id);
            return "created" as const;
          }
          if (remembered?.commentId !== current.id) await rememberComment(conn, installationId, key, issue, current.id);
          if (sameProgressIgnoringUpdated(current.body, body)) return "unchanged" as const;
          await updateIssueComment(octokit, issue.repo, current.id, body);
          return "updated" as const;
        });
  if (locked.ran) return locked.value;
  await enqueueProgressRefresh(deps, installationId, job.programId, job.projectId, Math.max(deps.timing.progressDelaySeconds, BUSY_RETRY_SECONDS));
  return "busy";
}

/**
 * The app's progress comment on the issue: the one whose id we remember, if it is still there, still
 * ours and still marked; otherwise the oldest of ours carrying the marker on any page. A human's
 * comment quoting the marker never matches: the author must be the app's bot user.
 */
export async function findProgressComment(
  octokit: Octokit,
  identity: AppIdentity,
  issue: TrackingIssue,
  markerKey: string,
  rememberedId: number | null,
): Promise<IssueComment | null> {
  const ours = (c: IssueComment) => isOwnComment(c, identity) && hasMarker(c.body, PROGRESS_MARKER_KIND, markerKey);
  if (rememberedId !== null && rememberedId > 0) {
    const known = await getIssueComment(octokit, issue.repo, rememberedId);
    if (known && ours(known) && belongsTo(known, issue)) return known;
  }
  const comments = await listIssueComments(octokit, issue);
  return comments.find(ours) ?? null;
}
