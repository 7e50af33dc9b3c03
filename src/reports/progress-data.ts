/**
 * What the progress comment, the milestone comments and the nudges show about one project, gathered
 * in SQL from the derived tables (`tasks`, `requests`) and the event log (`events`).
 *
 * Decisions (also in the README):
 * - A mentee's activity is every event they (their numeric id, never a bot) caused within the
 *   program's window, up to the clock's `now`, in the project's scope: its repos (or, for a project
 *   without repos, the mentee's own threads anywhere), its tracking issue, and its task threads and the
 *   threads with one of its requests (a question to a mentor elsewhere) wherever they live. PRs opened, issues opened and PRs merged count threads;
 *   reviews and comments (issue and review comments) count events. A merge is done by a maintainer,
 *   so "PRs merged" counts the mentee's PRs that were merged, whoever merged them.
 * - Tasks dropped (closed as not planned) do not count towards a milestone's total.
 * - Ages and `now` are rounded down to the minute (nudges show ages to the minute, the progress comment
 *   to the hour), so the rendered body only changes when something visible changed. Activity counts
 *   through the end of that minute.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "../db/schema.js";
import { elapsedSeconds, workingDaySeconds } from "../domain/business-time.js";
import { daysUntil, milestoneStatus } from "../domain/milestones.js";
import { toInstant, type InstallationModel, type ProgramModel, type ProjectModel } from "../domain/program.js";
import type { Naming } from "../domain/privacy.js";
import type { Instant, RequestKind } from "../domain/types.js";
import type { ProgressData, TaskState } from "../render/progress.js";
import { hasLifecycle, projectLifecycle } from "./lifecycle-data.js";

type Db = Kysely<Database> | Transaction<Database>;

export interface ProjectScope {
  installationId: number;
  program: ProgramModel;
  project: ProjectModel;
  /** The project's tracking issue, if it has one: activity there counts as the mentee's. */
  trackingIssue: { repo: string; number: number } | null;
  /** How people are shown: opted-out ones by their labels (src/domain/privacy.ts). */
  naming: Naming;
}

export interface TaskRow {
  repo: string;
  number: number;
  title: string;
  state: TaskState;
  mentee: string | null;
  milestoneId: string | null;
  linkedPr: { repo: string; number: number; merged: boolean } | null;
}

export interface MilestoneSummary {
  id: string;
  title: string;
  due: string;
  tasksDone: number;
  tasksTotal: number;
  status: ProgressData["milestones"][number]["status"];
  openTasks: Array<{ repo: string; number: number; title: string; mentee: string | null }>;
}

export interface WaitingRow {
  mentee: string;
  repo: string;
  number: number;
  kind: RequestKind;
  openedAt: Instant;
  ageSeconds: number;
  overdue: boolean;
}

const MINUTE_MS = 60_000;

/** `now` rounded down to the minute, as an Instant. */
export function minuteOf(now: Date): Instant {
  return toInstant(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS);
}

/**
 * Activity counts through the whole of `now`'s minute: a refresh in the same minute as the last
 * events must show them, since nothing else would queue another refresh for them.
 */
function endOfMinute(now: Instant): Instant {
  return toInstant(Date.parse(now) + MINUTE_MS);
}

export async function projectTasks(db: Db, scope: ProjectScope): Promise<TaskRow[]> {
  return programTasks(db, scope.installationId, scope.program.id, [scope.project.id], scope.naming);
}

/** The tasks of some projects of a program (all of them with null), in one query. */
export async function programTasks(
  db: Db,
  installationId: number,
  programId: string,
  projectIds: readonly string[] | null,
  naming: Naming,
): Promise<TaskRow[]> {
  const rows = await db
    .selectFrom("tasks")
    .select(["repo", "number", "title", "state", "mentee_id", "mentee_login", "milestone_id", "linked_pr_repo", "linked_pr_number", "linked_pr_merged"])
    .where("installation_id", "=", installationId)
    .where("program_id", "=", programId)
    .$if(projectIds !== null, (q) => q.where("project_id", "in", projectIds!.length > 0 ? [...projectIds!] : [""]))
    .orderBy("repo")
    .orderBy("number")
    .execute();
  return rows.map((r) => ({
    repo: r.repo,
    number: r.number,
    title: r.title,
    state: r.state,
    mentee: r.mentee_id === null || r.mentee_login === null ? r.mentee_login : naming.name({ id: r.mentee_id, login: r.mentee_login }, "mentee"),
    milestoneId: r.milestone_id,
    linkedPr:
      r.linked_pr_repo !== null && r.linked_pr_number !== null
        ? { repo: r.linked_pr_repo, number: r.linked_pr_number, merged: r.linked_pr_merged ?? false }
        : null,
  }));
}

/** Per-milestone counts and status, from the project's tasks. Pure. */
export function summariseMilestones(program: ProgramModel, tasks: TaskRow[], now: Instant): MilestoneSummary[] {
  return program.milestones.map((m) => {
    const mine = tasks.filter((t) => t.milestoneId === m.id && t.state !== "dropped");
    const tasksDone = mine.filter((t) => t.state === "done").length;
    const status = milestoneStatus({
      due: m.due,
      now,
      tasksDone,
      tasksTotal: mine.length,
      programStarts: program.starts,
      timezone: program.timezone,
    });
    const openTasks = mine
      .filter((t) => t.state === "open" || t.state === "in progress")
      .map((t) => ({ repo: t.repo, number: t.number, title: t.title, mentee: t.mentee }));
    return { id: m.id, title: m.title, due: m.due, tasksDone, tasksTotal: mine.length, status, openTasks };
  });
}

/** One row per enrolled mentee (zeros when they did nothing yet), in roster order. */
export async function menteeActivity(db: Db, scope: ProjectScope, now: Instant): Promise<ProgressData["activity"]> {
  const mentees = scope.project.mentees;
  if (mentees.length === 0) return [];
  const ids = mentees.map((m) => m.id);
  const { from, to } = scope.program.window;
  const inScope = projectScopeCondition(scope);

  // One statement for both: the events in scope once, counted by who acted and by whose PR was merged.
  const result = await sql<{
    part: "acted" | "merged";
    id: number;
    prs_opened: number | null;
    reviews: number | null;
    issues: number | null;
    comments: number | null;
    last_activity: Date | null;
    prs_merged: number | null;
  }>`
    with scoped as (
      select e.actor_id, e.actor_is_bot, e.thread_author_id, e.thread_kind, e.kind, e.repo, e.number, e.occurred_at
      from events e
      where e.installation_id = ${scope.installationId}
        and ((e.actor_id = any(${ids}::bigint[]) and not e.actor_is_bot)
             or (e.thread_kind = 'pr' and e.kind = 'pr_merged' and e.thread_author_id = any(${ids}::bigint[])))
        and e.occurred_at >= ${from}::timestamptz and e.occurred_at < ${to}::timestamptz and e.occurred_at < ${endOfMinute(now)}::timestamptz
        and (${inScope})
    )
    select 'acted' as part, actor_id as id,
           count(distinct repo || '#' || number) filter (where kind = 'pr_opened')::int as prs_opened,
           count(*) filter (where kind = 'review_submitted')::int as reviews,
           count(distinct repo || '#' || number) filter (where kind = 'issue_opened')::int as issues,
           count(*) filter (where kind in ('comment_created', 'review_comment_created'))::int as comments,
           max(occurred_at) as last_activity,
           null::int as prs_merged
    from scoped
    where actor_id = any(${ids}::bigint[]) and not actor_is_bot
    group by actor_id
    union all
    select 'merged', thread_author_id, null, null, null, null, null, count(distinct repo || '#' || number)::int
    from scoped
    where thread_kind = 'pr' and kind = 'pr_merged' and thread_author_id = any(${ids}::bigint[])
    group by thread_author_id`.execute(db);
  const acted = result.rows.filter((r) => r.part === "acted");
  const merged = result.rows.filter((r) => r.part === "merged");

  const byId = new Map(acted.map((r) => [Number(r.id), r]));
  const mergedById = new Map(merged.map((r) => [Number(r.id), r.prs_merged]));
  return mentees.map((m) => {
    const row = byId.get(m.id);
    return {
      login: scope.naming.name(m, "mentee"),
      prsOpened: row?.prs_opened ?? 0,
      prsMerged: mergedById.get(m.id) ?? 0,
      reviews: row?.reviews ?? 0,
      issues: row?.issues ?? 0,
      comments: row?.comments ?? 0,
      lastActivityAt: row?.last_activity ? toInstant(row.last_activity) : null,
    };
  });
}

function projectScopeCondition(scope: ProjectScope) {
  const repos = scope.project.repos.map((r) => r.toLowerCase());
  const tracking = scope.trackingIssue
    ? sql`(e.repo = ${scope.trackingIssue.repo.toLowerCase()} and e.number = ${scope.trackingIssue.number})`
    : sql`false`;
  // A project without repositories has its mentees' own threads, wherever they are.
  const ownThreads = repos.length === 0 ? sql`e.thread_author_id = e.actor_id` : sql`false`;
  return sql`e.repo = any(${repos}::text[])
    or ${tracking}
    or ${ownThreads}
    or exists (select 1 from tasks t
               where t.installation_id = e.installation_id and t.repo = e.repo and t.number = e.number
                 and t.program_id = ${scope.program.id} and t.project_id = ${scope.project.id})
    or exists (select 1 from requests r
               where r.installation_id = e.installation_id and r.repo = e.repo and r.number = e.number
                 and r.program_id = ${scope.program.id} and r.project_id = ${scope.project.id})`;
}

/**
 * Median latency of the project's answered requests (the first response by an allowed responder:
 * its mentors by default), and the requests still waiting, aged on the program's clock (business
 * hours when it sets them).
 */
export async function responseSummary(
  db: Db,
  scope: ProjectScope,
  slaSeconds: number,
  now: Instant,
): Promise<{ p50Seconds: number | null; waiting: WaitingRow[]; workingDaySeconds: number | null }> {
  const cutoff = endOfMinute(now);
  // One statement: the median on every row, and a single row of nulls when nothing waits.
  const result = await sql<{
    p50: number | null;
    mentee_id: number;
    mentee_login: string;
    repo: string;
    number: number;
    kind: string;
    opened_at: Date;
  }>`
    select m.p50, w.mentee_id, w.mentee_login, w.repo, w.number, w.kind, w.opened_at
    from (select percentile_cont(0.5) within group (order by latency_seconds) as p50
          from requests
          where installation_id = ${scope.installationId} and program_id = ${scope.program.id} and project_id = ${scope.project.id}
            and latency_seconds is not null and responded_at < ${cutoff}::timestamptz) m
    left join lateral (
      select mentee_id, mentee_login, repo, number, kind, opened_at
      from requests
      where installation_id = ${scope.installationId} and program_id = ${scope.program.id} and project_id = ${scope.project.id}
        and opened_at < ${cutoff}::timestamptz
        and (responded_at is null or responded_at >= ${cutoff}::timestamptz)
        and (closed_unanswered_at is null or closed_unanswered_at >= ${cutoff}::timestamptz)
    ) w on true
    order by w.opened_at`.execute(db);
  const rows = result.rows.filter((r) => r.repo !== null);
  const clock = { timezone: scope.program.timezone, ...(scope.program.businessHours ? { businessHours: scope.program.businessHours } : {}) };
  const waiting = rows.map((r) => {
    const openedAt = toInstant(r.opened_at);
    const exact = elapsedSeconds(openedAt, now, clock);
    return {
      mentee: scope.naming.name({ id: r.mentee_id, login: r.mentee_login }, "mentee"),
      repo: r.repo,
      number: r.number,
      kind: r.kind as RequestKind,
      openedAt,
      ageSeconds: Math.max(0, Math.floor(exact / 60) * 60),
      overdue: exact > slaSeconds,
    };
  });
  const raw = result.rows[0]?.p50;
  return { p50Seconds: raw === null || raw === undefined ? null : Math.round(Number(raw) * 10) / 10, waiting, workingDaySeconds: workingDaySeconds(clock) };
}

/** Everything the progress comment shows, as of `now` (rounded down to the minute). */
export async function gatherProgressData(db: Db, model: InstallationModel, scope: ProjectScope, clock: Date): Promise<ProgressData> {
  const now = minuteOf(clock);
  const { program, project } = scope;
  const tasks = await projectTasks(db, scope);
  const milestones = summariseMilestones(program, tasks, now);
  const next = [...program.milestones]
    .map((m) => ({ title: m.title, due: m.due, daysLeft: daysUntil(m.due, now, program.timezone) }))
    .filter((m) => m.daysLeft >= 0)
    .sort((a, b) => a.daysLeft - b.daysLeft)[0];
  const response = await responseSummary(db, scope, model.slaSeconds, now);
  const lifecycle = hasLifecycle(program) ? await projectLifecycle(db, scope.installationId, program, project, now, scope.naming) : null;
  return {
    program: { id: program.id, name: program.name },
    project: { id: project.id, title: project.title },
    mentees: project.mentees.map((p) => ({ login: scope.naming.name(p, "mentee") })),
    mentors: project.mentors.map((p) => ({ login: scope.naming.name(p, "mentor") })),
    now,
    nextMilestone: next ?? null,
    milestones: milestones.map(({ openTasks: _open, ...m }) => m),
    tasks: tasks.map(({ milestoneId: _m, ...t }) => t),
    activity: await menteeActivity(db, scope, now),
    ...(lifecycle === null ? {} : { lifecycle }),
    response: {
      p50Seconds: response.p50Seconds,
      waiting: response.waiting.map((w) => ({ mentee: w.mentee, repo: w.repo, number: w.number, ageSeconds: w.ageSeconds, overdue: w.overdue })),
      workingDaySeconds: response.workingDaySeconds,
    },
  };
}
