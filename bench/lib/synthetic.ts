/**
 * Synthetic data for "reports at scale": an installation with 3 programs, a roster saved through the
 * app's own saveRoster (rosters, programs, milestones, projects, enrolments, people), then the event
 * log and the derived requests generated in SQL with generate_series, on one connection.
 *
 * Each request has its own thread (issue or PR) in its project's repository, opened by one of the
 * project's mentees inside the program's dates, and the thread's events are what the app would have
 * stored for it and derive that very request from:
 *   k = 0   the mentee opens the thread: `pr_opened` (not a draft) or `issue_opened`
 *           → request `ready_for_review` / `issue_opened`, opened_by = that event's dedupe key
 *   k = 1   answered: a mentor of the project reviews the PR (`review_submitted`, commented) or comments
 *           on the issue, `latency` seconds later → the response; waiting: a bot comments (no response)
 *   k ≥ 2   follow-ups that open no request and answer none: bot comments, the mentee's pushes
 *           (no "changes requested" review to follow up), mentors' comments and labels after the
 *           answer, and on a waiting issue the mentee's further comments (absorbed by the open request)
 * The integration test (test/integration/bench-synthetic-data.test.ts) re-derives every thread with the
 * app's deriveRequests and checks that it yields exactly the stored requests.
 *
 * Latencies: exponential, 90% with a 6 h mean and 10% with a 24 h mean, at least a minute, at most
 * 10 days; `waitingShare` of the requests are still waiting. Deterministic (setseed).
 */
import { type Kysely, sql } from "kysely";
import type { Database } from "../../src/db/schema.js";
import { saveRoster, upsertInstallation } from "../../src/db/rosters.js";
import type { InstallationModel, Person, ProgramModel } from "../../src/domain/program.js";
import { programWindow } from "../../src/domain/program.js";

export interface SyntheticPlan {
  installationId: number;
  /** Rows in `events`; at least `requests`. */
  events: number;
  /** Rows in `requests`, one thread each. */
  requests: number;
  /** Share of the requests that each program gets; its length is the number of programs. */
  programShares: number[];
  projectsPerProgram: number;
  mentorsPerProject: number;
  menteesPerProject: number;
  waitingShare: number;
}

export const FULL_PLAN: SyntheticPlan = {
  installationId: 4_200_002,
  events: 1_000_000,
  requests: 100_000,
  programShares: [0.5, 0.3, 0.2],
  projectsPerProgram: 20,
  mentorsPerProject: 2,
  menteesPerProject: 3,
  waitingShare: 0.05,
};

export const BOT: Person & { type: "Bot" } = { id: 49_699_333, login: "dependabot[bot]", type: "Bot" };
export const ORG = "synthetic-org";

export interface SyntheticData {
  model: InstallationModel;
  /** Program ids with their request counts, largest first. */
  programs: Array<{ id: string; requests: number }>;
  /** An instant after every program's end: reports are generated "now". */
  now: Date;
  counts: { events: number; requests: number; answered: number; waiting: number };
}

/** The roster: program k runs 120 days from 2025-0(3+k)-01; ids and logins are derived from positions. */
export function syntheticModel(plan: SyntheticPlan): InstallationModel {
  const programs: ProgramModel[] = plan.programShares.map((_, p) => {
    const starts = `2025-0${3 + p}-01`;
    const endsDate = new Date(Date.parse(`${starts}T00:00:00Z`) + 119 * 86_400_000);
    const ends = endsDate.toISOString().slice(0, 10);
    const id = `synthetic-${p + 1}`;
    return {
      id,
      name: `Synthetic program ${p + 1}`,
      starts,
      ends,
      window: programWindow(starts, ends, "UTC"),
      timezone: "UTC",
      trackingRepo: null,
      milestones: [{ id: "final", title: "Final evaluation", due: ends }],
      projects: Array.from({ length: plan.projectsPerProgram }, (_, j) => ({
        id: `project-${j + 1}`,
        title: `Project ${j + 1}`,
        repos: [`${ORG}/p${p + 1}-project-${j + 1}`],
        trackingIssue: null,
        mentors: Array.from({ length: plan.mentorsPerProject }, (_, m) => person(10_000_000, p, j, m, "mentor")),
        mentees: Array.from({ length: plan.menteesPerProject }, (_, m) => person(20_000_000, p, j, m, "mentee")),
      })),
    };
  });
  return {
    taskLabel: "mentorship",
    responders: "mentors",
    slaSeconds: 48 * 3600,
    ignored: [],
    menteeSilenceSeconds: 7 * 86_400,
    reminderSeconds: [10 * 86_400, 5 * 86_400, 0],
    admins: [],
    programs,
  };
}

function person(base: number, p: number, j: number, m: number, role: string): Person {
  return { id: base + p * 10_000 + j * 100 + m, login: `${role}-${p + 1}-${j + 1}-${m + 1}` };
}

/** Requests per program, in `programShares` order; they add up to `plan.requests`. */
export function requestsPerProgram(plan: SyntheticPlan): number[] {
  const counts = plan.programShares.map((share) => Math.floor(plan.requests * share));
  counts[0]! += plan.requests - counts.reduce((a, b) => a + b, 0);
  return counts;
}

/**
 * Writes the roster, then `plan.requests` requests and `plan.events` events, on an empty migrated
 * database. `onStep` reports each step as it starts.
 */
export async function generateSyntheticData(db: Kysely<Database>, plan: SyntheticPlan, onStep: (step: string) => void = () => {}): Promise<SyntheticData> {
  if (plan.events < plan.requests) throw new Error("a synthetic plan needs at least one event per request");
  const model = syntheticModel(plan);
  const inst = plan.installationId;
  onStep("roster");
  await upsertInstallation(db, { id: inst, accountLogin: ORG, accountId: inst, accountType: "Organization" });
  await saveRoster(db, inst, model, "synthetic");

  const perProgram = requestsPerProgram(plan);
  let first = 1;
  const programRows = perProgram.map((n, idx) => {
    const row = sql`(${idx}::int, ${first}::int, ${first + n - 1}::int, ${plan.projectsPerProgram}::int)`;
    first += n;
    return row;
  });
  const projectRows = model.programs.flatMap((program, idx) =>
    program.projects.map(
      (project, j) => sql`(${idx}::int, ${j}::int, ${program.id}::text, ${project.id}::text, ${project.repos[0]!}::text,
        ${project.mentees.map((m) => m.id)}::bigint[], ${project.mentees.map((m) => m.login)}::text[],
        ${project.mentors.map((m) => m.id)}::bigint[], ${project.mentors.map((m) => m.login)}::text[],
        ${program.window.from}::timestamptz, ${program.window.to}::timestamptz)`,
    ),
  );

  await db.connection().execute(async (conn) => {
    await sql`select setseed(0.42)`.execute(conn);
    onStep("threads");
    await sql`drop table if exists bench_threads`.execute(conn);
    await sql`
      create temp table bench_threads as
      with p(idx, first_t, last_t, nproj) as (values ${sql.join(programRows)}),
           pm(pidx, jidx, program_id, project_id, repo, mentee_ids, mentee_logins, mentor_ids, mentor_logins, wfrom, wto) as (
             values ${sql.join(projectRows)}),
           s as (select t, random() as r_open, random() as r_wait, random() as r_lat, random() as r_tail
                 from generate_series(1, ${plan.requests}::int) t)
      select s.t, pm.program_id, pm.project_id, pm.repo,
             case when s.t % 3 = 0 then 'issue' else 'pr' end as thread_kind,
             pm.mentee_ids[1 + (s.t / p.nproj) % cardinality(pm.mentee_ids)] as mentee_id,
             pm.mentee_logins[1 + (s.t / p.nproj) % cardinality(pm.mentee_ids)] as mentee_login,
             pm.mentor_ids[1 + (s.t / (p.nproj * 7)) % cardinality(pm.mentor_ids)] as mentor_id,
             pm.mentor_logins[1 + (s.t / (p.nproj * 7)) % cardinality(pm.mentor_ids)] as mentor_login,
             date_trunc('second', pm.wfrom + (pm.wto - pm.wfrom - interval '1 day') * s.r_open) as opened_at,
             case when s.r_wait < ${plan.waitingShare}::float8 then null
                  else least(864000, greatest(60, round(-ln(1 - s.r_lat) * case when s.r_tail < 0.9 then 21600 else 86400 end)))
             end::float8 as latency
      from s
      join p on s.t between p.first_t and p.last_t
      join pm on pm.pidx = p.idx and pm.jidx = s.t % p.nproj`.execute(conn);
    await sql`create unique index on bench_threads (t)`.execute(conn);
    await sql`analyze bench_threads`.execute(conn);

    onStep("requests");
    await sql`
      insert into requests (installation_id, program_id, project_id, mentee_id, mentee_login, repo, number, thread_kind, kind,
                            opened_at, opened_by, responded_at, response_kind, responder_id, responder_login, latency_seconds,
                            first_mentor_at, first_mentor_id, first_mentor_login, first_mentor_latency_seconds)
      select ${inst}::bigint, program_id, project_id, mentee_id, mentee_login, repo, t, thread_kind,
             case thread_kind when 'pr' then 'ready_for_review' else 'issue_opened' end,
             opened_at,
             case thread_kind when 'pr' then 'pr_opened:PR_b' || t else 'issue_opened:I_b' || t end,
             opened_at + make_interval(secs => latency),
             case when latency is null then null when thread_kind = 'pr' then 'review' else 'comment' end,
             case when latency is null then null else mentor_id end,
             case when latency is null then null else mentor_login end,
             latency,
             -- The responder is the project's mentor: the first response is the first mentor response.
             opened_at + make_interval(secs => latency),
             case when latency is null then null else mentor_id end,
             case when latency is null then null else mentor_login end,
             latency
      from bench_threads order by t`.execute(conn);

    onStep("events");
    // Who does what at step k (see the header): 'mentee', 'mentor' or 'bot', and the event kind.
    await sql`
      insert into events (installation_id, dedupe_key, source, delivery_id, repo, number, thread_kind, kind,
                          actor_id, actor_login, actor_is_bot, thread_author_id, occurred_at, data)
      select ${inst}::bigint, e.dedupe_key, 'webhook', null, t.repo, t.t, t.thread_kind, e.kind,
             case e.who when 'mentee' then t.mentee_id when 'mentor' then t.mentor_id else ${BOT.id}::bigint end,
             case e.who when 'mentee' then t.mentee_login when 'mentor' then t.mentor_login else ${BOT.login}::text end,
             e.who = 'bot', t.mentee_id, e.at,
             jsonb_build_object('title', case t.thread_kind when 'pr' then 'Synthetic pull request ' else 'Synthetic issue ' end || t.t) || e.data
      from generate_series(0, ${plan.events - 1}::int) g
      join bench_threads t on t.t = 1 + g % ${plan.requests}::int
      cross join lateral (select g / ${plan.requests}::int as k, t.latency is not null as answered) s
      cross join lateral (
        select
          case
            when s.k = 0 then 'mentee'
            when s.k = 1 then case when s.answered then 'mentor' else 'bot' end
            when s.answered then case s.k % 3 when 2 then 'bot' when 0 then 'mentor' else case t.thread_kind when 'pr' then 'mentee' else 'mentor' end end
            else case s.k % 2 when 0 then 'bot' else 'mentee' end
          end as who,
          case
            when s.k = 0 then case t.thread_kind when 'pr' then 'pr_opened' else 'issue_opened' end
            when s.k = 1 and s.answered then case t.thread_kind when 'pr' then 'review_submitted' else 'comment_created' end
            when s.k = 1 then 'comment_created'
            when s.answered and s.k % 3 = 1 then case t.thread_kind when 'pr' then 'pr_synchronize' else 'issue_labeled' end
            when not s.answered and s.k % 2 = 1 and t.thread_kind = 'pr' then 'pr_synchronize'
            else 'comment_created'
          end as kind,
          case
            when s.k = 0 then t.opened_at
            when s.k = 1 and s.answered then t.opened_at + make_interval(secs => t.latency)
            when s.answered then t.opened_at + make_interval(secs => t.latency + 600 * s.k)
            else t.opened_at + make_interval(secs => 600 * s.k)
          end as at
      ) w
      cross join lateral (
        select w.who, w.kind, w.at,
          case w.kind
            when 'pr_opened' then 'pr_opened:PR_b' || t.t
            when 'issue_opened' then 'issue_opened:I_b' || t.t
            when 'review_submitted' then 'review_submitted:PRR_b' || t.t || '_' || s.k
            when 'pr_synchronize' then 'pr_synchronize:PR_b' || t.t || ':' || lpad(to_hex(g), 40, '0')
            when 'issue_labeled' then 'issue_labeled:I_b' || t.t || ':bench-' || s.k || ':' || to_char(w.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            else 'comment_created:IC_b' || t.t || '_' || s.k
          end as dedupe_key,
          case w.kind
            when 'pr_opened' then jsonb_build_object('draft', false, 'labels', '[]'::jsonb)
            when 'issue_opened' then jsonb_build_object('labels', '[]'::jsonb)
            when 'review_submitted' then jsonb_build_object('reviewState', 'commented')
            when 'pr_synchronize' then jsonb_build_object('draft', false)
            when 'issue_labeled' then jsonb_build_object('label', 'bench-' || s.k)
            else jsonb_build_object('url', 'https://github.com/' || t.repo || '/issues/' || t.t || '#issuecomment-' || g)
          end as data
      ) e`.execute(conn);
    await sql`drop table bench_threads`.execute(conn);
  });

  onStep("analyze");
  // What autovacuum would have done by the time a table holds this much: statistics and the visibility map.
  await sql`vacuum analyze requests`.execute(db);
  await sql`analyze events`.execute(db);

  const counts = (
    await sql<{ events: number; requests: number; answered: number }>`
      select (select count(*) from events where installation_id = ${inst})::int as events,
             (select count(*) from requests where installation_id = ${inst})::int as requests,
             (select count(latency_seconds) from requests where installation_id = ${inst})::int as answered`.execute(db)
  ).rows[0]!;
  const programs = model.programs.map((p, i) => ({ id: p.id, requests: perProgram[i]! })).sort((a, b) => b.requests - a.requests);
  const lastEnd = Math.max(...model.programs.map((p) => Date.parse(p.window.to)));
  return {
    model,
    programs,
    now: new Date(lastEnd + 86_400_000),
    counts: { ...counts, waiting: counts.requests - counts.answered },
  };
}
