/**
 * Measure 1: webhook ingestion. Signed deliveries over HTTP from autocannon, a realistic mix of
 * @octokit/webhooks-examples payloads, against (a) a no-op Probot 14 app and (b) the full app, in
 * the same run, alternating between them round by round so that a noisy neighbour hits both.
 *
 * (b) on PostgreSQL is the goal's subject. The embedded database (PGlite) is measured separately,
 * against the same no-op app at the same concurrency: one connection, because pglite-socket serves
 * every client from one backend and interleaves concurrent extended-protocol messages; a short run at
 * ten connections reports what that does instead of hiding it.
 */
import { type LoadResult, median, runLoad, runPaced } from "./lib/load.js";
import { DeliveryStream, INGESTION_MIX } from "./lib/deliveries.js";
import { int, ms, ratio, round } from "./lib/format.js";
import type { DatabaseHandle } from "../src/db/connection.js";
import pino from "pino";
import { acceptDeliveries, type DeliveryToAccept } from "../src/db/inbox.js";
import { expandPendingDeliveries } from "../src/webhooks/expand.js";
import { groupCommit } from "../src/webhooks/group-commit.js";
import type { BenchContext, BenchSection, FigureRow, GoalVerdict, SectionResult } from "./lib/section.js";
import { startTarget, type Target, WEBHOOK_PATH, WEBHOOK_SECRET } from "./lib/targets.js";
import { baselineTree, toBaselineSchema } from "./lib/baseline.js";

export const INSTALLATION_ID = 4_200_001;
const CONNECTIONS = 10;
/** Paced runs: far above a busy org's delivery rate, well below saturation. */
const PACED_RATE = 100;
const EMBEDDED_PACED_RATE = 50;
const RATIO_GOAL = 0.6;
const P99_GOAL_MS = 50;

interface Plan {
  rounds: number;
  warmupSeconds: number;
  saturationSeconds: number;
  pacedSeconds: number;
  embeddedRounds: number;
  embeddedStressSeconds: number;
}

const FULL: Plan = { rounds: 5, warmupSeconds: 1, saturationSeconds: 4, pacedSeconds: 3, embeddedRounds: 2, embeddedStressSeconds: 3 };
const QUICK: Plan = { rounds: 1, warmupSeconds: 0.5, saturationSeconds: 1.5, pacedSeconds: 1.5, embeddedRounds: 1, embeddedStressSeconds: 0 };
/** Deliveries per variant and round of the transaction-only diagnostic. */
const DIAGNOSTIC = { full: { rounds: 2, deliveries: 1500 }, quick: { rounds: 1, deliveries: 300 } };

interface Run {
  target: string;
  round: number;
  kind: "saturation" | "paced";
  connections: number;
  rate: number | null;
  result: LoadResult;
}

export const section: BenchSection = {
  id: "ingestion",
  number: 1,
  title: "Webhook ingestion",
  run,
};

async function run(ctx: BenchContext): Promise<SectionResult> {
  const plan = ctx.quick ? QUICK : FULL;
  const stream = new DeliveryStream({ secret: WEBHOOK_SECRET, installationId: INSTALLATION_ID, org: "bench-org", repos: 20, mix: INGESTION_MIX });
  const runs: Run[] = [];
  const targets: Target[] = [];
  const scratch = await ctx.createDatabase("ingestion");
  try {
    ctx.progress.note("ingestion: starting the no-op Probot app and the full app on PostgreSQL");
    const noop = await startTarget("noop", { kind: "noop" });
    targets.push(noop);
    const full = await startTarget("full-postgres", { kind: "app", databaseUrl: scratch.url });
    targets.push(full);
    // BENCH_BASELINE: that checkout's full app beside this one, on its own database, in the same rounds.
    const tree = baselineTree();
    const baselineScratch = tree ? await ctx.createDatabase("ingestion-baseline") : undefined;
    if (tree && baselineScratch) await toBaselineSchema(baselineScratch, tree);
    const before = tree && baselineScratch ? await startTarget("before-postgres", { kind: "app", databaseUrl: baselineScratch.url }, tree) : undefined;
    if (before) targets.push(before);

    const measure = async (target: Target, round: number, of: number, kind: Run["kind"], connections: number, rate: number | null, seconds: number) => {
      const label = `ingestion round ${round + 1}/${of}: ${target.label}, ${kind === "paced" ? `${rate}/s` : `${connections} connection${connections > 1 ? "s" : ""}`}`;
      const phase = ctx.progress.phase(label, { seconds });
      const result =
        rate === null
          ? await runLoad({ url: target.url, path: WEBHOOK_PATH, connections, duration: seconds, next: () => stream.next(), onTick: (n) => phase.update(n, `${n} acks`) })
          : await runPaced({ url: target.url, path: WEBHOOK_PATH, rate, seconds, next: () => stream.next(), seed: round + 1 });
      phase.end(`${int(result.throughput)} acks/s, p50 ${ms(result.latencyMs.p50)}, p99 ${ms(result.latencyMs.p99)}${result.non2xx + result.errors > 0 ? `, ${result.non2xx} non-2xx, ${result.errors} errors` : ""}`);
      runs.push({ target: target.label, round, kind, connections, rate, result });
      return result;
    };
    const warmup = (target: Target, connections: number) =>
      runLoad({ url: target.url, path: WEBHOOK_PATH, connections, duration: plan.warmupSeconds, next: () => stream.next() });

    for (let round = 0; round < plan.rounds; round++) {
      // Alternate who goes first, so neither always runs right after the other's load.
      const order = before ? [noop, full, before] : [noop, full];
      for (const target of round % 2 === 0 ? order : [...order].reverse()) {
        await warmup(target, CONNECTIONS);
        await measure(target, round, plan.rounds, "saturation", CONNECTIONS, null, plan.saturationSeconds);
        await measure(target, round, plan.rounds, "paced", 0, PACED_RATE, plan.pacedSeconds);
      }
    }
    const stored = (await full.query<{ deliveries: number; events: number; jobs: number }>(
      `select (select count(*) from deliveries)::int as deliveries, (select count(*) from events)::int as events,
              (select count(*) from graphile_worker._private_jobs)::int as jobs`,
    ))[0]!;
    const fullWarnings = full.warnings().length;
    await full.stop();
    const diagnostic = await transactionOnly(ctx, await scratch.open(), stream);

    ctx.progress.note("ingestion: starting the full app on the embedded database (PGlite)");
    const embedded = await startTarget("full-embedded", { kind: "app" });
    targets.push(embedded);
    const embeddedNoop = noop;
    for (let round = 0; round < plan.embeddedRounds; round++) {
      for (const target of round % 2 === 0 ? [embeddedNoop, embedded] : [embedded, embeddedNoop]) {
        await warmup(target, 1);
        await measure(target, round, plan.embeddedRounds, "saturation", 1, null, plan.saturationSeconds);
        await measure(target, round, plan.embeddedRounds, "paced", 0, EMBEDDED_PACED_RATE, plan.pacedSeconds);
      }
    }
    let stress: LoadResult | null = null;
    if (plan.embeddedStressSeconds > 0) {
      const phase = ctx.progress.phase("ingestion: embedded database at 10 connections", { seconds: plan.embeddedStressSeconds });
      stress = await runLoad({ url: embedded.url, path: WEBHOOK_PATH, connections: CONNECTIONS, duration: plan.embeddedStressSeconds, next: () => stream.next() });
      phase.end(`${int(stress.ok)} acknowledged, ${stress.non2xx} non-2xx, ${stress.errors} errors`);
    }
    const embeddedStored = (await embedded.query<{ deliveries: number; events: number }>(
      `select (select count(*) from deliveries)::int as deliveries, (select count(*) from events)::int as events`,
    ))[0]!;
    const embeddedWarnings = embedded.warnings();
    await before?.stop();
    await baselineScratch?.drop().catch(() => {});
    return summarise(runs, plan, stored, fullWarnings, stress, embeddedStored, embeddedWarnings, diagnostic, ctx.quick, tree);
  } finally {
    for (const t of targets) await t.stop().catch(() => {});
    await scratch.drop().catch(() => {});
  }
}

function summarise(
  runs: Run[],
  plan: Plan,
  stored: { deliveries: number; events: number; jobs: number },
  fullWarnings: number,
  stress: LoadResult | null,
  embeddedStored: { deliveries: number; events: number },
  embeddedWarnings: string[],
  diagnostic: Diagnostic,
  quick: boolean,
  tree: string | undefined,
): SectionResult {
  /** Saturation runs by connection count, paced runs by rate. */
  const pick = (target: string, kind: Run["kind"], n: number) =>
    runs.filter((r) => r.target === target && r.kind === kind && (kind === "paced" ? r.rate === n : r.connections === n));
  const med = (list: Run[], f: (r: LoadResult) => number) => median(list.map((r) => f(r.result)));
  const ratios = (a: Run[], b: Run[]) => b.map((r, i) => r.result.throughput / a[i]!.result.throughput);

  const noopSat = pick("noop", "saturation", CONNECTIONS);
  const fullSat = pick("full-postgres", "saturation", CONNECTIONS);
  const noopPaced = pick("noop", "paced", PACED_RATE);
  const fullPaced = pick("full-postgres", "paced", PACED_RATE);
  const noop1 = pick("noop", "saturation", 1);
  const emb1 = pick("full-embedded", "saturation", 1);
  const noop1Paced = pick("noop", "paced", EMBEDDED_PACED_RATE);
  const embPaced = pick("full-embedded", "paced", EMBEDDED_PACED_RATE);

  const pgRatio = median(ratios(noopSat, fullSat));
  const embRatio = median(ratios(noop1, emb1));
  const fullSatP99 = med(fullSat, (r) => r.latencyMs.p99);
  const fullPacedP99 = med(fullPaced, (r) => r.latencyMs.p99);
  const failures = (list: Run[]) => list.reduce((n, r) => n + r.result.non2xx + r.result.errors, 0);

  const rows: FigureRow[] = [
    { measure: `(a) no-op Probot app, ${CONNECTIONS} connections`, value: `${int(med(noopSat, (r) => r.throughput))} acks/s · p50 ${ms(med(noopSat, (r) => r.latencyMs.p50))} · p99 ${ms(med(noopSat, (r) => r.latencyMs.p99))}` },
    { measure: `(b) full app, PostgreSQL, ${CONNECTIONS} connections`, value: `${int(med(fullSat, (r) => r.throughput))} acks/s · p50 ${ms(med(fullSat, (r) => r.latencyMs.p50))} · p99 ${ms(fullSatP99)}`, goal: `p99 < ${P99_GOAL_MS} ms`, verdict: fullSatP99 < P99_GOAL_MS },
    { measure: "throughput ratio b/a (median of per-round ratios)", value: ratio(pgRatio), goal: `≥ ${RATIO_GOAL}`, verdict: pgRatio >= RATIO_GOAL },
    { measure: `(a) no-op at ${PACED_RATE} deliveries/s`, value: `p50 ${ms(med(noopPaced, (r) => r.latencyMs.p50))} · p99 ${ms(med(noopPaced, (r) => r.latencyMs.p99))}` },
    { measure: `(b) full app, PostgreSQL, at ${PACED_RATE} deliveries/s`, value: `p50 ${ms(med(fullPaced, (r) => r.latencyMs.p50))} · p99 ${ms(fullPacedP99)}`, goal: `p99 < ${P99_GOAL_MS} ms`, verdict: fullPacedP99 < P99_GOAL_MS },
    { measure: "(a) no-op Probot app, 1 connection", value: `${int(med(noop1, (r) => r.throughput))} acks/s · p50 ${ms(med(noop1, (r) => r.latencyMs.p50))} · p99 ${ms(med(noop1, (r) => r.latencyMs.p99))}` },
    { measure: "(b) full app, embedded PGlite, 1 connection", value: `${int(med(emb1, (r) => r.throughput))} acks/s · p50 ${ms(med(emb1, (r) => r.latencyMs.p50))} · p99 ${ms(med(emb1, (r) => r.latencyMs.p99))} · ratio ${ratio(embRatio)}` },
    { measure: `(a) no-op at ${EMBEDDED_PACED_RATE} deliveries/s`, value: `p50 ${ms(med(noop1Paced, (r) => r.latencyMs.p50))} · p99 ${ms(med(noop1Paced, (r) => r.latencyMs.p99))}` },
    { measure: `(b) embedded PGlite at ${EMBEDDED_PACED_RATE} deliveries/s`, value: `p50 ${ms(med(embPaced, (r) => r.latencyMs.p50))} · p99 ${ms(med(embPaced, (r) => r.latencyMs.p99))}${failures(embPaced) > 0 ? ` · ${failures(embPaced)} failed` : ""}` },
  ];
  const beforeSat = pick("before-postgres", "saturation", CONNECTIONS);
  const beforePaced = pick("before-postgres", "paced", PACED_RATE);
  if (beforeSat.length > 0) {
    rows.splice(3, 0, {
      measure: `(b0) before: ${tree} (BENCH_BASELINE), PostgreSQL, ${CONNECTIONS} connections`,
      value: `${int(med(beforeSat, (r) => r.throughput))} acks/s · p99 ${ms(med(beforeSat, (r) => r.latencyMs.p99))} · ratio b0/a ${ratio(median(ratios(noopSat, beforeSat)))}`,
    });
    rows.splice(6, 0, {
      measure: `(b0) before, at ${PACED_RATE} deliveries/s`,
      value: `p50 ${ms(med(beforePaced, (r) => r.latencyMs.p50))} · p99 ${ms(med(beforePaced, (r) => r.latencyMs.p99))}`,
    });
  }
  rows.push({
    measure: `where (b)'s time goes: the request-path statement alone, no HTTP, ${CONNECTIONS} concurrent; the worker's expansion alone`,
    value: `${int(diagnostic.grouped)} deliveries/s with the group commit, as the app does it · ${int(diagnostic.single)}/s with one statement per delivery · the worker expands ${int(diagnostic.expanded)}/s`,
  });
  if (stress) {
    rows.push({
      measure: `embedded PGlite, ${CONNECTIONS} connections (${plan.embeddedStressSeconds} s)`,
      value: `${int(stress.throughput)} acks/s · ${int(stress.non2xx + stress.errors)} of ${int(stress.responses + stress.errors)} failed`,
    });
  }

  const goals: GoalVerdict[] = [
    {
      goal: `throughput ratio b/a ≥ ${RATIO_GOAL} (PostgreSQL)`,
      met: pgRatio >= RATIO_GOAL,
      actual: ratio(pgRatio),
      ...(pgRatio >= RATIO_GOAL ? {} : { note: `missed by ${ratio(RATIO_GOAL - pgRatio)} (${Math.round((1 - pgRatio / RATIO_GOAL) * 100)}% short)` }),
    },
    {
      goal: `p99 acknowledgement < ${P99_GOAL_MS} ms at ${PACED_RATE} deliveries/s (PostgreSQL)`,
      met: fullPacedP99 < P99_GOAL_MS,
      actual: ms(fullPacedP99),
      ...(fullPacedP99 < P99_GOAL_MS ? {} : { note: `missed by ${ms(fullPacedP99 - P99_GOAL_MS)}` }),
    },
    {
      goal: `p99 acknowledgement < ${P99_GOAL_MS} ms at saturation, ${CONNECTIONS} connections (PostgreSQL)`,
      met: fullSatP99 < P99_GOAL_MS,
      actual: ms(fullSatP99),
      ...(fullSatP99 < P99_GOAL_MS ? {} : { note: `missed by ${ms(fullSatP99 - P99_GOAL_MS)}` }),
    },
  ];

  const okFull = runs.filter((r) => r.target === "full-postgres").reduce((n, r) => n + r.result.ok, 0);
  return {
    status: "measured",
    rows,
    goals,
    method: [
      `autocannon in the bench process; each server under test in its own forked Node process (bench/lib/target.ts), so the load generator never shares its event loop.`,
      `Every request is a distinct signed delivery (fresh X-GitHub-Delivery, its own thread/comment/review ids and timestamps) from @octokit/webhooks-examples, in a fixed mix: ${INGESTION_MIX.map((m) => `${m.name}.${m.action} ${m.weight}%`).join(", ")}.`,
      `(a) is Probot 14 with a handler that does nothing; (b) is createApp + startServer as src/main.ts wires them (migrations, pino at info to a file, timing 2 s / 60 s) on a fresh PostgreSQL database, without the job worker: acknowledgement is the request path only (the group commit of the delivery inbox: each delivery's row with its body, one statement per commit). Without a worker the stored bodies stay pending; measure 21 runs the worker.`,
      `${plan.rounds} round${plan.rounds > 1 ? "s" : ""}, alternating which app goes first; each: ${plan.warmupSeconds} s warm-up (discarded), ${plan.saturationSeconds} s at saturation (autocannon, ${CONNECTIONS} keep-alive connections, each sending its next delivery as soon as the previous is answered), then ${plan.pacedSeconds} s paced at a mean ${PACED_RATE} deliveries/s with Poisson arrivals, open loop (bench/lib/load.ts runPaced: autocannon's rate limit sends each second's quota as one burst). Figures are medians over rounds; the ratio is the median of the per-round throughput ratios.`,
      ...(tree
        ? [`(b0) is the full app of another checkout (BENCH_BASELINE=${tree}), on its own fresh database with its own migrations, measured in the same rounds as (a) and (b), the order of the three alternating: before and after under the same neighbours.`]
        : []),
      `Latency is the time from writing the request to the end of the response, per request, in fractional milliseconds; percentiles are computed from every response.`,
      `Diagnostic: the app's acceptDeliveries (the delivery rows with their bodies, the expansion job) called directly on the same database by ${CONNECTIONS} concurrent callers through the group commit, against one statement per delivery; then expandPendingDeliveries (events, dirty marks, drain jobs) over what both stored, alone: medians over rounds of deliveries per second. It separates the database path from HTTP, and the worker's expansion from the request path.`,
      `Embedded: the same full app on PGlite (on disk in a temporary directory, as DATA_DIR would be), at saturation with one connection and paced at ${EMBEDDED_PACED_RATE}/s, against the no-op app under the same load, ${plan.embeddedRounds} round${plan.embeddedRounds > 1 ? "s" : ""}${plan.embeddedStressSeconds > 0 ? `; then ${plan.embeddedStressSeconds} s at ${CONNECTIONS} connections, counting failures` : ""}.`,
    ],
    data: {
      plan,
      connections: CONNECTIONS,
      pacedRate: PACED_RATE,
      embeddedPacedRate: EMBEDDED_PACED_RATE,
      mix: INGESTION_MIX,
      ratio: round(pgRatio, 3),
      embeddedRatio: round(embRatio, 3),
      p99SaturationMs: round(fullSatP99, 2),
      p99PacedMs: round(fullPacedP99, 2),
      failures: { postgres: failures(runs.filter((r) => r.target === "full-postgres")), noop: failures(runs.filter((r) => r.target === "noop")), embedded: failures(runs.filter((r) => r.target === "full-embedded")) },
      postgresStored: { ...stored, acknowledgedInMeasuredRuns: okFull, note: "stored counts include warm-up runs and requests still in flight when a timed run ended" },
      postgresWarnings: fullWarnings,
      embeddedStored,
      embeddedWarnings: embeddedWarnings.length,
      embeddedWarningSample: embeddedWarnings.slice(0, 3),
      transactionOnly: diagnostic,
      embeddedStress: stress && { connections: CONNECTIONS, ...summariseLoad(stress) },
      quick,
      runs: runs.map((r) => ({ target: r.target, round: r.round, kind: r.kind, connections: r.connections, rate: r.rate, ...summariseLoad(r.result) })),
    },
  };
}

function summariseLoad(r: LoadResult) {
  return {
    seconds: round(r.seconds, 2),
    acknowledged: r.ok,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes: r.statusCodes,
    throughput: round(r.throughput, 1),
    latencyMs: { p50: round(r.latencyMs.p50, 2), p90: round(r.latencyMs.p90, 2), p99: round(r.latencyMs.p99, 2), max: round(r.latencyMs.max, 2), mean: round(r.latencyMs.mean, 2) },
  };
}

interface Diagnostic {
  grouped: number;
  single: number;
  /** Deliveries per second the expand-deliveries job turns into events, dirty marks and jobs. */
  expanded: number;
  rounds: Array<{ grouped: number; single: number; expanded: number }>;
}

/**
 * The request path's statement without HTTP: acceptDeliveries (the delivery rows with their bodies,
 * the expansion job) through the group commit as receive.ts calls it, against one statement per
 * delivery (the same call with one item each), alternating; then the worker's side, the expansion of
 * everything the two stored, timed alone.
 */
async function transactionOnly(ctx: BenchContext, database: DatabaseHandle, stream: DeliveryStream): Promise<Diagnostic> {
  const plan = ctx.quick ? DIAGNOSTIC.quick : DIAGNOSTIC.full;
  const phase = ctx.progress.phase("ingestion: the request-path statement alone", { total: plan.rounds * 3 });
  const rate = async (grouped: boolean): Promise<number> => {
    const items: DeliveryToAccept[] = Array.from({ length: plan.deliveries }, () => {
      const d = stream.next();
      return { id: d.id, event: d.name, body: d.body };
    });
    const accept = grouped
      ? groupCommit({ commit: (batch: DeliveryToAccept[]) => acceptDeliveries(database.db, batch), maxBatch: 200 })
      : (item: DeliveryToAccept) => acceptDeliveries(database.db, [item]);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < items.length) await accept(items[next++]!);
      }),
    );
    return items.length / ((performance.now() - started) / 1000);
  };
  const deps = { db: database.db, log: pino({ level: "silent" }), timing: { deriveDelaySeconds: 2, progressDelaySeconds: 60 } };
  const rounds: Diagnostic["rounds"] = [];
  for (let r = 0; r < plan.rounds; r++) {
    const grouped = await rate(true);
    phase.update(3 * r + 1);
    const single = await rate(false);
    phase.update(3 * r + 2);
    const started = performance.now();
    const count = await expandPendingDeliveries(deps);
    const expanded = count / ((performance.now() - started) / 1000);
    phase.update(3 * r + 3);
    rounds.push({ grouped: round(grouped, 1), single: round(single, 1), expanded: round(expanded, 1) });
  }
  const result = {
    grouped: median(rounds.map((r) => r.grouped)),
    single: median(rounds.map((r) => r.single)),
    expanded: median(rounds.map((r) => r.expanded)),
    rounds,
  };
  phase.end(`${int(result.grouped)}/s group commit, ${int(result.single)}/s one statement per delivery, ${int(result.expanded)}/s expanded`);
  return result;
}
