/**
 * Measure 21a: sustained ingestion with derivation. The full app with its worker, as src/main.ts runs
 * it (production timing: a thread is derived 2 s after its last event), on PostgreSQL, with a roster,
 * so derivation does its real work (tasks, requests, progress refreshes queued). Signed deliveries
 * arrive at a steady mean rate for a minute; the bench reads the derivation backlog every second, and
 * after the load stops, how long until nothing is left to derive.
 *
 * BENCH_BASELINE=<built checkout> runs that tree's app under the same load first (bench/lib/baseline.ts).
 */
import { performance } from "node:perf_hooks";
import { saveRoster, upsertInstallation } from "../src/db/rosters.js";
import { type InstallationModel, type Person, programWindow } from "../src/domain/program.js";
import { baselineTree, toBaselineSchema } from "./lib/baseline.js";
import { DeliveryStream, INGESTION_MIX, type MixEntry } from "./lib/deliveries.js";
import { int, ms, round } from "./lib/format.js";
import { type LoadResult, runPaced } from "./lib/load.js";
import type { BenchContext, BenchSection, FigureRow, GoalVerdict, SectionResult } from "./lib/section.js";
import { PRODUCTION_TIMING, startTarget, WEBHOOK_PATH, WEBHOOK_SECRET } from "./lib/targets.js";

const INSTALLATION_ID = 4_200_021;
const ORG = "bench-org";
const REPOS = 20;
const FULL = { rate: 300, seconds: 60 };
const QUICK = { rate: 100, seconds: 8 };
const DRAIN_GOAL_SECONDS = 10;
/** Waiting longer than this for the backlog to drain says "not drained" rather than holding the run. */
const DRAIN_CAP_SECONDS = 180;

export const section: BenchSection = {
  id: "sustained",
  number: 21,
  title: "Sustained ingestion with derivation",
  run,
};

const mentees: Person[] = Array.from({ length: 4 }, (_, i) => ({ id: 8_300_000 + i, login: `sustained-mentee-${i}` }));
const mentors: Person[] = Array.from({ length: 2 }, (_, i) => ({ id: 8_310_000 + i, login: `sustained-mentor-${i}` }));

/** A program over the stream's dates (bench/lib/deliveries.ts: from 2026-01-01): two projects over its twenty repositories. */
function model(): InstallationModel {
  const starts = "2025-12-15";
  const ends = "2026-06-30";
  const project = (id: string, repos: string[]) => ({
    id,
    title: `Sustained ${id}`,
    repos,
    trackingIssue: { repo: `${ORG}/community`, number: id === "a" ? 1 : 2 },
    mentors,
    mentees,
  });
  const repos = Array.from({ length: REPOS }, (_, i) => `${ORG}/repo-${i}`);
  return {
    taskLabel: "mentorship",
    responders: "mentors",
    slaSeconds: 48 * 3600,
    ignored: [],
    menteeSilenceSeconds: 7 * 86400,
    reminderSeconds: [10 * 86400, 5 * 86400, 0],
    admins: [],
    programs: [
      {
        id: "sustained-2026",
        name: "Sustained program",
        starts,
        ends,
        window: programWindow(starts, ends, "UTC"),
        timezone: "UTC",
        trackingRepo: `${ORG}/community`,
        milestones: [],
        projects: [project("a", repos.slice(0, REPOS / 2)), project("b", repos.slice(REPOS / 2))],
      },
    ],
  };
}

/** Threads belong to the roster's mentees; a third of the activity is a mentor's answer. */
function shape(p: Record<string, any>, seq: number, entry: MixEntry): void {
  const user = (person: Person) => ({ id: person.id, login: person.login, type: "User", node_id: `U_${person.id}` });
  const isPr = entry.name.startsWith("pull_request");
  const thread = isPr ? p.pull_request : p.issue;
  const author = mentees[Number(thread?.number ?? seq) % mentees.length]!;
  if (thread) thread.user = user(author);
  const actor = seq % 3 === 0 ? mentors[seq % mentors.length]! : author;
  p.sender = user(actor);
  if (p.comment) p.comment.user = user(actor);
  if (p.review) p.review.user = user(actor);
}

interface Sample {
  second: number;
  backlog: number;
}

interface Measured {
  label: string;
  load: LoadResult;
  samples: Sample[];
  peakBacklog: number;
  drainSeconds: number | null;
  stored: { deliveries: number; events: number; requests: number; tasks: number };
  warnings: number;
}

async function run(ctx: BenchContext): Promise<SectionResult> {
  const plan = ctx.quick ? QUICK : FULL;
  const tree = baselineTree();
  const measured: Measured[] = [];
  if (tree) measured.push(await measure(ctx, plan, "before", tree));
  measured.push(await measure(ctx, plan, "after", undefined));
  return summarise(measured, plan, ctx.quick, tree);
}

async function measure(ctx: BenchContext, plan: typeof FULL, label: string, tree: string | undefined): Promise<Measured> {
  const scratch = await ctx.createDatabase(`sustained-${label}`);
  try {
    if (tree) await toBaselineSchema(scratch, tree);
    const { db } = await scratch.open();
    await upsertInstallation(db, { id: INSTALLATION_ID, accountLogin: ORG, accountId: 4_200_021, accountType: "Organization" });
    await saveRoster(db, INSTALLATION_ID, model(), null);
    const target = await startTarget(`sustained-${label}`, { kind: "app", databaseUrl: scratch.url, worker: true, crontab: "", timing: PRODUCTION_TIMING }, tree);
    try {
      const has = async (relation: string) =>
        (await target.query<{ present: boolean }>(`select to_regclass('${relation}') is not null as present`))[0]!.present;
      const dirty = await has("dirty_threads");
      const inbox = await has("deliveries_pending_idx");
      // Work not done yet: deliveries stored but not expanded into events (the inbox, since issue 21),
      // queued per-thread jobs (the only kind before the dirty set), and marked threads.
      const backlogSql = `select (select count(*) from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
                                  where t.identifier = 'derive-thread')::int ${dirty ? "+ (select count(*) from dirty_threads)::int" : ""}
                                  ${inbox ? "+ (select count(*) from deliveries where body is not null and expand_error is null)::int" : ""} as n`;
      const backlog = async () => (await target.query<{ n: number }>(backlogSql))[0]!.n;

      const stream = new DeliveryStream({ secret: WEBHOOK_SECRET, installationId: INSTALLATION_ID, org: ORG, repos: REPOS, mix: INGESTION_MIX, seed: 21, shape });
      const samples: Sample[] = [];
      const started = performance.now();
      let loading = true;
      const sampler = (async () => {
        for (let next = 1; loading; next++) {
          await new Promise((r) => setTimeout(r, Math.max(0, started + next * 1000 - performance.now())));
          if (loading) samples.push({ second: next, backlog: await backlog() });
        }
      })();
      const phase = ctx.progress.phase(`sustained (${label}): ${plan.rate} deliveries/s for ${plan.seconds} s, worker on`, { seconds: plan.seconds });
      const load = await runPaced({ url: target.url, path: WEBHOOK_PATH, rate: plan.rate, seconds: plan.seconds, next: () => stream.next(), seed: 21 });
      loading = false;
      await sampler;
      const stopped = performance.now();
      phase.end(`${int(load.ok)} acknowledged, p99 ${ms(load.latencyMs.p99)}, backlog ${samples[samples.length - 1]?.backlog ?? 0}`);

      const drain = ctx.progress.phase(`sustained (${label}): waiting for the backlog to drain`, { seconds: DRAIN_GOAL_SECONDS });
      let drainSeconds: number | null = null;
      while ((performance.now() - stopped) / 1000 < DRAIN_CAP_SECONDS) {
        const left = await backlog();
        const second = Math.round((performance.now() - started) / 1000);
        if (samples[samples.length - 1]!.second < second) samples.push({ second, backlog: left });
        if (left === 0) {
          drainSeconds = (performance.now() - stopped) / 1000;
          break;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      drain.end(drainSeconds === null ? `not drained within ${DRAIN_CAP_SECONDS} s` : `drained in ${drainSeconds.toFixed(1)} s`);
      const stored = (await target.query<Measured["stored"]>(
        `select (select count(*) from deliveries)::int as deliveries, (select count(*) from events)::int as events,
                (select count(*) from requests)::int as requests, (select count(*) from tasks)::int as tasks`,
      ))[0]!;
      return { label, load, samples, peakBacklog: Math.max(0, ...samples.map((s) => s.backlog)), drainSeconds, stored, warnings: target.warnings().length };
    } finally {
      await target.stop().catch(() => {});
    }
  } finally {
    await scratch.drop().catch(() => {});
  }
}

/** The backlog every ten seconds (every two in a quick run), and after the load. */
function curve(m: Measured, plan: typeof FULL): string {
  const every = plan.seconds >= 30 ? 10 : 2;
  return m.samples
    .filter((s) => s.second % every === 0 || s.second === m.samples[m.samples.length - 1]!.second)
    .map((s) => `${s.second}s ${int(s.backlog)}`)
    .join(" · ");
}

function summarise(measured: Measured[], plan: typeof FULL, quick: boolean, tree: string | undefined): SectionResult {
  const rows: FigureRow[] = [];
  const after = measured[measured.length - 1]!;
  for (const m of measured) {
    const name = tree ? `${m.label}: ` : "";
    rows.push({
      measure: `${name}${plan.rate} deliveries/s for ${plan.seconds} s, worker on: acknowledged`,
      value: `${int(m.load.ok)} · p50 ${ms(m.load.latencyMs.p50)} · p99 ${ms(m.load.latencyMs.p99)}${m.load.non2xx > 0 ? ` · ${int(m.load.non2xx)} non-2xx` : ""}${m.load.errors > 0 ? ` · ${int(m.load.errors)} connections refused` : ""}`,
    });
    rows.push({ measure: `${name}backlog (deliveries, threads or jobs) over time`, value: curve(m, plan) });
    rows.push({
      measure: `${name}backlog drained after the load stopped`,
      value: m.drainSeconds === null ? `not within ${DRAIN_CAP_SECONDS} s` : `${m.drainSeconds.toFixed(1)} s (peak ${int(m.peakBacklog)})`,
      ...(m === after ? { goal: `≤ ${DRAIN_GOAL_SECONDS} s`, verdict: m.drainSeconds !== null && m.drainSeconds <= DRAIN_GOAL_SECONDS } : {}),
    });
    rows.push({ measure: `${name}derived`, value: `${int(m.stored.requests)} requests, ${int(m.stored.tasks)} tasks from ${int(m.stored.events)} events` });
  }
  const met = after.drainSeconds !== null && after.drainSeconds <= DRAIN_GOAL_SECONDS;
  const goals: GoalVerdict[] = [
    {
      goal: `sustained ${plan.rate} deliveries/s for ${plan.seconds} s: the backlog drains within ${DRAIN_GOAL_SECONDS} s of the load stopping`,
      met: quick ? null : met,
      actual: after.drainSeconds === null ? `not within ${DRAIN_CAP_SECONDS} s` : `${after.drainSeconds.toFixed(1)} s`,
      ...(met ? {} : { note: `peak backlog ${int(after.peakBacklog)}` }),
    },
  ];
  return {
    status: "measured",
    rows,
    goals,
    method: [
      `The full app with its graphile-worker (concurrency 2, as src/main.ts), production timing (a thread derives ${PRODUCTION_TIMING.deriveDelaySeconds} s after its last event), on a fresh PostgreSQL database with a roster: one program, two projects over ${REPOS} repositories, 4 mentees and 2 mentors; each thread's author is a mentee, and a third of the deliveries are a mentor's.`,
      `Open-loop Poisson arrivals at a mean ${plan.rate}/s for ${plan.seconds} s (bench/lib/load.ts runPaced), the ingestion mix of measure 1. The backlog (deliveries stored but not yet expanded, queued derive-thread jobs, threads in the dirty set) is read every second during the load, then every 250 ms until it is empty; drain time runs from the last request's answer. All load comes from one address, so once more than 64 requests are in flight at once (latency × rate), the app's per-peer connection cap (src/server.ts) refuses the next socket: those count as "connections refused", GitHub's deliveries come from many addresses.`,
      tree
        ? `"before" is the app of ${tree} (BENCH_BASELINE), run first under the same load and roster on its own database; "after" is this tree.`
        : `Set BENCH_BASELINE to a built checkout of an earlier commit to run it under the same load first.`,
    ],
    data: {
      plan,
      quick,
      baseline: tree ?? null,
      runs: measured.map((m) => ({
        label: m.label,
        acknowledged: m.load.ok,
        non2xx: m.load.non2xx,
        statusCodes: m.load.statusCodes,
        // Socket errors: the app's per-peer connection cap (MAX_CONNECTIONS_PER_PEER) refuses the 65th concurrent socket from one address.
        connectionErrors: m.load.errors,
        throughput: round(m.load.throughput, 1),
        latencyMs: { p50: round(m.load.latencyMs.p50, 2), p99: round(m.load.latencyMs.p99, 2), max: round(m.load.latencyMs.max, 2) },
        backlog: m.samples,
        peakBacklog: m.peakBacklog,
        drainSeconds: m.drainSeconds === null ? null : round(m.drainSeconds, 2),
        stored: m.stored,
        warnings: m.warnings,
      })),
    },
  };
}
