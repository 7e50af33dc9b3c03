/**
 * Measure 4: write discipline. 1,000 events for one project within 10 s, then count what the app
 * writes to GitHub. The app runs as src/main.ts runs it (server, graphile-worker, production timing:
 * derive 2 s after a thread's last event, progress at most once per 60 s per project), in real time,
 * against the stand-in GitHub API of `npm run demo` (src/demo/standin-github.ts) in the bench process,
 * which records every POST and PATCH with its time.
 *
 * The quick run compresses time tenfold (derive 0.2 s, progress 6 s) and judges "≤ 1 edit per 6 s":
 * a smoke test of the same mechanism, not the verdict.
 */
import { performance } from "node:perf_hooks";
import { createHmac, randomUUID } from "node:crypto";
import { type Standin, startStandinGitHub, type StandinUser } from "../src/demo/standin-github.js";
import { DeliveryStream, type MixEntry } from "./lib/deliveries.js";
import { int, round } from "./lib/format.js";
import { runPaced } from "./lib/load.js";
import type { BenchContext, BenchSection, SectionResult } from "./lib/section.js";
import { PRODUCTION_TIMING, startTarget, type Target, WEBHOOK_PATH, WEBHOOK_SECRET } from "./lib/targets.js";

const INSTALLATION_ID = 4_200_004;
const ORG = "bench-org";
const PROGRAM = "bench-2026";
const PROJECT = "cli";
const REPO = `${ORG}/cli`;
const EVENTS = 1000;
const BURST_SECONDS = 10;
const PROGRESS_MARKER = `mentorship-tracker:progress:${PROGRAM}/${PROJECT}`;

const WRITE_MIX: MixEntry[] = [
  { name: "issue_comment", action: "created", weight: 50 },
  { name: "pull_request_review_comment", action: "created", weight: 15 },
  { name: "pull_request_review", action: "submitted", weight: 15 },
  { name: "pull_request", action: "synchronize", weight: 20 },
];

const user = (id: number, login: string): StandinUser => ({ id, login, type: "User" });
const people = {
  admin: user(81_001, "bench-admin"),
  mentorA: user(81_002, "bench-mentor-a"),
  mentorB: user(81_003, "bench-mentor-b"),
  menteeA: user(81_004, "bench-mentee-a"),
  menteeB: user(81_005, "bench-mentee-b"),
};

export const section: BenchSection = {
  id: "write-discipline",
  number: 4,
  title: "Write discipline",
  run,
};

function day(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** A program running today, with no milestone reminder or after-due comment anywhere near. */
function roster(): string {
  return `taskLabel: mentorship
sla: { firstResponse: 48h, menteeSilence: 7d }
reminders: [10d, 5d, 0d]
admins: [${people.admin.login}]
programs:
  - id: ${PROGRAM}
    name: Bench program
    starts: ${day(-30)}
    ends: ${day(60)}
    timezone: UTC
    trackingRepo: ${ORG}/community
    milestones:
      - { id: midterm, title: Mid-term evaluation, due: ${day(30)} }
      - { id: final, title: Final evaluation, due: ${day(60)} }
    projects:
      - id: ${PROJECT}
        title: Bench CLI
        repos: [${REPO}]
        trackingIssue: ${ORG}/community#1
        mentors: [${people.mentorA.login}, ${people.mentorB.login}]
        mentees: [${people.menteeA.login}, ${people.menteeB.login}]
`;
}

async function run(ctx: BenchContext): Promise<SectionResult> {
  const scale = ctx.quick ? 0.1 : 1;
  const timing = {
    deriveDelaySeconds: PRODUCTION_TIMING.deriveDelaySeconds * scale,
    progressDelaySeconds: PRODUCTION_TIMING.progressDelaySeconds * scale,
  };
  const burstSeconds = BURST_SECONDS * scale;
  const scratch = await ctx.createDatabase("writes");
  const standin = await startStandinGitHub({
    appSlug: "mentorship-tracker",
    files: { [`${ORG}/.github:.github/mentorship.yml`]: roster() },
    people: Object.values(people),
    roles: { [people.admin.login]: "admin" },
    now: () => new Date(),
  });
  let target: Target | undefined;
  try {
    target = await startTarget("writes", {
      kind: "app",
      databaseUrl: scratch.url,
      worker: true,
      crontab: "",
      githubBaseUrl: `${standin.url}/api/v3`,
      timing,
    });
    const app = target;
    const setup = ctx.progress.phase("write discipline: installing the app and creating the progress comment", { seconds: 10 });
    await install(app.url);
    await waitFor(async () => (await app.query<{ n: number }>("select count(*)::int as n from rosters"))[0]!.n > 0, 30_000, "the roster to load");
    // The roster load queues a progress refresh `progressDelaySeconds` away; run it now, so the burst
    // below finds the progress comment in place and what follows are edits.
    await app.query(
      `select graphile_worker.add_job('refresh-progress', '${JSON.stringify({ installationId: INSTALLATION_ID, programId: PROGRAM, projectId: PROJECT })}'::json,
         run_at := now(), job_key := 'progress:${INSTALLATION_ID}:${PROGRAM}/${PROJECT}', job_key_mode := 'replace')`,
    );
    await waitFor(async () => standin.comments.some((c) => c.body.includes(PROGRESS_MARKER)), 30_000, "the progress comment");
    await waitFor(async () => (await pendingJobs(app)) === 0, 30_000, "the set-up jobs");
    setup.end("roster loaded, progress comment created");
    const before = standin.writes.length;
    const progressComment = standin.comments.find((c) => c.body.includes(PROGRESS_MARKER))!;
    const bodyBefore = progressComment.body;

    const stream = new DeliveryStream({
      secret: WEBHOOK_SECRET,
      installationId: INSTALLATION_ID,
      org: ORG,
      repos: 1,
      mix: WRITE_MIX,
      seed: 4,
      // The progress comment shows activity up to the last whole minute, and a 6 s refresh would fall in
      // the burst's own minute: the quick run dates its events 90 s back so the refresh can show them.
      shape: shapeForProject(ctx.quick ? 90_000 : 0),
    });
    const burstStarted = Date.now();
    const burstPhase = ctx.progress.phase(`write discipline: ${EVENTS} deliveries for one project in ${burstSeconds} s`, { seconds: burstSeconds });
    const burst = await runPaced({ url: app.url, path: WEBHOOK_PATH, rate: EVENTS / burstSeconds, seconds: burstSeconds, next: () => stream.next(), seed: 11 });
    burstPhase.end(`${burst.ok} acknowledged in ${burst.seconds.toFixed(1)} s`);

    // Real time: the refresh can come `progressDelaySeconds` after the first derive, which waits for
    // each thread's last event plus `deriveDelaySeconds`. Watch until the queue is empty after that.
    const earliestEnd = burstStarted + (burst.seconds + timing.deriveDelaySeconds + timing.progressDelaySeconds) * 1000;
    const deadline = earliestEnd + 30_000 * scale + 5_000;
    const watch = ctx.progress.phase("write discipline: watching GitHub writes while the debounced jobs run", {
      seconds: (deadline - Date.now()) / 1000,
    });
    while (Date.now() < deadline) {
      if (Date.now() >= earliestEnd && (await pendingJobs(app)) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
      watch.update(undefined, `${standin.writes.length - before} writes so far`);
    }
    const observedSeconds = (Date.now() - burstStarted) / 1000;
    watch.end(`${standin.writes.length - before} writes in ${observedSeconds.toFixed(0)} s`);

    const stored = (await app.query<{ events: number; requests: number; jobs: number }>(
      `select (select count(*) from events)::int as events, (select count(*) from requests)::int as requests,
              (select count(*) from graphile_worker._private_jobs)::int as jobs`,
    ))[0]!;
    return summarise({
      writes: standin.writes.slice(before),
      standin,
      progressCommentId: progressComment.id,
      bodyChanged: progressComment.body !== bodyBefore,
      body: progressComment.body,
      burstStarted,
      burstOk: burst.ok,
      burstFailed: burst.non2xx + burst.errors,
      burstSeconds: burst.seconds,
      plannedBurstSeconds: burstSeconds,
      observedSeconds,
      stored,
      timing,
      quick: ctx.quick,
      warnings: app.warnings().length,
    });
  } finally {
    await target?.stop().catch(() => {});
    await standin.close();
    await scratch.drop().catch(() => {});
  }
}

/** Everything happens on the project's repository, between its mentees and mentors, `agoMs` before now. */
const shapeForProject = (agoMs: number) => (p: Record<string, any>, seq: number, entry: MixEntry): void => {
  const now = new Date(Date.now() - agoMs).toISOString().replace(/\.\d{3}Z$/, "Z");
  const mentor = seq % 3 === 0 ? people.mentorB : people.mentorA;
  const isPr = entry.name.startsWith("pull_request");
  // Ten PRs and ten issues; a PR's author is its mentee, and so is an issue's.
  const number = isPr ? 1 + (seq % 10) : 11 + (seq % 10);
  const author = number % 2 === 0 ? people.menteeA : people.menteeB;
  const repoName = REPO.split("/")[1]!;
  p.repository = { ...p.repository, name: repoName, full_name: REPO, owner: { ...p.repository?.owner, login: ORG } };
  const thread = isPr ? p.pull_request : p.issue;
  thread.number = number;
  thread.id = number;
  thread.node_id = `${isPr ? "PR" : "I"}_writes_${number}`;
  thread.user = { ...author };
  thread.updated_at = now;
  thread.draft = false;
  if (!isPr) delete p.issue.pull_request;
  let actor: StandinUser;
  if (entry.name === "pull_request_review") {
    actor = mentor;
    p.review.state = "commented";
    p.review.submitted_at = now;
    p.review.user = { ...actor };
  } else if (entry.name === "pull_request") {
    actor = author;
  } else {
    actor = seq % 2 === 0 ? author : mentor;
    p.comment.user = { ...actor };
    p.comment.created_at = now;
    p.comment.updated_at = now;
  }
  p.sender = { ...actor };
};

async function install(url: string): Promise<void> {
  const body = JSON.stringify({
    action: "created",
    installation: { id: INSTALLATION_ID, account: { login: ORG, id: 80_000, type: "Organization" } },
    sender: people.admin,
  });
  const response = await fetch(`${url}${WEBHOOK_PATH}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "installation",
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`,
    },
    body,
  });
  if (response.status !== 200) throw new Error(`installation delivery answered ${response.status}`);
}

async function pendingJobs(target: Target): Promise<number> {
  return (await target.query<{ n: number }>("select count(*)::int as n from graphile_worker._private_jobs"))[0]!.n;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`write discipline: timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

interface Observed {
  writes: Standin["writes"];
  standin: Standin;
  progressCommentId: number;
  bodyChanged: boolean;
  body: string;
  burstStarted: number;
  burstOk: number;
  burstFailed: number;
  burstSeconds: number;
  plannedBurstSeconds: number;
  observedSeconds: number;
  stored: { events: number; requests: number; jobs: number };
  timing: { deriveDelaySeconds: number; progressDelaySeconds: number };
  quick: boolean;
  warnings: number;
}

function summarise(o: Observed): SectionResult {
  const progressPath = new RegExp(`/issues/comments/${o.progressCommentId}$`);
  const isProgress = (w: Standin["writes"][number]) =>
    (w.method === "PATCH" && progressPath.test(w.path)) ||
    (w.method === "POST" && /\/issues\/\d+\/comments$/.test(w.path) && o.standin.comments.some((c) => c.body.includes(PROGRESS_MARKER) && Date.parse(c.created_at) === Date.parse(w.at)));
  const times = o.writes.map((w) => ({ ...w, seconds: (Date.parse(w.at) - o.burstStarted) / 1000, progress: isProgress(w) }));
  const progress = times.filter((w) => w.progress);
  const window = o.timing.progressDelaySeconds;
  // The most progress writes in any window of `window` seconds (windows starting at each write).
  const maxInWindow = progress.reduce((max, w) => Math.max(max, progress.filter((x) => x.seconds >= w.seconds && x.seconds < w.seconds + window).length), 0);
  const met = maxInWindow <= 1;
  const perMinute = o.quick ? `per ${window} s (time ×10)` : "per minute";
  const others = times.filter((w) => !w.progress);
  return {
    status: "measured",
    rows: [
      { measure: `deliveries for one project`, value: `${int(o.burstOk)} acknowledged in ${o.burstSeconds.toFixed(1)} s (${o.burstFailed} failed) → ${int(o.stored.events)} events, ${int(o.stored.requests)} requests` },
      {
        measure: `GitHub writes in the ${o.observedSeconds.toFixed(0)} s after the burst began`,
        value: `${times.length} (${progress.length} progress edit${progress.length === 1 ? "" : "s"}, ${others.length} other); the comment ${o.bodyChanged ? "now shows the burst" : "did NOT change"}`,
      },
      {
        measure: "progress edits at (s after the burst began)",
        value: progress.length === 0 ? "none" : progress.map((w) => `${w.seconds.toFixed(1)} s`).join(", "),
      },
      { measure: `most progress edits of the project in any ${window} s`, value: String(maxInWindow), goal: `≤ 1 ${perMinute}`, verdict: met },
    ],
    goals: [
      {
        goal: `≤ 1 progress edit per project ${perMinute} under ${int(EVENTS)} events in ${o.plannedBurstSeconds} s`,
        met,
        actual: `${maxInWindow} in the busiest ${window} s; ${times.length} GitHub write${times.length === 1 ? "" : "s"} in all`,
        ...(met ? {} : { note: `${maxInWindow - 1} edit(s) too many` }),
      },
    ],
    method: [
      `The app as src/main.ts runs it (server, graphile-worker without its crontab, so no milestone or nudge job can run mid-measure) in its own process on a fresh PostgreSQL database, against the stand-in GitHub API of npm run demo (src/demo/standin-github.ts) in the bench process through Probot's baseUrl, with UnthrottledOctokit so the counts are the app's own decisions, not Octokit's pacing.`,
      `Set-up: an installation delivery; the app reads the roster (one program running today, project "${PROJECT}" with 2 mentors and 2 mentees, tracking issue given) from the stand-in; its progress comment is created.`,
      `Then ${int(EVENTS)} signed deliveries in ${o.plannedBurstSeconds} s (Poisson arrivals at ${EVENTS / o.plannedBurstSeconds}/s, open loop): mentee and mentor comments on 10 issues, review comments, reviews and pushes on 10 PRs of the project's repository, timestamped ${o.quick ? "90 s before they are sent (see below)" : "as they are sent"}.`,
      o.quick
        ? `Quick run: time compressed tenfold (the burst sent in ${o.plannedBurstSeconds} s, as fast as the app takes it; derive ${o.timing.deriveDelaySeconds} s, progress ${o.timing.progressDelaySeconds} s), judged per ${window} s: a smoke test of the mechanism, not the verdict. The progress comment shows activity up to the last whole minute, so events are dated 90 s back for a 6 s refresh to show them.`
        : `Real time, production timing (derive ${o.timing.deriveDelaySeconds} s after a thread's last event, progress refresh at most every ${o.timing.progressDelaySeconds} s per project): the bench watches the stand-in's record of writes until the job queue is empty, at least ${o.plannedBurstSeconds + o.timing.deriveDelaySeconds + o.timing.progressDelaySeconds} s after the burst began. No simulated clock: graphile-worker schedules by the database's now().`,
    ],
    data: {
      events: EVENTS,
      burstSeconds: o.plannedBurstSeconds,
      timing: o.timing,
      timeCompressed: o.quick ? 10 : 1,
      stored: o.stored,
      progressBodyChanged: o.bodyChanged,
      progressBody: o.body,
      observedSeconds: round(o.observedSeconds, 1),
      maxProgressEditsInWindow: maxInWindow,
      windowSeconds: window,
      warnings: o.warnings,
      writes: times.map((w) => ({ method: w.method, path: w.path, secondsAfterBurstStart: round(w.seconds, 2), progress: w.progress })),
    },
  };
}
