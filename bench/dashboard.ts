/**
 * Measure 20: every dashboard page over the "reports at scale" data (1M events, 100k requests, 3
 * programs): the server's time to gather a page and render its HTML, and the page's size.
 */
import { performance } from "node:perf_hooks";
import { saveRoster } from "../src/db/rosters.js";
import { responseTimeReport } from "../src/reports/response-times.js";
import { insightsPageFor, menteePageFor, mentorPageFor, programPageFor, programsPageFor, projectPageFor, type PageResult } from "../src/dashboard/pages.js";
import { renderPage, type Page } from "../src/render/dashboard/page.js";
import { int, ms } from "./lib/format.js";
import { median, percentile } from "./lib/load.js";
import type { BenchContext, BenchSection, SectionResult } from "./lib/section.js";
import { FULL_PLAN, generateSyntheticData, type SyntheticPlan } from "./lib/synthetic.js";

const GOAL_MS = 300;
const GOAL_BYTES = 300 * 1024;
const RUNS = 10;
const WARMUP = 2;
const QUICK_PLAN: SyntheticPlan = { ...FULL_PLAN, events: 100_000, requests: 10_000 };
const ADMIN = { id: 9_000_001, login: "bench-admin" };

export const section: BenchSection = { id: "dashboard", number: 20, title: "Dashboard pages at scale", run };

async function run(ctx: BenchContext): Promise<SectionResult> {
  const plan = ctx.quick ? QUICK_PLAN : FULL_PLAN;
  const scratch = await ctx.createDatabase("dashboard");
  try {
    const { db } = await scratch.open();
    const phase = ctx.progress.phase(`dashboard: generating ${int(plan.events)} events and ${int(plan.requests)} requests in SQL`, { total: 1 });
    const data = await generateSyntheticData(db, plan);
    // The synthetic roster names no admin: one signs in to see every page.
    await saveRoster(db, plan.installationId, { ...data.model, admins: [ADMIN] }, "synthetic");
    phase.end(`${int(data.counts.events)} events, ${int(data.counts.requests)} requests`);

    const deps = { db, now: () => data.now };
    const program = data.model.programs.find((p) => p.id === data.programs[0]!.id)!;
    const project = program.projects[0]!;
    const mentor = project.mentors[0]!;
    const mentee = project.mentees[0]!;
    const pages: Array<{ name: string; viewer: string; load: () => Promise<PageResult> }> = [
      { name: "Programs", viewer: "admin", load: async () => ({ status: 200, page: await programsPageFor(deps, ADMIN) }) },
      { name: "Insights", viewer: "admin", load: () => insightsPageFor(deps, ADMIN) },
      { name: `Program ${program.id}`, viewer: "admin", load: () => programPageFor(deps, ADMIN, program.id, null) },
      { name: `Program ${program.id}`, viewer: "mentor", load: () => programPageFor(deps, mentor, program.id, null) },
      { name: `Project ${project.id}`, viewer: "admin", load: () => projectPageFor(deps, ADMIN, program.id, project.id, null) },
      { name: `Mentor ${mentor.login}`, viewer: "mentor", load: () => mentorPageFor(deps, mentor, program.id, mentor.login, null) },
      { name: `Mentee ${mentee.login}`, viewer: "mentee", load: () => menteePageFor(deps, mentee, program.id, mentee.login, null, "csrf") },
    ];
    const measured = [];
    for (const page of pages) {
      const p = ctx.progress.phase(`dashboard: ${page.name} as ${page.viewer}`, { total: RUNS + WARMUP });
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < RUNS + WARMUP; i++) {
        const t0 = performance.now();
        const result = await page.load();
        if (result.status !== 200) throw new Error(`${page.name} as ${page.viewer}: ${result.status} ${result.message}`);
        const html = render(result.page);
        const elapsed = performance.now() - t0;
        bytes = Buffer.byteLength(html);
        if (i >= WARMUP) times.push(elapsed);
        p.update(i + 1);
      }
      const sorted = Float64Array.from(times).sort();
      const result = { ...page, medianMs: median(times), p90Ms: percentile(sorted, 0.9), maxMs: sorted[sorted.length - 1]!, bytes };
      p.end(`median ${ms(result.medianMs)}, ${int(Math.round(bytes / 1024))} KB`);
      measured.push(result);
    }
    // The report alone, in the same conditions: how much of a page is the report measure 2 times.
    const reportTimes: number[] = [];
    for (let i = 0; i < RUNS + WARMUP; i++) {
      const t0 = performance.now();
      await responseTimeReport(db, plan.installationId, program.id, {}, data.now);
      if (i >= WARMUP) reportTimes.push(performance.now() - t0);
    }
    const reportMs = median(reportTimes);
    const slowest = measured.reduce((a, b) => (b.medianMs > a.medianMs ? b : a));
    const largest = measured.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const fast = slowest.medianMs < GOAL_MS;
    const small = largest.bytes < GOAL_BYTES;
    return {
      status: "measured",
      rows: [
        ...measured.map((m) => ({
          measure: `${m.name} as ${m.viewer}: median of ${RUNS} · size`,
          value: `${ms(m.medianMs)} (p90 ${ms(m.p90Ms)}) · ${int(Math.round(m.bytes / 1024))} KB`,
          goal: `< ${GOAL_MS} ms · < 300 KB`,
          verdict: ctx.quick ? null : m.medianMs < GOAL_MS && m.bytes < GOAL_BYTES,
        })),
        { measure: `for scale: the report of ${program.id} alone (measure 2's function), median of ${RUNS}`, value: ms(reportMs) },
      ],
      goals: [
        { goal: `every page renders in < ${GOAL_MS} ms server time (1M events / 100k requests)`, met: ctx.quick ? null : fast, actual: `slowest ${slowest.name} as ${slowest.viewer}: ${ms(slowest.medianMs)}`, ...(fast ? {} : { note: `missed by ${ms(slowest.medianMs - GOAL_MS)}` }) },
        { goal: "no page over 300 KB", met: ctx.quick ? null : small, actual: `largest ${largest.name}: ${int(Math.round(largest.bytes / 1024))} KB` },
      ],
      method: [
        `The data of measure 2 (bench/lib/synthetic.ts) on a fresh PostgreSQL database, its roster saved again with one admin.`,
        `Timed: what the server does for one page view after the session is read: the page's queries through the report functions (src/dashboard/pages.ts) and the HTML rendering (charts included), ${WARMUP} warm-up runs then ${RUNS}; the largest program (${int(data.programs[0]!.requests)} requests), its first project, mentor and mentee. Size: the HTML's bytes.`,
      ],
      data: { plan, pages: measured.map(({ load: _l, ...m }) => m), reportAloneMs: reportMs },
    };
  } finally {
    await scratch.drop().catch(() => {});
  }
}

function render(page: Page): string {
  return renderPage(page, { viewer: { login: "bench" }, csrf: "csrf", csvHref: (id) => `?csv=${id}` });
}
