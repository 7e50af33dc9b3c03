/**
 * Nudges on a project's tracking issue, mentioning exactly its mentors: a mentee silent for the
 * roster's `sla.menteeSilence`, and a request waiting past `sla.firstResponse`. Once per silence
 * stretch (the marker key holds the mentee's last activity) and once per request (it holds the
 * request's thread and opening instant). When each is due: src/domain/reminders.ts.
 */
import type { AppDeps } from "../deps.js";
import { openedTrackingIssues } from "../db/comments.js";
import { loadModel } from "../db/rosters.js";
import { namingFor } from "../domain/privacy.js";
import { isWithin, toInstant } from "../domain/program.js";
import { overdueNudgeDue, silentFor } from "../domain/reminders.js";
import { appIdentity } from "../github/comments.js";
import { loginSilenceNudgeMarker, overdueNudgeMarker, renderOverdueNudge, renderSilenceNudge, silenceNudgeMarker } from "../render/nudge.js";
import { menteeActivity, minuteOf, responseSummary } from "../reports/progress-data.js";
import { fanOut, type InstallationJobPayload, lazyOctokit } from "./milestones.js";
import { claimKey, type DueComment, postDueComments, repairUnconfirmedClaims } from "./tracking-issue.js";

export async function nudgesJob(deps: AppDeps, payload: InstallationJobPayload): Promise<void> {
  if (typeof payload.installationId !== "number") {
    await fanOut(deps, "nudges", "nudges");
    return;
  }
  await postNudges(deps, payload.installationId);
}

/** Posts the nudges due now for one installation; returns how many were posted. */
export async function postNudges(deps: AppDeps, installationId: number): Promise<number> {
  const model = await loadModel(deps.db, installationId);
  if (!model) return 0;
  const now = toInstant(deps.now());
  const octokit = lazyOctokit(deps, installationId);
  await repairUnconfirmedClaims(deps, octokit, () => appIdentity(deps), installationId);

  const naming = namingFor(model);
  // Tracking issues the app opened, read once per run for every project whose roster names none.
  const opened = await openedTrackingIssues(deps.db, installationId);
  let posted = 0;
  for (const program of model.programs) {
    // An open program's flood of PRs would make a nudge apiece: its progress comment lists what waits instead.
    if (program.open || !isWithin(now, program.window)) continue;
    for (const project of program.projects) {
      // An opted-out mentor's label is no login: they are shown, never mentioned.
      const mentors = project.mentors.map((m) => naming.name(m, "mentor"));
      // Activity on the tracking issue counts; it may not be opened yet, and is not opened just to look.
      const found = opened.find((t) => t.programId === program.id && t.projectId === project.id);
      const known = project.trackingIssue ?? (found ? { repo: found.repo, number: found.number } : null);
      const scope = { installationId, program, project, trackingIssue: known, naming };
      const nudges: DueComment[] = [];

      const activities = await menteeActivity(deps.db, scope, minuteOf(deps.now()));
      // One row per roster mentee, in roster order.
      for (const [i, activity] of activities.entries()) {
        const silent = silentFor({ window: program.window, lastActivityAt: activity.lastActivityAt, silenceSeconds: model.menteeSilenceSeconds, now });
        const mentee = project.mentees[i];
        if (silent === null || mentee === undefined) continue;
        const menteeId = naming.markerName(mentee, "mentee", mentee.id);
        const input = { program: program.id, project: project.id, menteeId, mentee: activity.login, silentSinceSeconds: silent, lastActivityAt: activity.lastActivityAt, mentors };
        nudges.push({
          key: claimKey(deps, silenceNudgeMarker(program.id, project.id, menteeId, activity.lastActivityAt)),
          ...(naming.isOptedOut(mentee.id)
            ? {}
            : { formerKey: claimKey(deps, loginSilenceNudgeMarker(program.id, project.id, mentee.login, activity.lastActivityAt)) }),
          body: renderSilenceNudge(input),
          log: { kind: "silence", mentee: activity.login, lastActivityAt: activity.lastActivityAt },
        });
      }

      const { waiting, workingDaySeconds } = await responseSummary(deps.db, scope, model.slaSeconds, now);
      for (const w of waiting) {
        if (!overdueNudgeDue(w.ageSeconds, model.slaSeconds)) continue;
        const input = { program: program.id, project: project.id, mentee: w.mentee, repo: w.repo, number: w.number, kind: w.kind, openedAt: w.openedAt, ageSeconds: w.ageSeconds, slaSeconds: model.slaSeconds, workingDaySeconds, mentors };
        nudges.push({
          key: claimKey(deps, overdueNudgeMarker(program.id, project.id, w.repo, w.number, w.openedAt)),
          body: renderOverdueNudge(input),
          log: { kind: "overdue", repo: w.repo, number: w.number, openedAt: w.openedAt },
        });
      }

      posted += await postDueComments(deps, octokit, installationId, program, project, nudges, "posted nudge");
    }
  }
  return posted;
}
