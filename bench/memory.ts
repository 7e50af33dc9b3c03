/**
 * Measure 5: the app's resident memory over 100k deliveries, in steps of 10k. The process is the one
 * src/main.ts starts (server, PostgreSQL pool, pino), fed distinct signed deliveries by autocannon at
 * saturation; after each step the bench reads its RSS, then asks it for a full GC and reads the live
 * heap, which shows a leak of JavaScript objects far more precisely than RSS.
 *
 * The job worker is off by default, as in measure 1: at saturation it falls behind (concurrency 2), its
 * queue grows, and ingestion slows down step after step, which made this measure take 11 minutes
 * instead of 5 on the bench machine. BENCH_MEMORY_WORKER=1 runs it in the process as src/main.ts does.
 */
import { DeliveryStream, INGESTION_MIX } from "./lib/deliveries.js";
import { int, mib, round } from "./lib/format.js";
import { runLoad } from "./lib/load.js";
import type { BenchContext, BenchSection, SectionResult } from "./lib/section.js";
import { startTarget, WEBHOOK_PATH, WEBHOOK_SECRET } from "./lib/targets.js";

const CONNECTIONS = 10;
/** "Levels off": the second half's RSS growth is at most this share of the RSS half way. */
const LEVEL_SHARE = 0.1;

export const section: BenchSection = {
  id: "memory",
  number: 5,
  title: "Memory after 100k deliveries",
  run,
};

interface Sample {
  deliveries: number;
  rss: number;
  heapUsed: number;
  heapAfterGc: number | null;
  seconds: number;
  throughput: number;
}

async function run(ctx: BenchContext): Promise<SectionResult> {
  const total = ctx.quick ? 2_000 : 100_000;
  const step = total / 10;
  const scratch = await ctx.createDatabase("memory");
  const worker = process.env.BENCH_MEMORY_WORKER === "1";
  const target = await startTarget("memory", { kind: "app", databaseUrl: scratch.url, worker });
  try {
    const stream = new DeliveryStream({ secret: WEBHOOK_SECRET, installationId: 4_200_005, org: "bench-org", repos: 20, mix: INGESTION_MIX });
    const samples: Sample[] = [];
    const sample = async (deliveries: number, seconds: number, throughput: number) => {
      const before = await target.memory();
      const after = await target.memory({ gc: true });
      samples.push({ deliveries, rss: before.rss, heapUsed: before.heapUsed, heapAfterGc: after.heapUsedAfterGc, seconds, throughput });
    };
    await sample(0, 0, 0);
    const phase = ctx.progress.phase(`memory: ${int(total)} deliveries to the full app${worker ? " with its worker" : ""}`, { total });
    let failures = 0;
    for (let done = 0; done < total; done += step) {
      const result = await runLoad({
        url: target.url,
        path: WEBHOOK_PATH,
        connections: CONNECTIONS,
        amount: step,
        next: () => stream.next(),
        onTick: (n) => phase.update(done + n),
      });
      failures += result.non2xx + result.errors;
      await sample(done + step, result.seconds, result.throughput);
      const last = samples[samples.length - 1]!;
      phase.update(done + step, `RSS ${mib(last.rss)}`);
    }
    phase.end(`RSS ${mib(samples[0]!.rss)} → ${mib(samples[samples.length - 1]!.rss)}`);
    const backlog = (await target.query<{ jobs: number; events: number; deliveries: number }>(
      `select (select count(*) from graphile_worker._private_jobs)::int as jobs, (select count(*) from events)::int as events,
              (select count(*) from deliveries)::int as deliveries`,
    ))[0]!;
    return summarise(samples, total, failures, backlog, target.warnings().length, worker);
  } finally {
    await target.stop().catch(() => {});
    await scratch.drop().catch(() => {});
  }
}

function summarise(
  samples: Sample[],
  total: number,
  failures: number,
  backlog: { jobs: number; events: number; deliveries: number },
  warnings: number,
  worker: boolean,
): SectionResult {
  const at = (n: number) => samples.find((s) => s.deliveries === n)!;
  const start = samples[0]!;
  const half = at(total / 2);
  const end = samples[samples.length - 1]!;
  const secondHalf = end.rss - half.rss;
  const firstHalf = half.rss - start.rss;
  const levels = secondHalf <= LEVEL_SHARE * half.rss;
  const heapSecondHalf = end.heapAfterGc !== null && half.heapAfterGc !== null ? end.heapAfterGc - half.heapAfterGc : NaN;
  const bytesPerDelivery = heapSecondHalf / (total / 2);
  const seconds = samples.reduce((n, s) => n + s.seconds, 0);
  const curve = samples.map((s) => `${s.deliveries / 1000}k ${Math.round(s.rss / 1024 ** 2)}`).join(" · ");
  return {
    status: "measured",
    rows: [
      { measure: "RSS (MiB) after each 10% of the deliveries", value: curve },
      {
        measure: `RSS growth: first half · second half`,
        value: `${signedMib(firstHalf)} · ${signedMib(secondHalf)} (${Math.round((secondHalf / half.rss) * 100)}% of ${mib(half.rss)})`,
        goal: `levels off (2nd half ≤ ${Math.round(LEVEL_SHARE * 100)}%)`,
        verdict: levels,
      },
      {
        measure: "live heap after a full GC: half way → end",
        value: `${mib(half.heapAfterGc ?? NaN)} → ${mib(end.heapAfterGc ?? NaN)} (${Number.isFinite(bytesPerDelivery) ? `${bytesPerDelivery.toFixed(0)} B per delivery` : "n/a"})`,
      },
      {
        measure: `deliveries acknowledged · failed · rate (first → last step)${worker ? ", worker running" : ""}`,
        value: `${int(total - failures)} · ${int(failures)} · ${int(total / seconds)}/s over ${seconds.toFixed(0)} s (${int(samples[1]!.throughput)} → ${int(end.throughput)}/s)`,
      },
      { measure: `jobs queued at the end (derive jobs${worker ? " the worker had not run yet" : "; no worker"})`, value: int(backlog.jobs) },
    ],
    goals: [
      {
        goal: `RSS levels off over ${int(total)} deliveries (second half grows ≤ ${Math.round(LEVEL_SHARE * 100)}% of the half-way RSS)`,
        met: levels,
        actual: `${signedMib(secondHalf)} over the second half (${mib(half.rss)} → ${mib(end.rss)})`,
        ...(levels ? {} : { note: `grew ${signedMib(secondHalf - LEVEL_SHARE * half.rss)} more than allowed` }),
      },
    ],
    method: [
      worker
        ? `The full app as src/main.ts runs it (webhook server, graphile-worker with the app's crontab, pool of 10) in its own process on a fresh PostgreSQL database, fed ${int(total)} distinct signed deliveries (the ingestion mix) by autocannon with ${CONNECTIONS} connections, in 10 steps. The installation has no roster, so the derive jobs load no model and write nothing.`
        : `The full app as measure 1 runs it (createApp + startServer as src/main.ts wires them, pool of 10, pino at info), without the job worker (BENCH_MEMORY_WORKER=1 adds it), in its own process on a fresh PostgreSQL database, fed ${int(total)} distinct signed deliveries (the ingestion mix) by autocannon with ${CONNECTIONS} connections, in 10 steps.`,
      `After each step: process.memoryUsage().rss as it stands, then a full GC (the child runs with --expose-gc) and the live heap.`,
      `"Levels off": RSS grows over the second half by at most ${Math.round(LEVEL_SHARE * 100)}% of its half-way value; the live-heap growth per delivery over the second half is the finer leak check.`,
    ],
    data: {
      total,
      worker,
      connections: CONNECTIONS,
      failures,
      warnings,
      afterRun: backlog,
      samples: samples.map((s) => ({
        deliveries: s.deliveries,
        rssMiB: round(s.rss / 1024 ** 2, 1),
        heapUsedMiB: round(s.heapUsed / 1024 ** 2, 1),
        heapAfterGcMiB: s.heapAfterGc === null ? null : round(s.heapAfterGc / 1024 ** 2, 1),
        stepSeconds: round(s.seconds, 1),
        stepThroughput: round(s.throughput, 1),
      })),
      heapBytesPerDeliverySecondHalf: Number.isFinite(bytesPerDelivery) ? round(bytesPerDelivery, 1) : null,
    },
  };
}

function signedMib(bytes: number): string {
  // Whole MiB, so a few KiB below zero read "+0 MiB", not "−0 MiB".
  return `${bytes > -0.5 * 1024 ** 2 ? "+" : "−"}${mib(Math.abs(bytes))}`;
}
