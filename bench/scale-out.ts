/**
 * Measure 22: what a second app process buys. Two processes of the full app on one PostgreSQL
 * database, each with its own HTTP server, pool and group commit (as behind a load balancer), against
 * one process given the same number of connections in total, alternating round by round. Ingestion
 * only, as measure 1 (the worker off), so the figure is the request path's.
 */
import { DeliveryStream, INGESTION_MIX } from "./lib/deliveries.js";
import { int, ms, ratio, round } from "./lib/format.js";
import { type LoadResult, median, runLoad } from "./lib/load.js";
import type { BenchContext, BenchSection, FigureRow, SectionResult } from "./lib/section.js";
import { startTarget, type Target, WEBHOOK_PATH, WEBHOOK_SECRET } from "./lib/targets.js";

const INSTALLATION_ID = 4_200_022;
/** Connections per process; the single process gets both processes' worth. */
const CONNECTIONS = 10;
const FULL = { rounds: 3, warmupSeconds: 1, seconds: 5 };
const QUICK = { rounds: 1, warmupSeconds: 0.5, seconds: 1.5 };

export const section: BenchSection = {
  id: "scale-out",
  number: 22,
  title: "Two app processes on one PostgreSQL",
  run,
};

interface Round {
  one: LoadResult;
  two: LoadResult[];
}

async function run(ctx: BenchContext): Promise<SectionResult> {
  const plan = ctx.quick ? QUICK : FULL;
  const stream = new DeliveryStream({ secret: WEBHOOK_SECRET, installationId: INSTALLATION_ID, org: "bench-org", repos: 20, mix: INGESTION_MIX, seed: 22 });
  const scratch = await ctx.createDatabase("scale-out");
  const targets: Target[] = [];
  try {
    ctx.progress.note("scale-out: starting two app processes on one PostgreSQL database");
    for (const label of ["process-1", "process-2"]) targets.push(await startTarget(`scale-out-${label}`, { kind: "app", databaseUrl: scratch.url }));
    const [first, second] = targets as [Target, Target];
    const load = (target: Target, connections: number, seconds: number) =>
      runLoad({ url: target.url, path: WEBHOOK_PATH, connections, duration: seconds, next: () => stream.next() });

    const rounds: Round[] = [];
    for (let r = 0; r < plan.rounds; r++) {
      const measureOne = async () => {
        await load(first, 2 * CONNECTIONS, plan.warmupSeconds);
        const phase = ctx.progress.phase(`scale-out round ${r + 1}/${plan.rounds}: one process, ${2 * CONNECTIONS} connections`, { seconds: plan.seconds });
        const result = await load(first, 2 * CONNECTIONS, plan.seconds);
        phase.end(`${int(result.throughput)} acks/s`);
        return result;
      };
      const measureTwo = async () => {
        await Promise.all([load(first, CONNECTIONS, plan.warmupSeconds), load(second, CONNECTIONS, plan.warmupSeconds)]);
        const phase = ctx.progress.phase(`scale-out round ${r + 1}/${plan.rounds}: two processes, ${CONNECTIONS} connections each`, { seconds: plan.seconds });
        const results = await Promise.all([load(first, CONNECTIONS, plan.seconds), load(second, CONNECTIONS, plan.seconds)]);
        phase.end(`${int(results[0].throughput + results[1].throughput)} acks/s combined`);
        return results;
      };
      // Alternate who goes first, so neither always runs right after the other's load.
      if (r % 2 === 0) {
        const one = await measureOne();
        rounds.push({ one, two: await measureTwo() });
      } else {
        const two = await measureTwo();
        rounds.push({ one: await measureOne(), two });
      }
    }
    const stored = (await first.query<{ deliveries: number }>(`select count(*)::int as deliveries from deliveries`))[0]!;
    const warnings = targets.reduce((n, t) => n + t.warnings().length, 0);
    return summarise(rounds, plan, stored.deliveries, warnings, ctx.quick);
  } finally {
    for (const t of targets) await t.stop().catch(() => {});
    await scratch.drop().catch(() => {});
  }
}

function summarise(rounds: Round[], plan: typeof FULL, deliveries: number, warnings: number, quick: boolean): SectionResult {
  const combined = (r: Round) => r.two.reduce((n, x) => n + x.throughput, 0);
  const oneRate = median(rounds.map((r) => r.one.throughput));
  const twoRate = median(rounds.map(combined));
  const gain = median(rounds.map((r) => combined(r) / r.one.throughput));
  const p99Two = median(rounds.map((r) => Math.max(...r.two.map((x) => x.latencyMs.p99))));
  const failures = rounds.reduce((n, r) => n + r.one.non2xx + r.one.errors + r.two.reduce((m, x) => m + x.non2xx + x.errors, 0), 0);
  const rows: FigureRow[] = [
    {
      measure: `one process, ${2 * CONNECTIONS} connections`,
      value: `${int(oneRate)} acks/s · p99 ${ms(median(rounds.map((r) => r.one.latencyMs.p99)))}`,
    },
    {
      measure: `two processes, ${CONNECTIONS} connections each, combined`,
      value: `${int(twoRate)} acks/s · p99 ${ms(p99Two)} (the slower process's)`,
    },
    { measure: "combined / one process (median of per-round ratios)", value: `${ratio(gain)}×` },
    { measure: "failed requests over all rounds", value: int(failures) },
  ];
  return {
    status: "measured",
    rows,
    goals: [
      {
        goal: "two processes on one PostgreSQL acknowledge more than one process at the same total concurrency",
        met: quick ? null : gain > 1,
        actual: `${int(twoRate)} acks/s combined, ${ratio(gain)}× one process`,
      },
    ],
    method: [
      `Two forked processes of the full app (createApp + startServer as src/main.ts, worker off as in measure 1) on one fresh PostgreSQL database, fed by autocannon in the bench process: ${CONNECTIONS} keep-alive connections to each at once, against one of them alone with ${2 * CONNECTIONS} connections, so the total concurrency is the same.`,
      `${plan.rounds} round${plan.rounds > 1 ? "s" : ""} alternating which goes first; each: ${plan.warmupSeconds} s warm-up, ${plan.seconds} s measured. Every request is a distinct signed delivery of the ingestion mix; combined throughput is the sum of both processes' acknowledged deliveries per second.`,
      "On this machine the two processes, PostgreSQL and the load generator share the same cores (and other work ran beside the bench): a second process helps here only as far as a core is idle. On separate machines, the database's commit rate is the limit both processes share.",
    ],
    data: {
      plan,
      quick,
      connectionsPerProcess: CONNECTIONS,
      deliveriesStored: deliveries,
      warnings,
      rounds: rounds.map((r) => ({
        one: { throughput: round(r.one.throughput, 1), p99: round(r.one.latencyMs.p99, 2), failed: r.one.non2xx + r.one.errors },
        two: r.two.map((x) => ({ throughput: round(x.throughput, 1), p99: round(x.latencyMs.p99, 2), failed: x.non2xx + x.errors })),
      })),
    },
  };
}
