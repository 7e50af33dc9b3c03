/**
 * Evaluation reminders and check-in nudges on each project's tracking issue, each once ever (its key
 * is claimed in posted_comments). Runs from cron (hourly) and fans out one job per installation.
 * When each is due: src/domain/evaluation-reminders.ts and src/domain/check-ins.ts.
 */
import type { AppDeps } from "../deps.js";
import { pairKey, projectCheckIns } from "../db/check-ins.js";
import { evaluationRecords } from "../db/evaluations.js";
import { loadModel } from "../db/rosters.js";
import { evaluationRemindersDue } from "../domain/evaluation-reminders.js";
import { checkInStats, missedPeriodToNudge } from "../domain/check-ins.js";
import { termsFor } from "../domain/evaluations.js";
import { displayModel, type Naming, namingFor } from "../domain/privacy.js";
import { isWithin, toInstant, type ProgramModel, type ProjectModel } from "../domain/program.js";
import type { Instant } from "../domain/types.js";
import { appIdentity } from "../github/comments.js";
import { checkInNudgeMarker, renderCheckInNudge } from "../render/check-in-nudge.js";
import { evaluationMarker, renderEvaluationReminder } from "../render/evaluation-reminder.js";
import { fanOut, type InstallationJobPayload, lazyOctokit } from "./milestones.js";
import { claimKey, type DueComment, postDueComments, repairUnconfirmedClaims } from "./tracking-issue.js";

export async function lifecycleRemindersJob(deps: AppDeps, payload: InstallationJobPayload): Promise<void> {
  if (typeof payload.installationId !== "number") {
    await fanOut(deps, "lifecycle-reminders", "lifecycle");
    return;
  }
  await postLifecycleReminders(deps, payload.installationId);
}

/** Posts what is due now for one installation; returns how many comments were posted. */
export async function postLifecycleReminders(deps: AppDeps, installationId: number): Promise<number> {
  const model = await loadModel(deps.db, installationId);
  if (!model) return 0;
  const now = toInstant(deps.now());
  const octokit = lazyOctokit(deps, installationId);
  await repairUnconfirmedClaims(deps, octokit, () => appIdentity(deps), installationId);
  const naming = namingFor(model);
  // An opted-out mentor's or admin's label is no login: they are shown, never mentioned.
  const admins = model.admins.map((a) => naming.name(a, "admin"));

  let posted = 0;
  // Opted-out mentees are listed (and never pinged) by their labels; ids, hence the forms owed, are the same.
  for (const program of displayModel(model).programs) {
    const records = await evaluationRecords(deps.db, installationId, program.id);
    for (const project of program.projects) {
      const mentors = project.mentors.map((m) => naming.name(m, "mentor"));
      const due: DueComment[] = [...(await checkInNudges(deps, installationId, program, project, now, naming))];
      due.push(...evaluationRemindersDue(program, project, records, now).map((reminder) => ({
        key: claimKey(deps, evaluationMarker(program.id, project.id, reminder)),
        body: renderEvaluationReminder({ program: program.id, project: project.id, reminder, mentors, admins }),
        log: { kind: "evaluation", round: reminder.roundId, moment: reminder.moment, due: reminder.due },
      })));
      posted += await postDueComments(deps, octokit, installationId, program, project, due, "posted lifecycle reminder");
    }
  }
  return posted;
}

/** Only while the program runs, only for enrolments still active, one per mentor who missed the period. */
async function checkInNudges(
  deps: AppDeps,
  installationId: number,
  program: ProgramModel,
  project: ProjectModel,
  now: Instant,
  naming: Naming,
): Promise<DueComment[]> {
  const cadenceSeconds = program.checkInSeconds ?? null;
  if (cadenceSeconds === null || !isWithin(now, program.window)) return [];
  const checkIns = await projectCheckIns(deps.db, installationId, program.id, project.id);
  const nudges: DueComment[] = [];
  for (const mentee of project.mentees) {
    const status = termsFor(project.menteeTerms ?? [], mentee.id)?.status ?? "active";
    if (status !== "active") continue;
    for (const mentor of project.mentors) {
      const input = { checkIns: checkIns.get(pairKey(mentor.id, mentee.id)) ?? [], window: program.window, cadenceSeconds, now };
      const period = missedPeriodToNudge(input);
      if (period === null) continue;
      const { lastAt } = checkInStats(input);
      const [mentorKey, menteeKey] = [naming.markerName(mentor, "mentor"), naming.markerName(mentee, "mentee")];
      const shown = { mentor: naming.name(mentor, "mentor"), mentee: naming.name(mentee, "mentee") };
      nudges.push({
        key: claimKey(deps, checkInNudgeMarker(program.id, project.id, mentorKey, menteeKey, period.from)),
        body: renderCheckInNudge({ program: program.id, project: project.id, ...shown, markerNames: { mentor: mentorKey, mentee: menteeKey }, period, cadenceSeconds, lastAt }),
        log: { kind: "check-in", mentor: mentor.login, mentee: mentee.login, periodFrom: period.from },
      });
    }
  }
  return nudges;
}
