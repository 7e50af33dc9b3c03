/**
 * The response-time report's TypeScript half (src/reports/response-times.ts runs the SQL): from the
 * statistics rows and the waiting requests, the ages, overdue counts, `withinSla` and the orderings,
 * with stats.ts's comparisons so that the two twins agree field for field. Pure: rows in, report out.
 */
import { type Clock, elapsedSeconds, workingDaySeconds } from "../domain/business-time.js";
import { toInstant } from "../domain/program.js";
import type { Naming } from "../domain/privacy.js";
import type { Instant, LatencyStats, RequestKind, ResponseTimeReport, ThreadKind, WaitingRequest } from "../domain/types.js";

export function threadUrl(repo: string, threadKind: ThreadKind, number: number): string {
  return `https://github.com/${repo}/${threadKind === "pr" ? "pull" : "issues"}/${number}`;
}

/**
 * One row of the statistics statement. `key` is the project id, the mentee id (whose row carries the
 * latest login), or the project set's number; `first` rows count the requests of project `key` that
 * responder `person` answered first.
 */
export interface StatsRow {
  dim: "total" | "project" | "mentee" | "first" | "set";
  key: string | null;
  person: number | string | null;
  login: string | null;
  requests: number;
  answered: number;
  p50: number | null;
  p90: number | null;
  max: number | null;
  within: number;
  closed_unanswered: number;
  /** The same, measured to the first response by one of the project's mentors (byMentor). */
  m_answered: number;
  m_p50: number | null;
  m_p90: number | null;
  m_max: number | null;
  m_within: number;
}

export interface WaitingRow {
  project_id: string;
  mentee_id: number | string;
  mentee_login: string;
  repo: string;
  number: number;
  thread_kind: ThreadKind;
  kind: string;
  opened_ms: number;
  /** Answered by someone allowed, though no mentor of the project yet (only under admins|anyone). */
  answered: boolean;
}

export interface Parts {
  programId: string;
  generatedAt: Instant;
  since: Instant | null;
  until: Instant | null;
  sinceDate: string | null;
  untilDate: string | null;
  clock: Clock;
  slaSeconds: number;
  projects: Array<{ id: string; title: string }>;
  mentorGroups: Map<number, MentorGroup>;
  projectSets: Map<string, { no: number }>;
  statsRows: StatsRow[];
  waitingRows: WaitingRow[];
  /** Opted-out mentors and mentees are shown by their labels (src/domain/privacy.ts). */
  naming: Naming;
}

export function assemble(parts: Parts): ResponseTimeReport {
  const { clock, slaSeconds, generatedAt } = parts;

  let totalOverdue = 0;
  const overdueByProject = new Map<string, number>();
  const overdueByMentee = new Map<number, number>();
  // Waiting for a mentor of the project: the mentors' rows count these as overdue.
  const mentorOverdueByProject = new Map<string, number>();
  const waitingWithMs = parts.waitingRows.flatMap((row) => {
    const openedAt = toInstant(row.opened_ms);
    const age = elapsedSeconds(openedAt, generatedAt, clock);
    const overdue = age > slaSeconds;
    const menteeId = Number(row.mentee_id);
    if (overdue) increment(mentorOverdueByProject, row.project_id);
    if (row.answered) return [];
    if (overdue) {
      totalOverdue++;
      increment(overdueByProject, row.project_id);
      increment(overdueByMentee, menteeId);
    }
    const item: WaitingRequest = {
      mentee: parts.naming.name({ id: menteeId, login: row.mentee_login }, "mentee"),
      repo: row.repo,
      number: row.number,
      url: threadUrl(row.repo, row.thread_kind, row.number),
      kind: row.kind as RequestKind,
      openedAt,
      ageSeconds: age,
      overdue,
    };
    return [{ item, ms: row.opened_ms, menteeId }];
  });
  const waiting = waitingWithMs
    .sort(
      (a, b) =>
        a.ms - b.ms || byText(a.item.repo, b.item.repo) || a.item.number - b.item.number || a.menteeId - b.menteeId,
    )
    .map((w) => w.item);

  let totalsRow: StatsRow | undefined;
  const projectStats = new Map<string, StatsRow>();
  const menteeStats = new Map<number, StatsRow>();
  const latestLogin = new Map<number, string>();
  const setStats = new Map<number, StatsRow>();
  const answeredFirst = new Map<string, number>();
  for (const row of parts.statsRows) {
    const key = row.key as string;
    switch (row.dim) {
      case "total":
        totalsRow = row;
        break;
      case "project":
        projectStats.set(key, row);
        break;
      case "mentee":
        menteeStats.set(Number(key), row);
        latestLogin.set(Number(key), parts.naming.name({ id: Number(key), login: row.login as string }, "mentee"));
        break;
      case "set":
        setStats.set(Number(key), row);
        break;
      case "first":
        if (row.person !== null) answeredFirst.set(`${Number(row.person)}\n${key}`, row.requests);
        break;
    }
  }

  const titles = new Map<string, string>();
  for (const p of parts.projects) titles.set(p.id, p.title);
  for (const id of projectStats.keys()) if (!titles.has(id)) titles.set(id, id);
  const byProject = [...titles.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([id, title]) => ({ id, title, ...toStats(projectStats.get(id), overdueByProject.get(id) ?? 0) }));

  const byMentor = [...parts.mentorGroups.entries()]
    .sort(([idA, a], [idB, b]) => byText(a.login, b.login) || idA - idB)
    .map(([id, { login, projects }]) => {
      let overdue = 0;
      let first = 0;
      for (const p of projects) {
        overdue += mentorOverdueByProject.get(p) ?? 0;
        first += answeredFirst.get(`${id}\n${p}`) ?? 0;
      }
      const row =
        projects.size === 1
          ? projectStats.get(projects.values().next().value as string)
          : setStats.get(parts.projectSets.get(setKey(projects))!.no);
      return { login, answeredFirst: first, ...toStats(row, overdue, "mentor") };
    });

  const byMentee = [...menteeStats.entries()]
    .map(([id, row]) => ({ id, row, login: latestLogin.get(id) as string }))
    .sort((a, b) => byText(a.login, b.login) || a.id - b.id)
    .map(({ id, row, login }) => ({ login, ...toStats(row, overdueByMentee.get(id) ?? 0) }));

  return {
    program: parts.programId,
    generatedAt,
    since: parts.since,
    until: parts.until,
    sinceDate: parts.sinceDate,
    untilDate: parts.untilDate,
    clock: clock.businessHours ? "business" : "calendar",
    workingDaySeconds: workingDaySeconds(clock),
    slaSeconds,
    totals: toStats(totalsRow, totalOverdue),
    byProject,
    byMentor,
    byMentee,
    waiting,
  };
}

/** `mentor`: measured to the first response by a mentor of the project (the m_ columns). */
function toStats(row: StatsRow | undefined, overdue: number, to: "responder" | "mentor" = "responder"): LatencyStats {
  // No row means no requests in the group, and so nothing waiting or overdue either.
  if (!row) {
    return {
      requests: 0,
      answered: 0,
      waiting: 0,
      overdue: 0,
      closedUnanswered: 0,
      p50Seconds: null,
      p90Seconds: null,
      maxSeconds: null,
      withinSla: null,
    };
  }
  const m = to === "mentor";
  const answered = m ? row.m_answered : row.answered;
  const [p50, p90, max] = m ? [row.m_p50, row.m_p90, row.m_max] : [row.p50, row.p90, row.max];
  const denominator = answered + overdue + row.closed_unanswered;
  return {
    requests: row.requests,
    answered,
    waiting: row.requests - answered - row.closed_unanswered,
    overdue,
    closedUnanswered: row.closed_unanswered,
    p50Seconds: p50 === null ? null : Number(p50),
    p90Seconds: p90 === null ? null : Number(p90),
    maxSeconds: max === null ? null : Number(max),
    withinSla: denominator === 0 ? null : (m ? row.m_within : row.within) / denominator,
  };
}

export interface MentorGroup {
  login: string;
  projects: Set<string>;
}

/** One entry per mentor id, with every project they mentor. */
export function groupMentors(rows: Array<{ projectId: string; id: number; login: string }>): Map<number, MentorGroup> {
  const groups = new Map<number, MentorGroup>();
  // Projects in code-unit order, so a mentor listed under two logins gets the one stats.ts picks.
  for (const m of [...rows].sort((a, b) => cmp(a.projectId, b.projectId))) {
    const entry = groups.get(m.id);
    if (entry) entry.projects.add(m.projectId);
    else groups.set(m.id, { login: m.login, projects: new Set([m.projectId]) });
  }
  return groups;
}

export function setKey(projects: Iterable<string>): string {
  return [...projects].sort(cmp).join("\n");
}

function increment<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** stats.ts's order for names: case-insensitive, then case-sensitive, in UTF-16 code units. */
function byText(a: string, b: string): number {
  return cmp(a.toLowerCase(), b.toLowerCase()) || cmp(a, b);
}
