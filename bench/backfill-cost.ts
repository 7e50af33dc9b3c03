/**
 * Measure 3: what a full backfill of a simulated org (2,000 PRs and 2,000 issues with comments,
 * reviews, pushes, labels) costs in GitHub requests and GraphQL points, beside the REST calls that
 * github/issue-metrics' per-item pattern makes for the same items.
 *
 * The app's own backfill (`Backfill` from src/jobs/backfill.ts, the code the `backfill` job and the
 * CLI run) reads a stand-in GitHub over HTTP (src/demo/standin-graphql.ts: GitHub's search
 * qualifiers, 1,000-result cap, cursors and a cost model) and writes a scratch PostgreSQL database.
 */
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { pino } from "pino";
import { Probot } from "probot";
import { saveRoster, upsertInstallation } from "../src/db/rosters.js";
import type { AppDeps } from "../src/deps.js";
import { type GraphqlRequest, StandinOrg } from "../src/demo/standin-graphql.js";
import { installationOctokit, UnthrottledOctokit } from "../src/github/octokit.js";
import { Backfill, START_SIZES } from "../src/jobs/backfill.js";
import { int, round } from "./lib/format.js";
import type { BenchContext, BenchSection, SectionResult } from "./lib/section.js";
import { FULL_ORG, type OrgPlan, QUICK_ORG, type SimulatedOrg, simulatedOrg } from "./lib/simulated-org.js";

const GOAL_RATIO = 50;
const INSTALLATION = 9_300_001;

export const section: BenchSection = { id: "backfill-cost", number: 3, title: "Backfill cost vs github/issue-metrics", run };

/**
 * REST requests github/issue-metrics (issue_metrics.py and its modules, read at commit 069f858) makes
 * for the same items, with LABELS_TO_MEASURE set to the task label (time spent as a task):
 *  - the search, 100 per page;
 *  - per PR: `pull_request()` (1), `events(number=50)` for ready-for-review (1 page), the first
 *    comments (`comments(number=20)`, 1 page), `reviews(number=50)` (1 page), and the label events
 *    (`events()`, every page of 30);
 *  - per issue: the first comments (1) and the label events (every page of 30).
 * Its lazy iterators stop at the first useful item, so one page each except the label events.
 * (A single search cannot even return more than 1,000 of these items; counted as if it could.)
 */
export function issueMetricsRequests(org: SimulatedOrg): { total: number; search: number; perPr: number; perIssue: number } {
  const search = Math.ceil(org.stats.length / 100);
  let prs = 0;
  let prCalls = 0;
  let issueCalls = 0;
  for (const s of org.stats) {
    const labelEventPages = Math.max(1, Math.ceil(s.events / 30));
    if (s.kind === "pr") {
      prs += 1;
      // Every simulated PR is ready for review today, so the ready-for-review events call is always made.
      prCalls += 1 + 1 + 1 + 1 + labelEventPages;
    } else {
      issueCalls += 1 + labelEventPages;
    }
  }
  const issues = org.stats.length - prs;
  return { total: search + prCalls + issueCalls, search, perPr: prCalls / Math.max(1, prs), perIssue: issueCalls / Math.max(1, issues) };
}

async function run(ctx: BenchContext): Promise<SectionResult> {
  const plan: OrgPlan = ctx.quick ? QUICK_ORG : FULL_ORG;
  const org = simulatedOrg(plan);
  const standin = new StandinOrg(org.threads);
  const http = { token: 0, graphql: 0, other: 0 };
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (req.method === "POST" && /\/app\/installations\/\d+\/access_tokens$/.test(req.url ?? "")) {
        http.token += 1;
        res.writeHead(201).end(JSON.stringify({ token: "bench-token", expires_at: "2099-01-01T00:00:00Z", permissions: {} }));
      } else if (req.method === "POST" && req.url === "/api/graphql") {
        http.graphql += 1;
        res.writeHead(200).end(JSON.stringify(standin.answer(JSON.parse(body) as GraphqlRequest)));
      } else {
        http.other += 1;
        res.writeHead(404).end(JSON.stringify({ message: `no route for ${req.method} ${req.url}` }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const scratch = await ctx.createDatabase("backfill-cost");
  try {
    const { db } = await scratch.open();
    await upsertInstallation(db, { id: INSTALLATION, accountLogin: org.account, accountId: 1, accountType: "Organization" });
    await saveRoster(db, INSTALLATION, org.model, null);
    const log = pino({ level: "silent" });
    const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
    const probot = new Probot({ appId: 1, privateKey, log, baseUrl: `${base}/api/v3`, Octokit: UnthrottledOctokit });
    const deps: AppDeps = { db, log, probot, now: () => new Date(), dryRun: false, reportTokens: [], timing: { deriveDelaySeconds: 2, progressDelaySeconds: 60 } };

    const started = performance.now();
    const backfill = (await Backfill.start(deps, await installationOctokit(deps, INSTALLATION), INSTALLATION))!;
    const phase = ctx.progress.phase(`backfill-cost: ${int(plan.prs)} PRs and ${int(plan.issues)} issues`, { total: org.threads.length });
    for (;;) {
      const outcome = await backfill.step();
      if (outcome.kind === "done") break;
      if (outcome.kind === "rate-limited") throw new Error("the stand-in never rate-limits; the backfill thought it did");
      const status = await backfill.status();
      phase.update(status.threads.fetched, `${status.searches.done}/${status.searches.total} searches, ${int(standin.counts.requests)} requests`);
    }
    const seconds = (performance.now() - started) / 1000;
    const status = await backfill.status();
    phase.end(`${int(status.threads.fetched)} threads, ${int(standin.counts.requests)} requests, ${int(standin.counts.points)} points, ${round(seconds)} s`);

    const ours = standin.counts.requests;
    const theirs = issueMetricsRequests(org);
    const ratio = theirs.total / ours;
    const complete = status.threads.fetched === org.threads.length;
    const judged = ctx.quick ? null : ratio >= GOAL_RATIO && complete;
    return {
      status: "measured",
      rows: [
        { measure: "simulated org", value: `${int(plan.prs)} PRs + ${int(plan.issues)} issues, ${int(org.threads.reduce((n, t) => n + t.timeline.length, 0))} timeline items` },
        { measure: "backfill: GraphQL requests", value: int(ours) },
        { measure: "backfill: GraphQL points", value: int(standin.counts.points) },
        { measure: "backfill: threads found and read", value: `${int(status.threads.fetched)} of ${int(org.threads.length)}` },
        { measure: "issue-metrics pattern: REST requests", value: `${int(theirs.total)} (${round(theirs.perPr)}/PR, ${round(theirs.perIssue)}/issue)` },
        { measure: "requests saved (issue-metrics ÷ backfill)", value: `${round(ratio)}×`, goal: `≥ ${GOAL_RATIO}×`, verdict: judged },
        { measure: "backfill wall time (stand-in, unthrottled)", value: `${round(seconds)} s` },
      ],
      goals: [
        {
          goal: `≥ ${GOAL_RATIO}× fewer requests than github/issue-metrics for the same items`,
          met: judged,
          actual: `${round(ratio)}×`,
          note: complete ? undefined : `only ${status.threads.fetched} of ${org.threads.length} threads were found: the comparison is void`,
        },
      ],
      method: [
        `The app's Backfill (the code the backfill job and \`mentorship backfill\` run) against a stand-in GitHub over HTTP that answers its GraphQL queries like GitHub (search qualifiers, the 1,000-result cap, cursors, a cost model), writing a scratch PostgreSQL database.`,
        `Simulated org: ${plan.mentees} mentees, ${plan.mentors} mentors, ${plan.repos} repositories; seeded, so every run counts the same.`,
        `Page sizes: ${START_SIZES.searchPage} search results, ${START_SIZES.threadBatch} threads per nodes() query, ${START_SIZES.timelinePage} timeline items.`,
        "issue-metrics: the REST calls its per-item pattern makes for the same items (see issueMetricsRequests in bench/backfill-cost.ts), counted, not run.",
        `In production Probot paces GraphQL at one request per second, so this backfill takes about ${int(ours)} s of GitHub time; the wall time above has no pacing.`,
      ],
      data: {
        plan,
        backfill: { requests: ours, points: standin.counts.points, byOperation: standin.counts.byOperation, tokenRequests: http.token, seconds: round(seconds, 2), threads: status.threads, searches: status.searches, eventsStored: backfill.counters.eventsStored },
        issueMetrics: theirs,
        ratio: round(ratio, 2),
      },
    };
  } finally {
    server.close();
    await scratch.drop();
  }
}
