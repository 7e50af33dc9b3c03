/**
 * Program insights at scale (issue 19): 10 years of programs, 5,000 people and 1M events, generated in
 * SQL on a fresh PostgreSQL database; `insightsReport`, the one function behind the API, the CLI and
 * the slash command, timed end to end from the app's side, median over 10 runs after 2 warm-ups.
 *
 * Roster: 20 programs (two a year, 2016-2025), 20 projects each with 2 mentors and 5 mentees drawn
 * from 1,800 mentee ids and 300 mentor ids (so people repeat: slots, returning mentors, conversions);
 * 2,900 more people contribute without being on the roster (the comparison cohort). Events: actors
 * uniform over the 5,000 people, times uniform over the 10 years, kinds mostly contributions, with
 * merges (maintainer signals) and labels (not contributions) mixed in; 2% are bots.
 */
import { performance } from "node:perf_hooks";
import { type Kysely, sql } from "kysely";
import { answeredQuestions, firstContributions, firstMergesOfOthersPullRequests } from "../src/db/insights.js";
import { loadModel, saveRoster, upsertInstallation } from "../src/db/rosters.js";
import type { Database } from "../src/db/schema.js";
import { activityQuestions, computeInsights, insightSettingsOf, maintainerQuestions } from "../src/domain/insights.js";
import type { InstallationModel, Person, ProgramModel } from "../src/domain/program.js";
import { programWindow } from "../src/domain/program.js";
import { insightsReport } from "../src/reports/insights.js";
import { int, ms } from "./lib/format.js";
import { median } from "./lib/load.js";
import type { BenchContext, BenchSection, SectionResult } from "./lib/section.js";

const GOAL_MS = 500;
const RUNS = 10;
const WARMUP = 2;
const INSTALLATION_ID = 4_200_019;
const PEOPLE = 5_000;
const MENTEE_IDS = 1_800;
const MENTOR_IDS = 300;
const NOW = new Date("2026-01-01T00:00:00Z");
/** The app "was installed" before the first program, so every program has a comparison cohort. */
const INSTALLED = "2016-01-01T00:00:00Z";

export const section: BenchSection = { id: "insights", number: 19, title: "Program insights at scale", run };

const person = (id: number): Person => ({ id, login: `person-${id}` });

function model(): InstallationModel {
  const programs: ProgramModel[] = [];
  for (let k = 0; k < 20; k++) {
    const year = 2016 + Math.floor(k / 2);
    const [starts, ends] = k % 2 === 0 ? [`${year}-02-01`, `${year}-05-31`] : [`${year}-07-01`, `${year}-10-31`];
    programs.push({
      id: `program-${k + 1}`,
      name: `Program ${k + 1}`,
      starts,
      ends,
      window: programWindow(starts, ends, "UTC"),
      timezone: "UTC",
      trackingRepo: null,
      milestones: [],
      projects: Array.from({ length: 20 }, (_, j) => ({
        id: `project-${j + 1}`,
        title: `Project ${j + 1}`,
        repos: [`bench-org/repo-${j + 1}`],
        trackingIssue: null,
        mentors: [0, 1].map((m) => person(MENTEE_IDS + 1 + ((k * 40 + j * 2 + m) * 7) % MENTOR_IDS)),
        mentees: [0, 1, 2, 3, 4].map((m) => person(1 + ((k * 100 + j * 5 + m) * 13) % MENTEE_IDS)),
      })),
    });
  }
  return { taskLabel: "mentorship", responders: "mentors", slaSeconds: 172_800, menteeSilenceSeconds: 604_800, reminderSeconds: [], admins: [], ignored: [], programs };
}

async function run(ctx: BenchContext): Promise<SectionResult> {
  const events = ctx.quick ? 100_000 : 1_000_000;
  const scratch = await ctx.createDatabase("insights");
  try {
    const { db } = await scratch.open();
    const phase = ctx.progress.phase(`insights: generating ${int(events)} events for ${int(PEOPLE)} people in SQL`, { total: 2 });
    const t0 = performance.now();
    await upsertInstallation(db, { id: INSTALLATION_ID, accountLogin: "bench-org", accountId: INSTALLATION_ID, accountType: "Organization" });
    await saveRoster(db, INSTALLATION_ID, model(), "bench");
    await sql`update installations set created_at = ${INSTALLED} where id = ${INSTALLATION_ID}`.execute(db);
    await sql`select setseed(0.19)`.execute(db);
    await sql`
      insert into events (installation_id, dedupe_key, source, delivery_id, repo, number, thread_kind, kind,
                          actor_id, actor_login, actor_is_bot, thread_author_id, occurred_at, data)
      select ${INSTALLATION_ID}::bigint, 'bench:' || g, 'webhook', null, 'bench-org/repo-' || (1 + g % 20), 1 + g % 50000, 'pr',
             (array['issue_opened', 'pr_opened', 'comment_created', 'comment_created', 'comment_created', 'review_submitted',
                    'review_comment_created', 'pr_merged', 'issue_labeled', 'pr_synchronize'])[1 + floor(random() * 10)::int],
             s.actor, 'person-' || s.actor, random() < 0.02, 1 + floor(random() * ${PEOPLE})::int,
             timestamptz '2016-01-01 00:00:00+00' + random() * interval '3652 days', '{}'::jsonb
      from (select g, 1 + floor(random() * ${PEOPLE})::int as actor from generate_series(1, ${events}::int) g) s`.execute(db);
    phase.update(1, "analyze");
    await sql`analyze events`.execute(db);
    const generationSeconds = (performance.now() - t0) / 1000;
    phase.end(`${int(events)} events in ${generationSeconds.toFixed(0)} s`);

    const timing = ctx.progress.phase("insights: timing insightsReport over every program", { total: RUNS + WARMUP });
    const times: number[] = [];
    let figures = { mentees: 0, slots: 0, alumni: 0, newcomers: 0, retained90: 0 };
    for (let i = 0; i < RUNS + WARMUP; i++) {
      const started = performance.now();
      const report = await insightsReport(db, INSTALLATION_ID, { programIds: null, since: null, until: null }, NOW);
      const elapsed = performance.now() - started;
      if (i >= WARMUP) times.push(elapsed);
      figures = {
        mentees: report.people.mentees,
        slots: report.people.menteeSlots,
        alumni: report.alumni,
        newcomers: report.comparison.newcomers,
        retained90: report.retention[0]?.retained ?? 0,
      };
      timing.update(i + 1);
    }
    // Where the time goes: each query of insightsReport alone, and the pure computation.
    const parts = await timeParts(db);
    const sorted = [...times].sort((a, b) => a - b);
    const medianMs = median(times);
    timing.end(`median ${ms(medianMs)}`);
    const met = ctx.quick ? null : medianMs < GOAL_MS;
    return {
      status: "measured",
      rows: [
        {
          measure: "data: events · people · programs (mentees, slots, newcomers)",
          value: `${int(events)} · ${int(PEOPLE)} · 20 (${int(figures.mentees)}, ${int(figures.slots)}, ${int(figures.newcomers)}), generated in ${generationSeconds.toFixed(0)} s`,
        },
        {
          measure: `insights over every program: median of ${RUNS}`,
          value: `${ms(medianMs)} (min ${ms(sorted[0]!)}, max ${ms(sorted[sorted.length - 1]!)})`,
          goal: `< ${GOAL_MS} ms`,
          verdict: met,
        },
        ...Object.entries(parts).map(([name, value]) => ({ measure: `  of which ${name}: median of ${RUNS}`, value: ms(value) })),
      ],
      goals: [{ goal: `insights median < ${GOAL_MS} ms over 10 years, 5,000 people, 1M events (PostgreSQL)`, met, actual: ms(medianMs) }],
      method: [
        "20 programs over 10 years, 5,000 people, events generated in SQL with random actors and times; ANALYZE before timing.",
        `insightsReport (first contributions as a skip scan, one probe per retention window, first merges per alumnus), median of ${RUNS} runs after ${WARMUP} warm-ups.`,
      ],
      data: { times, figures, generationSeconds, parts },
    };
  } finally {
    await scratch.drop();
  }
}

async function timeParts(db: Kysely<Database>): Promise<Record<string, number>> {
  const scope = { programIds: null, since: null, until: null };
  const roster = (await loadModel(db, INSTALLATION_ID))!;
  const settings = insightSettingsOf(roster);
  const firsts = await firstContributions(db, INSTALLATION_ID);
  const contributors = { firstContributions: firsts, everyoneFrom: INSTALLED };
  const questions = activityQuestions(roster, scope, settings, NOW, contributors);
  const people = maintainerQuestions(roster, scope);
  const answered = await answeredQuestions(db, INSTALLATION_ID, questions);
  const merges = await firstMergesOfOthersPullRequests(db, INSTALLATION_ID, people);
  const facts = { ...contributors, answered, maintainerSignals: merges, activityFrom: null };
  const steps: Record<string, () => Promise<unknown>> = {
    [`first contributions (${int(firsts.length)} people)`]: () => firstContributions(db, INSTALLATION_ID),
    [`activity windows (${int(questions.length)})`]: () => answeredQuestions(db, INSTALLATION_ID, questions),
    [`first merges (${int(people.length)} alumni)`]: () => firstMergesOfOthersPullRequests(db, INSTALLATION_ID, people),
    "the pure computation": async () => computeInsights(roster, scope, settings, NOW, facts),
  };
  const out: Record<string, number> = {};
  for (const [name, step] of Object.entries(steps)) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await step();
      times.push(performance.now() - t0);
    }
    out[name] = median(times);
  }
  return out;
}
