import type { AppDeps } from "../deps.js";
import {
  eventsOfThreads,
  markForDerivation,
  prsLinkingIssue,
  threadEvents,
  threadsTransferredInto,
  threadsWithTransfersIn,
} from "../db/events.js";
import { openedTrackingIssues } from "../db/comments.js";
import { allThreads, replaceThreadStates, type ThreadState } from "../db/derived.js";
import { loadModel } from "../db/rosters.js";
import { menteeEnrolments } from "../domain/enrolments.js";
import type { InstallationModel } from "../domain/program.js";
import { toInstant } from "../domain/program.js";
import { deriveRequests, type MenteeEnrolment, sortEvents } from "../domain/requests.js";
import { deriveTask } from "../domain/tasks.js";
import { eventProgramsOf, participantEnrolments } from "../domain/open-program.js";
import { transferredTo, withTransferredHistory } from "../domain/transfers.js";
import type { ThreadEvent } from "../domain/types.js";
import { enqueueProgressRefresh } from "./refresh-progress.js";

export interface ThreadRef {
  installationId: number;
  repo: string;
  number: number;
}

/**
 * One thread to derive, as versions before the dirty set queued them (jobs still waiting after an
 * upgrade): it joins the dirty set, so that its derivation runs where every other does
 * (src/jobs/derive-dirty.ts), never beside it.
 */
export async function deriveThreadJob(deps: AppDeps, ref: ThreadRef): Promise<void> {
  await deps.db.transaction().execute((trx) => markForDerivation(trx, [ref], deps.timing.deriveDelaySeconds));
}

/** Threads derived together by rederive-installation: one transaction each. */
const REDERIVE_BATCH = 200;

/** After a roster change every thread may change meaning (new mentees, new repos). */
export async function rederiveInstallationJob(deps: AppDeps, payload: { installationId: number }): Promise<void> {
  const context = await loadDerivationContext(deps, payload.installationId);
  if (!context) return;
  const threads = await allThreads(deps.db, payload.installationId);
  for (let i = 0; i < threads.length; i += REDERIVE_BATCH) {
    await deriveThreads(deps, context, payload.installationId, threads.slice(i, i + REDERIVE_BATCH));
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

export interface Derived {
  projects: Array<{ programId: string; projectId: string }>;
  linkedIssues: number[];
  movedTo: { repo: string; number: number } | null;
}

/**
 * Recomputes one thread's task and requests from its whole event log, ordered by payload
 * timestamps: the result never depends on the order deliveries arrived in.
 */
export async function deriveThread(deps: AppDeps, context: DerivationContext, ref: ThreadRef): Promise<Derived> {
  return (await deriveThreads(deps, context, ref.installationId, [ref]))[0]!;
}

/**
 * deriveThread for many threads of one installation at once: their events in one query, their new
 * state in one transaction. Only what is per thread by nature stays per thread: the PRs linking an
 * issue, and the history of a thread transferred into another.
 */
export async function deriveThreads(
  deps: AppDeps,
  context: DerivationContext,
  installationId: number,
  threads: Array<{ repo: string; number: number }>,
): Promise<Derived[]> {
  const events = await eventsOfThreads(deps.db, installationId, threads);
  const transferredInto = await threadsWithTransfersIn(deps.db, installationId, threads);
  const states: ThreadState[] = [];
  const results: Derived[] = [];
  for (const thread of threads) {
    const ref = { installationId, ...thread };
    const own = events.get(`${thread.repo}#${thread.number}`) ?? [];
    const movedTo = transferredTo(own);
    if (movedTo) {
      // Its task and requests live on under the new address, derived there with this history.
      states.push({ thread, task: null, requests: [] });
      results.push({ projects: [], linkedIssues: [], movedTo });
      continue;
    }
    const before: typeof own = [];
    if (transferredInto.has(`${thread.repo}#${thread.number}`)) {
      for (const old of await threadsTransferredInto(deps.db, installationId, thread.repo, thread.number)) {
        before.push(...(await threadEvents(deps.db, installationId, old.repo, old.number)));
      }
    }
    const sorted = sortEvents(withTransferredHistory(own, before, ref));
    const first = sorted[0];
    if (!first) {
      results.push({ projects: [], linkedIssues: [], movedTo: null });
      continue;
    }
    const linkedPrs =
      first.threadKind === "issue"
        ? (await prsLinkingIssue(deps.db, installationId, thread.repo, thread.number)).map((p) => ({
            repo: thread.repo,
            number: p.number,
            merged: p.merged,
            linkedAt: toInstant(p.linkedAt),
          }))
        : [];
    const { state, derived } = deriveFromEvents(context, ref, sorted, linkedPrs);
    states.push(state);
    results.push(derived);
  }
  await replaceThreadStates(deps.db, installationId, states);
  return results;
}

function deriveFromEvents(
  { model, enrolments }: DerivationContext,
  ref: ThreadRef,
  events: ThreadEvent[],
  linkedPrs: Parameters<typeof deriveTask>[2],
): { state: ThreadState; derived: Derived } {
  const first = events[0]!;
  const task = deriveTask(events, model, linkedPrs);
  const thread = { repo: ref.repo, number: ref.number, threadKind: first.threadKind, task: task && { programId: task.programId, projectId: task.projectId } };
  const requests = deriveRequests(events, { ...thread, enrolments });
  // An open program's participants are enrolled by their PRs, not by the roster; measured on their own,
  // so that a mentee's PR that also takes part in an event has its requests in both programs.
  const participants = first.threadKind === "pr" ? participantEnrolments(model, events) : [];
  if (participants.length > 0) requests.push(...deriveRequests(events, { ...thread, enrolments: participants }));

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
  return {
    state: { thread: { repo: ref.repo, number: ref.number }, task, requests },
    derived: { projects: [...projects.values()], linkedIssues, movedTo: null },
  };
}
