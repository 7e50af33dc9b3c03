/**
 * The figures the dashboard draws beyond the report: the distribution of response times, their weekly
 * p50/p90, the queue of waiting requests, and tasks done week by week. Aggregated in SQL (a program can
 * hold 100k requests); the same rows as the report reads, so the totals agree with it.
 */
import { type Kysely, sql } from "kysely";
import type { Database } from "../db/schema.js";
import { elapsedSeconds } from "../domain/business-time.js";
import type { InstallationModel, ProgramModel } from "../domain/program.js";
import type { CalendarDate, Instant } from "../domain/types.js";

export interface Scope {
  installationId: number;
  program: ProgramModel;
  /** null: every project of the program. */
  projectIds: string[] | null;
}

/** Upper bounds of the distribution's bins, in seconds of the program's clock; the last bin is open. */
export const LATENCY_BIN_EDGES = [3600, 4 * 3600, 12 * 3600, 86_400, 2 * 86_400, 4 * 86_400, 7 * 86_400];

function inScope(scope: Scope) {
  const projects = scope.projectIds === null ? sql`true` : sql`project_id = any(${scope.projectIds}::text[])`;
  return sql`installation_id = ${scope.installationId} and program_id = ${scope.program.id} and ${projects}`;
}

/** Answered requests per latency bin (index into LATENCY_BIN_EDGES; the last index is "longer"). */
export async function latencyDistribution(db: Kysely<Database>, scope: Scope): Promise<number[]> {
  const rows = await sql<{ bin: number; n: number }>`
    select width_bucket(latency_seconds, ${LATENCY_BIN_EDGES}::float8[]) as bin, count(*)::int as n
    from requests where ${inScope(scope)} and latency_seconds is not null
    group by 1`.execute(db);
  const counts = new Array<number>(LATENCY_BIN_EDGES.length + 1).fill(0);
  for (const r of rows.rows) counts[Number(r.bin)] = r.n;
  return counts;
}

export interface WeeklyLatency {
  /** Monday of the week the requests were opened, in the program's timezone. */
  week: CalendarDate;
  requests: number;
  answered: number;
  p50Seconds: number | null;
  p90Seconds: number | null;
}

export async function weeklyLatency(db: Kysely<Database>, scope: Scope): Promise<WeeklyLatency[]> {
  const rows = await sql<{ week: string; requests: number; answered: number; p50: number | null; p90: number | null }>`
    select to_char(date_trunc('week', opened_at at time zone ${scope.program.timezone}), 'YYYY-MM-DD') as week,
           count(*)::int as requests, count(latency_seconds)::int as answered,
           round((percentile_cont(0.5) within group (order by latency_seconds))::numeric, 1)::float8 as p50,
           round((percentile_cont(0.9) within group (order by latency_seconds))::numeric, 1)::float8 as p90
    from requests where ${inScope(scope)}
    group by 1 order by 1`.execute(db);
  return rows.rows.map((r) => ({ week: r.week, requests: r.requests, answered: r.answered, p50Seconds: r.p50, p90Seconds: r.p90 }));
}

/**
 * Requests waiting and overdue, as the report counts them (no response by an allowed responder, not
 * closed unanswered; overdue past the SLA on the program's clock), without the report's statistics.
 */
export async function queueCounts(db: Kysely<Database>, model: InstallationModel, scope: Scope, now: Instant): Promise<{ waiting: number; overdue: number }> {
  const rows = await sql<{ opened_ms: number }>`
    select (extract(epoch from opened_at) * 1000)::float8 as opened_ms
    from requests where ${inScope(scope)} and latency_seconds is null and closed_unanswered_at is null`.execute(db);
  const clock = { timezone: scope.program.timezone, ...(scope.program.businessHours ? { businessHours: scope.program.businessHours } : {}) };
  let overdue = 0;
  for (const r of rows.rows) if (elapsedSeconds(new Date(r.opened_ms).toISOString(), now, clock) > model.slaSeconds) overdue++;
  return { waiting: rows.rows.length, overdue };
}

export interface TasksDoneWeek {
  project: string;
  week: CalendarDate;
  done: number;
}

/** Tasks now done, by project and the week (program timezone) of their last close. */
export async function tasksDoneByWeek(db: Kysely<Database>, scope: Scope): Promise<TasksDoneWeek[]> {
  const projects = scope.projectIds === null ? sql`true` : sql`t.project_id = any(${scope.projectIds}::text[])`;
  const rows = await sql<{ project: string; week: string; done: number }>`
    select t.project_id as project, to_char(date_trunc('week', c.closed_at at time zone ${scope.program.timezone}), 'YYYY-MM-DD') as week, count(*)::int as done
    from tasks t
    cross join lateral (
      select max(e.occurred_at) as closed_at from events e
      where e.installation_id = t.installation_id and e.repo = t.repo and e.number = t.number and e.kind = 'issue_closed'
    ) c
    where t.installation_id = ${scope.installationId} and t.program_id = ${scope.program.id} and ${projects}
      and t.state = 'done' and c.closed_at is not null
    group by 1, 2 order by 2, 1`.execute(db);
  return rows.rows;
}

export interface MenteeRequestRow {
  repo: string;
  number: number;
  threadKind: "issue" | "pr";
  kind: string;
  openedAt: Instant;
  respondedAt: Instant | null;
  responder: string | null;
  latencySeconds: number | null;
  closedUnansweredAt: Instant | null;
}

export async function menteeRequests(db: Kysely<Database>, scope: Scope, menteeId: number): Promise<MenteeRequestRow[]> {
  const rows = await db
    .selectFrom("requests")
    .select(["repo", "number", "thread_kind", "kind", "opened_at", "responded_at", "responder_login", "latency_seconds", "closed_unanswered_at"])
    .where("installation_id", "=", scope.installationId)
    .where("program_id", "=", scope.program.id)
    .where("mentee_id", "=", menteeId)
    .$if(scope.projectIds !== null, (q) => q.where("project_id", "in", scope.projectIds!))
    .orderBy("opened_at", "desc")
    .execute();
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString().replace(/\.\d{3}Z$/, "Z"));
  return rows.map((r) => ({
    repo: r.repo,
    number: r.number,
    threadKind: r.thread_kind,
    kind: r.kind,
    openedAt: iso(r.opened_at)!,
    respondedAt: iso(r.responded_at),
    responder: r.responder_login,
    latencySeconds: r.latency_seconds === null ? null : Number(r.latency_seconds),
    closedUnansweredAt: iso(r.closed_unanswered_at),
  }));
}

export interface MenteePullRequest {
  repo: string;
  number: number;
  openedAt: Instant;
  merged: boolean;
}

/** The PRs the mentee opened during the program (anywhere in the installation). */
export async function menteePullRequests(db: Kysely<Database>, scope: Scope, menteeId: number): Promise<MenteePullRequest[]> {
  const { from, to } = scope.program.window;
  const rows = await sql<{ repo: string; number: number; opened: Date; merged: boolean }>`
    select e.repo, e.number, min(e.occurred_at) as opened,
           exists (select 1 from events m where m.installation_id = e.installation_id and m.repo = e.repo and m.number = e.number and m.kind = 'pr_merged') as merged
    from events e
    where e.installation_id = ${scope.installationId} and e.actor_id = ${menteeId} and e.kind = 'pr_opened'
      and e.occurred_at >= ${from}::timestamptz and e.occurred_at < ${to}::timestamptz
    group by e.installation_id, e.repo, e.number order by 3`.execute(db);
  return rows.rows.map((r) => ({ repo: r.repo, number: r.number, openedAt: new Date(r.opened).toISOString().replace(/\.\d{3}Z$/, "Z"), merged: r.merged }));
}
