/**
 * Milestone comments: for each milestone, a new comment on each project's tracking issue at each
 * reminder offset and once after the due date; each (project, milestone, offset) at most once ever.
 * When each is due, and why a late one is skipped: src/domain/reminders.ts.
 *
 * Runs from cron (hourly, payload without an installation), which fans out one job per installation,
 * so a rate-limited or broken installation retries on its own back-off without holding up the others.
 */
import type { AppDeps } from "../deps.js";
import { claimedKeys } from "../db/comments.js";
import { addJob } from "../db/events.js";
import { installationsWithRoster, loadModel } from "../db/rosters.js";
import { namingFor } from "../domain/privacy.js";
import { toInstant } from "../domain/program.js";
import { dueMoment, milestoneMoments } from "../domain/reminders.js";
import { appIdentity } from "../github/comments.js";
import { installationOctokit, type Octokit } from "../github/octokit.js";
import { milestoneMarker, renderMilestoneComment } from "../render/milestone.js";
import { minuteOf, projectTasks, summariseMilestones } from "../reports/progress-data.js";
import { enqueueProgressRefresh } from "./refresh-progress.js";
import { claimKey, postCommentOnce, repairUnconfirmedClaims, resolveTrackingIssue } from "./tracking-issue.js";

export interface InstallationJobPayload {
  /** Absent in the cron run, which enqueues one job per installation. */
  installationId?: number;
}

export async function milestoneCommentsJob(deps: AppDeps, payload: InstallationJobPayload): Promise<void> {
  if (typeof payload.installationId !== "number") {
    await fanOut(deps, "milestone-comments", "milestones");
    return;
  }
  await postMilestoneComments(deps, payload.installationId);
}

/**
 * One job per installation with a roster. `preserve_run_at` keeps a job that is already waiting
 * (possibly backing off after a rate limit) where it is instead of pulling it forward.
 */
export async function fanOut(deps: AppDeps, task: string, keyPrefix: string): Promise<void> {
  for (const installationId of await installationsWithRoster(deps.db)) {
    await addJob(deps.db, { task, payload: { installationId }, key: `${keyPrefix}:${installationId}`, keyMode: "preserve_run_at" });
  }
}

/** Only asks GitHub for a token when something is to be written. */
export function lazyOctokit(deps: AppDeps, installationId: number): () => Promise<Octokit> {
  let octokit: Promise<Octokit> | undefined;
  return () => (octokit ??= installationOctokit(deps, installationId));
}

/** Posts what is due now for one installation; returns how many comments were posted. */
export async function postMilestoneComments(deps: AppDeps, installationId: number): Promise<number> {
  const model = await loadModel(deps.db, installationId);
  if (!model) return 0;
  const now = toInstant(deps.now());
  const octokit = lazyOctokit(deps, installationId);
  await repairUnconfirmedClaims(deps, octokit, () => appIdentity(deps), installationId);

  const naming = namingFor(model);
  let posted = 0;
  for (const program of model.programs) {
    for (const milestone of program.milestones) {
      const moment = dueMoment(milestoneMoments(milestone.due, program.timezone, model.reminderSeconds), now);
      if (!moment) continue;
      const keys = new Map(
        program.projects.map((project) => [
          project.id,
          claimKey(deps, milestoneMarker(program.id, project.id, milestone.id, moment.offsetDays)),
        ]),
      );
      const done = await claimedKeys(deps.db, installationId, [...keys.values()]);
      for (const project of program.projects) {
        const key = keys.get(project.id)!;
        if (done.has(key)) continue;
        const issue = await resolveTrackingIssue(deps, await octokit(), installationId, program, project);
        // "busy": another job is opening the tracking issue right now; the next hourly run posts here.
        if (issue === null || issue === "busy") continue;
        const scope = { installationId, program, project, trackingIssue: issue, naming };
        const summary = summariseMilestones(program, await projectTasks(deps.db, scope), minuteOf(deps.now())).find((m) => m.id === milestone.id)!;
        const body = renderMilestoneComment({
          program: program.id,
          project: project.id,
          milestone,
          offsetDays: moment.offsetDays,
          status: summary.status,
          tasksDone: summary.tasksDone,
          tasksTotal: summary.tasksTotal,
          openTasks: summary.openTasks,
          mentors: project.mentors.map((m) => naming.name(m, "mentor")),
        });
        if (await postCommentOnce(deps, await octokit(), installationId, issue, key, body)) {
          posted++;
          deps.log.info({ installation: installationId, program: program.id, project: project.id, milestone: milestone.id, offset: moment.offsetDays }, "posted milestone comment");
          // The milestone's status and days left just changed meaning: show them in the progress comment too.
          await enqueueProgressRefresh(deps, installationId, program.id, project.id);
        }
      }
    }
  }
  return posted;
}
