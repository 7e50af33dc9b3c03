/**
 * The response-time report over the database: the same numbers as `buildReport` in
 * src/domain/stats.ts (its pure twin, which the unit tests exercise and which the integration test
 * compares this with, field for field), computed where the data is.
 *
 * How the work is split between SQL and TS:
 * - SQL, one statement: for the totals, each project, each mentee and each mentor, the request count,
 *   answered count, p50/p90 (`percentile_cont`, rounded to one decimal as stats.ts does), max, the
 *   count answered within the SLA, each mentee's latest login and each mentor's `answeredFirst`. That
 *   touches every request in range, so it runs next to the data: one pass with GROUPING SETS over the
 *   program's rows, found through `requests_program_idx` (installation_id, program_id, opened_at) (the
 *   planner rightly prefers a sequential scan when one program is a large share of the table), and no
 *   per-row or per-group round trips. `latency_seconds` is already stored on the program's clock.
 * - TS: the age of every waiting request, hence `overdue`, the `waiting` list and `withinSla` (whose
 *   denominator is answered + overdue + closed unanswered; SQL counts the last). A business-hours age needs the tz-aware `elapsedSeconds`, which
 *   SQL does not have; and since every waiting request is listed in the report anyway, they are fetched
 *   regardless of the clock, so one TS path for both clocks costs nothing extra and keeps ages identical
 *   to stats.ts by construction. The partial index `requests_waiting_idx` finds them without reading
 *   the answered rows.
 * - TS: the final orderings, with stats.ts's JS string comparisons rather than the database collation.
 * Every query runs in one repeatable-read snapshot, so a thread re-derived mid-report cannot make the
 * waiting list disagree with the counts.
 *
 * Filters (decisions):
 * - On the request's `openedAt`. A date names a whole day of the program's timezone and is included,
 *   as `since` and as `until` (`until=2026-07-01` counts up to the program's midnight that ends July 1).
 *   An instant is inclusive as `since` and exclusive as `until`. The report echoes both the instants
 *   and the days named.
 * - `project` (exact id) narrows the requests to that project; byProject then lists only it and byMentor
 *   only its mentors. A project id that is no longer in the roster still reports its stored requests;
 *   one that neither the roster nor any request knows is an UnknownFilterError, not an empty report.
 * - `mentor` (login, case-insensitive, a leading `@` ignored) narrows the requests to the projects that
 *   person mentors in this program; byProject lists those projects and byMentor only that mentor. A
 *   login that mentors nothing in this program is an UnknownFilterError: all zeros would read as "no
 *   requests", when the login is mistyped or mentors elsewhere.
 * - Both together: the mentor's projects, intersected with the project.
 * - Empty strings count as "no filter", as an empty query parameter does.
 */
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../db/schema.js";
import { type Clock, instantMs } from "../domain/business-time.js";
import { type Person, programWindow, toInstant } from "../domain/program.js";
import { namingOf } from "../domain/privacy.js";
import type { DateBound } from "../commands/parse.js";
import { assemble, groupMentors, setKey, type StatsRow, type WaitingRow } from "./report-assembly.js";
import type { BusinessHours, Instant, ResponseTimeReport } from "../domain/types.js";

export interface ReportFilters {
  /** An instant, or a day of the program's timezone (included). */
  since?: Instant | DateBound | null;
  /** An instant (excluded), or a day of the program's timezone (included). */
  until?: Instant | DateBound | null;
  project?: string | null;
  /** Login, case-insensitive. */
  mentor?: string | null;
}

/** The installation's roster has no program with this id. */
export class UnknownProgramError extends Error {
  readonly programId: string;
  constructor(programId: string) {
    super(`no program "${programId}" in the roster`);
    this.name = "UnknownProgramError";
    this.programId = programId;
  }
}

/** A `project` or `mentor` filter that names nothing in the program: the caller answers 404 naming it. */
export class UnknownFilterError extends Error {
  constructor(
    readonly parameter: "project" | "mentor",
    readonly value: string,
    readonly programId: string,
  ) {
    super(parameter === "project" ? `no project "${value}" in program "${programId}"` : `"${value}" mentors no project in program "${programId}"`);
    this.name = "UnknownFilterError";
  }
}

/** Two installations' rosters use the same program id, and the caller did not say which one it meant. */
export class AmbiguousProgramError extends Error {
  readonly programId: string;
  readonly installationIds: number[];
  constructor(programId: string, installationIds: number[]) {
    super(
      `program "${programId}" exists in installations ${installationIds.join(", ")}: ` +
        `pass --installation <id> to say which one`,
    );
    this.name = "AmbiguousProgramError";
    this.programId = programId;
    this.installationIds = installationIds;
  }
}

export async function listPrograms(
  db: Kysely<Database>,
  installationId: number,
): Promise<Array<{ id: string; name: string; starts: string; ends: string }>> {
  const rows = await db
    .selectFrom("programs")
    .select(["id", "name", "starts", "ends"])
    .where("installation_id", "=", installationId)
    .orderBy("position")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, starts: dateText(r.starts), ends: dateText(r.ends) }));
}

/**
 * Which installation owns a program id (the HTTP API and CLI address programs by id only); null if
 * none. Installations GitHub reported deleted do not count. When two installations use the same id,
 * `installationId` picks one; without it that is an AmbiguousProgramError.
 */
export async function findProgramInstallation(
  db: Kysely<Database>,
  programId: string,
  installationId?: number | null,
): Promise<number | null> {
  let query = db
    .selectFrom("programs")
    .select("programs.installation_id")
    .where("programs.id", "=", programId)
    .where(({ exists, not, selectFrom }) =>
      not(
        exists(
          selectFrom("installations")
            .select("installations.id")
            .whereRef("installations.id", "=", "programs.installation_id")
            .where("installations.deleted_at", "is not", null),
        ),
      ),
    )
    .orderBy("programs.installation_id");
  if (installationId !== undefined && installationId !== null) {
    query = query.where("programs.installation_id", "=", installationId);
  }
  const ids = (await query.execute()).map((r) => Number(r.installation_id));
  if (ids.length > 1) throw new AmbiguousProgramError(programId, ids);
  return ids[0] ?? null;
}

interface ProgramRow {
  timezone: string;
  business_hours: BusinessHours | null;
  sla_seconds: number | null;
  opt_out: Person[] | null;
}

type Sql = RawBuilder<unknown>;

export async function responseTimeReport(
  db: Kysely<Database>,
  installationId: number,
  programId: string,
  filters: ReportFilters,
  now: Date,
): Promise<ResponseTimeReport> {
  const project = filters.project || null;
  const mentorLogin = filters.mentor?.replace(/^@/, "").toLowerCase() || null;
  const generatedAt = toInstant(now);

  const run = async (q: Kysely<Database>): Promise<ResponseTimeReport> => {
    const program = (
      await sql<ProgramRow>`
        select p.timezone, p.business_hours, (r.content->>'slaSeconds')::float8 as sla_seconds,
               r.content->'privacy'->'optOut' as opt_out
        from programs p left join rosters r on r.installation_id = p.installation_id
        where p.installation_id = ${installationId} and p.id = ${programId}`.execute(q)
    ).rows[0];
    if (!program) throw new UnknownProgramError(programId);
    if (program.sla_seconds === null) throw new Error(`installation ${installationId} has programs but no roster`);
    const slaSeconds = Number(program.sla_seconds);
    const naming = namingOf({ optOut: program.opt_out ?? [] });
    const clock: Clock = {
      timezone: program.timezone,
      ...(program.business_hours ? { businessHours: program.business_hours } : {}),
    };
    const { since, until, sinceDate, untilDate } = resolveBounds(filters, program.timezone);
    // Validate here: a bad instant must be a RangeError naming it, not a database cast error.
    const sinceMs = since === null ? null : instantMs(since);
    const untilMs = until === null ? null : instantMs(until);

    const mentorRows = (
      await q
        .selectFrom("enrolments")
        .select(["project_id", "person_id", "login"])
        .where("installation_id", "=", installationId)
        .where("program_id", "=", programId)
        .where("role", "=", "mentor")
        .execute()
    ).map((r) => ({ projectId: r.project_id, id: Number(r.person_id), login: r.login }));

    // Which projects (null: all of them, including ids only the requests still know) and which mentors
    // the filters select.
    let scopeProjects: Set<string> | null = project === null ? null : new Set([project]);
    let scopeMentorIds: Set<number> | null = null;
    if (mentorLogin !== null) {
      const theirs = mentorRows.filter((m) => m.login.toLowerCase() === mentorLogin);
      if (theirs.length === 0) throw new UnknownFilterError("mentor", filters.mentor ?? mentorLogin, programId);
      scopeMentorIds = new Set(theirs.map((m) => m.id));
      const theirProjects = theirs.map((m) => m.projectId);
      scopeProjects = new Set(project === null ? theirProjects : theirProjects.filter((p) => p === project));
    }
    const inScope = (projectId: string) => scopeProjects === null || scopeProjects.has(projectId);
    const mentors = mentorRows.filter(
      (m) => inScope(m.projectId) && (scopeMentorIds === null || scopeMentorIds.has(m.id)),
    );

    const projectRows = await q
      .selectFrom("projects")
      .select(["id", "title"])
      .where("installation_id", "=", installationId)
      .where("program_id", "=", programId)
      .execute();
    if (project !== null && !projectRows.some((p) => p.id === project)) {
      const stored = await q
        .selectFrom("requests")
        .select("id")
        .where("installation_id", "=", installationId)
        .where("program_id", "=", programId)
        .where("project_id", "=", project)
        .limit(1)
        .executeTakeFirst();
      if (!stored) throw new UnknownFilterError("project", project, programId);
    }

    const sinceIso = sinceMs === null ? null : new Date(sinceMs).toISOString();
    const untilIso = untilMs === null ? null : new Date(untilMs).toISOString();
    const projectIds = scopeProjects === null ? null : [...scopeProjects];
    /** The requests the report is about, as a condition on table alias `t`. */
    const inRange = (t: string): Sql => {
      const col = (name: string) => sql.ref(`${t}.${name}`);
      const conditions = [sql`${col("installation_id")} = ${installationId}`, sql`${col("program_id")} = ${programId}`];
      if (sinceIso !== null) conditions.push(sql`${col("opened_at")} >= ${sinceIso}::timestamptz`);
      if (untilIso !== null) conditions.push(sql`${col("opened_at")} < ${untilIso}::timestamptz`);
      if (projectIds !== null) conditions.push(sql`${col("project_id")} = any(${projectIds}::text[])`);
      return sql.join(conditions, sql` and `);
    };

    // A mentor's requests are those of their projects. Most mentors have one project, and their
    // statistics are that project's; only each distinct set of two or more projects needs its own
    // aggregate. Joining every request to each of its project's mentors instead multiplies the rows.
    const mentorGroups = groupMentors(mentors.map((m) => ({ ...m, login: naming.name(m, "mentor") })));
    const projectSets = new Map<string, { no: number; projects: string[] }>();
    for (const m of mentorGroups.values()) {
      if (m.projects.size < 2) continue;
      const key = setKey(m.projects);
      if (!projectSets.has(key)) projectSets.set(key, { no: projectSets.size, projects: [...m.projects] });
    }

    const measured = (column: string, prefix: string) => {
      const c = sql.ref(`s.${column}`);
      const as = (name: string) => sql.raw(`${prefix}${name}`);
      return sql`count(${c})::int as ${as("answered")},
        round((percentile_cont(0.5) within group (order by ${c}))::numeric, 1)::float8 as ${as("p50")},
        round((percentile_cont(0.9) within group (order by ${c}))::numeric, 1)::float8 as ${as("p90")},
        max(${c}) as ${as("max")},
        (count(*) filter (where ${c} <= ${slaSeconds}::float8))::int as ${as("within")}`;
    };
    // A request closed unanswered has no response at all, so it has no mentor response either.
    const aggregates = sql`count(*)::int as requests, ${measured("latency_seconds", "")},
        (count(*) filter (where s.latency_seconds is null and s.closed_unanswered_at is not null))::int as closed_unanswered,
        ${measured("first_mentor_latency_seconds", "m_")}`;
    const setBranch =
      projectSets.size === 0
        ? sql``
        : sql`union all
        select 'set', v.no::text, null, null, ${aggregates}
        from requests s
        join (values ${sql.join(
          [...projectSets.values()].flatMap(({ no, projects }) => projects.map((p) => sql`(${no}::int, ${p}::text)`)),
        )}) as v(no, project_id) on v.project_id = s.project_id
        where ${inRange("s")}
        group by v.no`;
    // One scan of the range for every dimension at once. The (project, responder) set only needs its
    // count (answeredFirst); its unused percentiles cost less than a second scan would. A mentee's login
    // is the one on their latest request, ties going to the greatest (byte order: code-unit order for
    // the ASCII logins GitHub allows, as stats.ts compares); `max(opened_at)` comes free with the
    // aggregate, and an equality lookup on requests_program_idx then finds the rows at that instant.
    const statsRows = (
      await sql<StatsRow>`
        with agg as (
          select grouping(s.project_id, s.mentee_id, s.first_mentor_id) as g,
                 s.project_id, s.mentee_id, s.first_mentor_id, max(s.opened_at) as latest, ${aggregates}
          from requests s
          where ${inRange("s")}
          group by grouping sets ((), (s.project_id), (s.mentee_id), (s.project_id, s.first_mentor_id))
        )
        select case a.g when 7 then 'total' when 3 then 'project' when 5 then 'mentee' else 'first' end as dim,
               coalesce(a.project_id, a.mentee_id::text) as key,
               a.first_mentor_id as person,
               case when a.g = 5 then (
                 select max(r.mentee_login collate "C") from requests r
                 where ${inRange("r")} and r.opened_at = a.latest and r.mentee_id = a.mentee_id
               ) end as login,
               a.requests, a.answered, a.p50, a.p90, a.max, a.within, a.closed_unanswered,
               a.m_answered, a.m_p50, a.m_p90, a.m_max, a.m_within
        from agg a
        ${setBranch}`.execute(q)
    ).rows;

    // Epoch milliseconds rather than timestamptz: no date parsing per row on the client.
    const waitingRows = (
      await sql<WaitingRow>`
        select s.project_id, s.mentee_id, s.mentee_login, s.repo, s.number, s.thread_kind, s.kind,
               (extract(epoch from s.opened_at) * 1000)::float8 as opened_ms, s.latency_seconds is not null as answered
        from requests s
        where ${inRange("s")} and s.first_mentor_latency_seconds is null and s.closed_unanswered_at is null`.execute(q)
    ).rows;

    return assemble({
      programId,
      generatedAt,
      since,
      until,
      sinceDate,
      untilDate,
      clock,
      slaSeconds,
      projects: projectRows.filter((p) => inScope(p.id)),
      mentorGroups,
      projectSets,
      statsRows,
      waitingRows,
      naming,
    });
  };

  if (db.isTransaction) return run(db);
  return db.transaction().setIsolationLevel("repeatable read").setAccessMode("read only").execute(run);
}

/** The filters' bounds as instants, a named day spanning the program's own midnight to midnight. */
export function resolveBounds(
  filters: Pick<ReportFilters, "since" | "until">,
  timezone: string,
): { since: Instant | null; until: Instant | null; sinceDate: string | null; untilDate: string | null } {
  const resolve = (bound: Instant | DateBound | null | undefined, edge: "from" | "to") => {
    if (!bound) return { at: null, date: null };
    if (typeof bound === "string") return { at: bound, date: null };
    if ("instant" in bound) return { at: bound.instant, date: null };
    return { at: programWindow(bound.date, bound.date, timezone)[edge], date: bound.date };
  };
  const since = resolve(filters.since, "from");
  const until = resolve(filters.until, "to");
  return { since: since.at, until: until.at, sinceDate: since.date, untilDate: until.date };
}

function dateText(value: string | Date): string {
  return typeof value === "string" ? value : value.toISOString().slice(0, 10);
}
