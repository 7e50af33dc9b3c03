/**
 * The figures the dashboard draws beyond the report: the distribution of response times, their weekly
 * p50/p90, the queue of waiting requests, and tasks done week by week. Aggregated in SQL (a program can
 * hold 100k requests); the same rows as the report reads, so the totals agree with it.
 */
import { type Kysely, sql } from "kysely";
import type { Database } from "../db/schema.js";
import { elapsedSeconds } from "../domain/business-time.js";
import { addDays } from "../domain/milestones.js";
import { toInstant, type InstallationModel, type ProgramModel } from "../domain/program.js";
import { latencyDistribution as bucketsOf, tasksDoneByWeek, type LatencyDistribution, type TasksDoneByWeek, type WeekLatency } from "../domain/trends.js";
import type { CalendarDate, Instant } from "../domain/types.js";

export interface Scope {
  installationId: number;
  program: ProgramModel;
  /** null: every project of the program. */
  projectIds: string[] | null;
}

function inScope(scope: Scope) {
  const projects = scope.projectIds === null ? sql`true` : sql`project_id = any(${scope.projectIds}::text[])`;
  return sql`installation_id = ${scope.installationId} and program_id = ${scope.program.id} and ${projects}`;
}

const WAITING_BIN = -1;
const CLOSED_BIN = -2;

/**
 * src/domain/trends.ts's `latencyDistribution` and `weeklyLatency`, counted in SQL in one pass over the
 * program's requests (GROUPING SETS: by bucket, and by week). A latency falls in the first bucket whose
 * upper edge is at or above it ((lower, upper], as the SLA itself is within the SLA); weeks are local
 * Mondays, every week from the first to the last listed.
 */
export async function latencyTrends(db: Kysely<Database>, scope: Scope, slaSeconds: number): Promise<{ distribution: LatencyDistribution; weekly: WeekLatency[] }> {
  const shape = bucketsOf([], slaSeconds);
  const edges = shape.buckets.flatMap((b) => (b.toSeconds === null ? [] : [b.toSeconds]));
  const bin = sql.join(edges.map((e) => sql`(latency_seconds > ${e}::float8)::int`), sql` + `);
  // Weeks are grouped as timestamps and named once per group: to_char on every row doubled the query.
  const rows = await sql<{ by_week: boolean; key: string; requests: number; answered: number; closed: number; p50: number | null; p90: number | null }>`
    with r as (
      select date_trunc('week', opened_at at time zone ${scope.program.timezone}) as week,
             case when latency_seconds is not null then ${bin}
                  when closed_unanswered_at is not null then ${CLOSED_BIN} else ${WAITING_BIN} end as bin,
             latency_seconds, closed_unanswered_at
      from requests where ${inScope(scope)}
    ), g as (
      select grouping(bin) = 1 as by_week, week, bin,
             count(*)::int as requests, count(latency_seconds)::int as answered,
             (count(*) filter (where latency_seconds is null and closed_unanswered_at is not null))::int as closed,
             percentile_cont(array[0.5, 0.9]) within group (order by latency_seconds) as p
      from r group by grouping sets ((week), (bin))
    )
    select by_week, coalesce(to_char(week, 'YYYY-MM-DD'), bin::text) as key, requests, answered, closed,
           case when by_week then round(p[1]::numeric, 1)::float8 end as p50,
           case when by_week then round(p[2]::numeric, 1)::float8 end as p90
    from g`.execute(db);

  const counts = new Map(rows.rows.filter((r) => !r.by_week).map((r) => [Number(r.key), r.requests]));
  const buckets = shape.buckets.map((b, i) => ({ ...b, count: counts.get(i) ?? 0 }));
  const distribution = { ...shape, buckets, answered: buckets.reduce((n, b) => n + b.count, 0), waiting: counts.get(WAITING_BIN) ?? 0, closedUnanswered: counts.get(CLOSED_BIN) ?? 0 };

  const byWeek = new Map(rows.rows.filter((r) => r.by_week).map((r) => [r.key, r]));
  const known = [...byWeek.keys()].sort();
  const weekly: WeekLatency[] = [];
  for (let week = known[0]; week !== undefined && week <= known.at(-1)!; week = addDays(week, 7)) {
    const r = byWeek.get(week);
    weekly.push(
      r
        ? { weekStart: week, requests: r.requests, answered: r.answered, waiting: r.requests - r.answered - r.closed, closedUnanswered: r.closed, p50Seconds: r.p50, p90Seconds: r.p90 }
        : { weekStart: week, requests: 0, answered: 0, waiting: 0, closedUnanswered: 0, p50Seconds: null, p90Seconds: null },
    );
  }
  return { distribution, weekly };
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

/** Tasks now done, with the time of their last close: src/domain/trends.ts counts them by week. */
export async function tasksDone(db: Kysely<Database>, scope: Scope): Promise<TasksDoneByWeek> {
  const projects = scope.projectIds === null ? sql`true` : sql`t.project_id = any(${scope.projectIds}::text[])`;
  const rows = await sql<{ project: string; closed_at: Date }>`
    select t.project_id as project, c.closed_at
    from tasks t
    cross join lateral (
      select max(e.occurred_at) as closed_at from events e
      where e.installation_id = t.installation_id and e.repo = t.repo and e.number = t.number and e.kind = 'issue_closed'
    ) c
    where t.installation_id = ${scope.installationId} and t.program_id = ${scope.program.id} and ${projects}
      and t.state = 'done' and c.closed_at is not null`.execute(db);
  const shown = scope.program.projects.filter((p) => scope.projectIds === null || scope.projectIds.includes(p.id));
  return tasksDoneByWeek(
    rows.rows.map((r) => ({ projectId: r.project, doneAt: toInstant(r.closed_at) })),
    shown,
    { timezone: scope.program.timezone, from: scope.program.window.from },
  );
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
