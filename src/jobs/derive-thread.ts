import type { AppDeps } from "../deps.js";
import { addJob, type JobRequest, prsLinkingIssue, threadEvents, threadsTransferredInto } from "../db/events.js";
import { openedTrackingIssues } from "../db/comments.js";
import { allThreads, replaceThreadState } from "../db/derived.js";
import { loadModel } from "../db/rosters.js";
import { menteeEnrolments } from "../domain/enrolments.js";
import type { InstallationModel } from "../domain/program.js";
import { toInstant } from "../domain/program.js";
import { deriveRequests, type MenteeEnrolment, sortEvents } from "../domain/requests.js";
import { deriveTask } from "../domain/tasks.js";
import { eventProgramsOf, participantEnrolments } from "../domain/open-program.js";
import { transferredTo, withTransferredHistory } from "../domain/transfers.js";
import { enqueueProgressRefresh } from "./refresh-progress.js";

export interface ThreadRef {
  installationId: number;
  repo: string;
  number: number;
}

/** Debounced: a burst of events on one thread derives it once, `delaySeconds` after the last. */
export function deriveJob(installationId: number, thread: { repo: string; number: number }, delaySeconds: number): JobRequest {
  return {
    task: "derive-thread",
    payload: { installationId, repo: thread.repo, number: thread.number },
    key: `derive:${installationId}:${thread.repo}#${thread.number}`,
    delaySeconds,
  };
}

/**
 * Recomputes one thread's task and requests from its whole event log, ordered by payload
 * timestamps: the result never depends on the order deliveries arrived in.
 */
export async function deriveThreadJob(deps: AppDeps, ref: ThreadRef): Promise<void> {
  const context = await loadDerivationContext(deps, ref.installationId);
  if (!context) return;
  const touched = await deriveThread(deps, context, ref);
  for (const { programId, projectId } of touched.projects) await enqueueProgressRefresh(deps, ref.installationId, programId, projectId);
  for (const issue of touched.linkedIssues) {
    await addJob(deps.db, deriveJob(ref.installationId, { repo: ref.repo, number: issue }, deps.timing.deriveDelaySeconds));
  }
  if (touched.movedTo) await addJob(deps.db, deriveJob(ref.installationId, touched.movedTo, deps.timing.deriveDelaySeconds));
}

/** After a roster change every thread may change meaning (new mentees, new repos). */
export async function rederiveInstallationJob(deps: AppDeps, payload: { installationId: number }): Promise<void> {
  const context = await loadDerivationContext(deps, payload.installationId);
  if (!context) return;
  for (const thread of await allThreads(deps.db, payload.installationId)) {
    await deriveThread(deps, context, { installationId: payload.installationId, ...thread });
  }
  for (const program of context.model.programs) {
    for (const project of program.projects) await enqueueProgressRefresh(deps, payload.installationId, program.id, project.id);
  }
}

/** What every thread of an installation is derived against: read once per job, not once per thread. */
export interface DerivationContext {
  model: InstallationModel;
  enrolments: MenteeEnrolment[];
}

export async function loadDerivationContext(deps: AppDeps, installationId: number): Promise<DerivationContext | null> {
  const model = await loadModel(deps.db, installationId);
  if (!model) return null;
  return { model, enrolments: menteeEnrolments(model, await openedTrackingIssues(deps.db, installationId)) };
}

export async function deriveThread(
  deps: AppDeps,
  { model, enrolments }: DerivationContext,
  ref: ThreadRef,
): Promise<{ projects: Array<{ programId: string; projectId: string }>; linkedIssues: number[]; movedTo: { repo: string; number: number } | null }> {
  const own = await threadEvents(deps.db, ref.installationId, ref.repo, ref.number);
  const movedTo = transferredTo(own);
  if (movedTo) {
    // Its task and requests live on under the new address, derived there with this history.
    await replaceThreadState(deps.db, ref.installationId, ref, null, []);
    return { projects: [], linkedIssues: [], movedTo };
  }
  const before: typeof own = [];
  for (const old of await threadsTransferredInto(deps.db, ref.installationId, ref.repo, ref.number)) {
    before.push(...(await threadEvents(deps.db, ref.installationId, old.repo, old.number)));
  }
  const events = sortEvents(withTransferredHistory(own, before, ref));
  const first = events[0];
  if (!first) return { projects: [], linkedIssues: [], movedTo: null };

  const linkedPrs =
    first.threadKind === "issue"
      ? (await prsLinkingIssue(deps.db, ref.installationId, ref.repo, ref.number)).map((p) => ({
          repo: ref.repo,
          number: p.number,
          merged: p.merged,
          linkedAt: toInstant(p.linkedAt),
        }))
      : [];
  const task = deriveTask(events, model, linkedPrs);
  const thread = { repo: ref.repo, number: ref.number, threadKind: first.threadKind, task: task && { programId: task.programId, projectId: task.projectId } };
  const requests = deriveRequests(events, { ...thread, enrolments });
  // An open program's participants are enrolled by their PRs, not by the roster; measured on their own,
  // so that a mentee's PR that also takes part in an event has its requests in both programs.
  const participants = first.threadKind === "pr" ? participantEnrolments(model, events) : [];
  if (participants.length > 0) requests.push(...deriveRequests(events, { ...thread, enrolments: participants }));
  await replaceThreadState(deps.db, ref.installationId, ref, task, requests);

  const projects = new Map<string, { programId: string; projectId: string }>();
  for (const r of requests) projects.set(`${r.programId}/${r.projectId}`, { programId: r.programId, projectId: r.projectId });
  if (task) projects.set(`${task.programId}/${task.projectId}`, { programId: task.programId, projectId: task.projectId });
  for (const program of model.programs) {
    for (const project of program.projects) {
      // A project without repositories has its mentees' own threads, wherever they are.
      const inScope = project.repos.length === 0 ? project.mentees.some((m) => m.id === first.threadAuthorId) : project.repos.includes(ref.repo);
      const mine = inScope && events.some((e) => project.mentees.some((m) => m.id === e.actor.id));
      if (mine) projects.set(`${program.id}/${project.id}`, { programId: program.id, projectId: project.id });
    }
  }
  for (const program of eventProgramsOf(model, events)) {
    // The event's one progress comment, whichever project's job refreshes it.
    const project = program.projects[0];
    if (project) projects.set(`${program.id}/${project.id}`, { programId: program.id, projectId: project.id });
  }
  const linkedIssues = first.threadKind === "pr" ? [...new Set(events.flatMap((e) => e.data.linkedIssues ?? []))] : [];
  return { projects: [...projects.values()], linkedIssues, movedTo: null };
}
