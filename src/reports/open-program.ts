/**
 * The open program's report (issue 18): who took part and where each PR stands, how fast each
 * repository's maintainers answered, and the totals. The HTTP API and the CLI give all of it to admins;
 * the public progress comment (render/open-program.ts) shows only what names nobody.
 */
import type { Kysely } from "kysely";
import { eventPrLogs, programRequests } from "../db/open-program.js";
import { loadModel } from "../db/rosters.js";
import type { Database } from "../db/schema.js";
import { type Clock, workingDaySeconds } from "../domain/business-time.js";
import { type EventPr, eventPrStandings, type PrCounts, eventRepos, maintainingProject, type Participant, participantsOf } from "../domain/open-program.js";
import { type OpenRules, type ProgramModel, toInstant } from "../domain/program.js";
import { displayModel, namingFor } from "../domain/privacy.js";
import { computeStats, waitingRequests } from "../domain/stats.js";
import type { DerivedRequest, Instant, LatencyStats, WaitingRequest } from "../domain/types.js";
import { threadUrl } from "./report-assembly.js";

export interface RepoReport extends PrCounts {
  repo: string;
  maintainers: string[];
  /** The maintainers' first responses to the participants' requests on this repository. */
  latency: LatencyStats;
  /** Participants' requests no maintainer has answered yet, oldest first. */
  waiting: WaitingRequest[];
}

export interface OpenProgramReport {
  program: string;
  name: string;
  starts: string;
  ends: string;
  timezone: string;
  /** The program's working day under business hours: latencies and ages then count working seconds. */
  workingDaySeconds: number | null;
  generatedAt: Instant;
  /** PRs created in [from, to) take part. */
  window: { from: Instant; to: Instant };
  rules: OpenRules;
  slaSeconds: number;
  totals: PrCounts & { participants: number; reachedGoal: number; flagged: number; latency: LatencyStats };
  participants: Participant[];
  repos: RepoReport[];
}

export class NotOpenProgramError extends Error {
  constructor(readonly programId: string) {
    super(`program "${programId}" is not an open program (it has no open: true in the roster)`);
  }
}

export async function openProgramReport(db: Kysely<Database>, installationId: number, programId: string, now: Date): Promise<OpenProgramReport | null> {
  const model = await loadModel(db, installationId);
  const program = model?.programs.find((p) => p.id === programId);
  if (!model || !program) return null;
  if (!program.open) throw new NotOpenProgramError(programId);
  const at = toInstant(now);
  const repos = eventRepos(program);
  const logs = await eventPrLogs(db, installationId, repos, program.open.window);
  const prs = logs.flatMap((log) => eventPrStandings(model, log, at)).filter((pr) => pr.programId === programId);
  const requests = await programRequests(db, installationId, programId);
  // Opted-out people (roster privacy.optOut) are counted by id and shown only by their label.
  const naming = namingFor(model);
  const shownProgram = displayModel(model).programs.find((p) => p.id === programId)!;
  const shownRequests = requests.map((r) => ({ ...r, menteeLogin: naming.name({ id: r.menteeId, login: r.menteeLogin }, "person") }));
  const report = buildOpenProgramReport(shownProgram, model.slaSeconds, prs, shownRequests, at);
  const shownPr = (pr: EventPr): EventPr => ({ ...pr, authorLogin: naming.name({ id: pr.authorId, login: pr.authorLogin }, "person") });
  return { ...report, participants: report.participants.map((p) => ({ ...p, login: naming.name(p, "person"), prs: p.prs.map(shownPr) })) };
}

/** The report from the event's PRs and the program's requests. Pure. */
export function buildOpenProgramReport(
  program: ProgramModel,
  slaSeconds: number,
  prs: EventPr[],
  requests: DerivedRequest[],
  now: Instant,
): OpenProgramReport {
  const open = program.open!;
  const clock: Clock = { timezone: program.timezone, ...(program.businessHours ? { businessHours: program.businessHours } : {}) };
  const clockOf = () => clock;
  const participants = participantsOf(prs, open.rules.goal);
  const taking = new Set(participants.map((p) => p.id));
  // A draft-only author is no participant yet, and their drafts are no part of the counts.
  const counted = prs.filter((pr) => taking.has(pr.authorId));
  const repos = eventRepos(program).map((repo): RepoReport => {
    const here = requests.filter((r) => r.repo === repo);
    return {
      repo,
      maintainers: maintainingProject(program, repo)?.mentors.map((m) => m.login) ?? [],
      ...countsOf(counted.filter((pr) => pr.repo === repo)),
      latency: computeStats(here, now, slaSeconds, clockOf),
      waiting: waitingRequests(here, now, slaSeconds, clockOf, (r) => threadUrl(r.repo, r.threadKind, r.number)),
    };
  });
  return {
    program: program.id,
    name: program.name,
    starts: program.starts,
    ends: program.ends,
    timezone: program.timezone,
    workingDaySeconds: workingDaySeconds(clock),
    generatedAt: now,
    window: open.window,
    rules: open.rules,
    slaSeconds,
    totals: {
      participants: participants.length,
      ...countsOf(counted),
      reachedGoal: participants.filter((p) => p.reachedGoal).length,
      flagged: participants.filter((p) => p.flagged).length,
      latency: computeStats(requests, now, slaSeconds, clockOf),
    },
    participants,
    repos,
  };
}

function countsOf(prs: EventPr[]): PrCounts {
  const count = (state: EventPr["state"]) => prs.filter((pr) => pr.state === state).length;
  return { prs: prs.length, accepted: count("accepted"), pending: count("pending"), open: count("open"), drafts: count("draft"), excluded: count("excluded") };
}
