import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { sql } from "kysely";
import nock from "nock";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { replaceThreadState } from "../../src/db/derived.js";
import { programWindow } from "../../src/domain/program.js";
import { REFUSAL, slashCommandJob } from "../../src/jobs/slash-command.js";
import { GITHUB_COMMENT_MAX_LENGTH } from "../../src/render/report-markdown.js";
import { createTestApp, mockInstallationToken, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { ghBot, ghUser, type GhUser, setRepo } from "../helpers/payloads.js";
import { NOW, seedReportWorld, waitingRequest } from "../helpers/reports.js";
import { admin, commentCreated, INSTALLATION_ID, mentee, mentor, REPO, stranger, worldModel } from "../helpers/scenario.js";

const API = "https://api.github.com";
const THREAD = 900;

/** amp-2026 runs now; big-2025 is over (so `report` without a program means amp-2026) and is huge. */
function model() {
  const base = worldModel();
  const amp = base.programs[0]!;
  return {
    ...base,
    programs: [
      amp,
      {
        ...amp,
        id: "big-2025",
        name: "A big past program",
        starts: "2025-06-01",
        ends: "2025-09-30",
        window: programWindow("2025-06-01", "2025-09-30", "UTC"),
        milestones: [],
      },
    ],
  };
}

let database: DatabaseHandle;
let app: TestApp;
let commentId = 50_000;
/** The app's clock; one test moves it. (One app only: its worker would take another app's jobs.) */
let clock = NOW;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database, { now: () => clock });
  await seedReportWorld(database.db, model());
  // Thousands of waiting requests in the past program, stored in a few large batches.
  const many = Array.from({ length: 2500 }, (_, i) =>
    waitingRequest(10_000 + i, new Date(Date.parse("2025-07-01T00:00:00Z") + i * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z"), mentee, "big-2025"),
  );
  for (let i = 0; i < many.length; i += 500) {
    await replaceThreadState(database.db, INSTALLATION_ID, { repo: REPO, number: many[i]!.number }, null, many.slice(i, i + 500));
  }
});

afterAll(async () => {
  await app.close();
  await database.close();
});

afterEach(() => {
  expect(app.errors()).toEqual([]);
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

function command(body: string, user: GhUser, options: { association?: string; repo?: string; thread?: number } = {}) {
  commentId += 1;
  const p = commentCreated({ kind: "issue", number: options.thread ?? THREAD, author: admin }, commentId, "2026-08-10T09:00:00Z", user, body);
  p.comment.author_association = options.association ?? "NONE";
  if (options.repo) setRepo(p, options.repo);
  return p;
}

function mockRole(login: string, role: string | 404, repo = REPO) {
  const scope = nock(API).get(`/repos/${repo}/collaborators/${login}/permission`);
  if (role === 404) return scope.reply(404, { message: "Not Found" });
  const permission = role === "maintain" ? "write" : role === "triage" ? "read" : role;
  return scope.reply(200, { permission, role_name: role, user: { login } });
}

/** Captures the one reply comment; `body` is set once the job posted it. */
function expectReply(repo = REPO) {
  const reply: { body?: string } = {};
  nock(API)
    .post(`/repos/${repo}/issues/${THREAD}/comments`, (b: { body: string }) => {
      reply.body = b.body;
      return true;
    })
    .reply(201, { id: 1 });
  return reply;
}

async function send(payload: unknown, name = "issue_comment") {
  await app.receive(name, payload);
  await app.runJobs();
}

/** GitHub calls nock had no mock for (the job would fail and be retried). */
function unmatched(): string[] {
  return app.logs.filter((l) => l.job === "slash-command" && l.msg === "job failed; it will be retried").map((l) => String((l.err as { message?: string })?.message));
}

describe("who may ask", () => {
  it.each(["admin", "maintain", "write"])("a %s on the repository gets the report", async (role) => {
    const user = ghUser(`writer-${role}`);
    mockInstallationToken(INSTALLATION_ID);
    mockRole(user.login, role);
    const reply = expectReply();
    await send(command("/mentorship report", user));
    expect(reply.body).toContain("## Mentor response times: amp-2026");
    expect(reply.body).toContain("| 3 | 2 | 1 | 1 | 1h 30m |");
  });

  it.each(["triage", "read", 404] as const)("someone with %s access is refused and learns no numbers", async (role) => {
    const user = ghUser(`reader-${role}`);
    mockInstallationToken(INSTALLATION_ID);
    mockRole(user.login, role);
    const reply = expectReply();
    await send(command("/mentorship report amp-2026", user));
    expect(reply.body).toBe(REFUSAL);
    expect(reply.body).not.toMatch(/\d/);
  });

  it("a stranger naming a program that does not exist gets the same refusal (nothing to probe)", async () => {
    mockInstallationToken(INSTALLATION_ID);
    mockRole(stranger.login, "read");
    const reply = expectReply();
    await send(command("/mentorship report secret-program", stranger));
    expect(reply.body).toBe(REFUSAL);
  });

  it("a private org member (author_association CONTRIBUTOR) with role write is allowed", async () => {
    const member = ghUser("private-member");
    mockInstallationToken(INSTALLATION_ID);
    mockRole(member.login, "write");
    const reply = expectReply();
    await send(command("/mentorship report", member, { association: "CONTRIBUTOR" }));
    expect(reply.body).toContain("Mentor response times: amp-2026");
  });

  it("an org's custom role is judged by the base permission it inherits", async () => {
    const user = ghUser("custom-role");
    mockInstallationToken(INSTALLATION_ID);
    nock(API).get(`/repos/${REPO}/collaborators/${user.login}/permission`).reply(200, { permission: "write", role_name: "release-manager" });
    const reply = expectReply();
    await send(command("/mentorship report", user));
    expect(reply.body).toContain("Mentor response times");
  });

  it("a roster mentor is allowed whatever their repository role: the roster answers, GitHub is not asked", async () => {
    mockInstallationToken(INSTALLATION_ID);
    const reply = expectReply();
    await send(command("/mentorship report", mentor, { association: "NONE" }));
    expect(reply.body).toContain("Mentor response times: amp-2026");
  });

  it("a roster admin is allowed the same way", async () => {
    mockInstallationToken(INSTALLATION_ID);
    const reply = expectReply();
    await send(command("/mentorship report --mentor mentor-two", admin));
    expect(reply.body).toContain("**mentor-two**");
    expect(reply.body).not.toContain("**mentor-one**");
  });

  it("a mentee is not a mentor: refused unless the repository says otherwise", async () => {
    mockInstallationToken(INSTALLATION_ID);
    // In a repository no project covers: a mentee's comment in a project repository would also
    // queue a progress refresh, which is not what this test is about.
    mockRole(mentee.login, "read", "asyncapi/website");
    const reply = expectReply("asyncapi/website");
    await send(command("/mentorship report", mentee, { repo: "asyncapi/website" }));
    expect(reply.body).toBe(REFUSAL);
  });

  it.each([
    ["another app's bot", ghBot("dependabot")],
    ["this app itself", ghBot("mentorship-tracker")],
    ["a [bot] login typed as User", ghUser("sneaky[bot]")],
  ])("%s is ignored without a single HTTP call", async (_label, bot) => {
    await send(command("/mentorship report", bot));
    expect(unmatched()).toEqual([]);
  });
});

describe("what counts as a command", () => {
  it("an edited comment is ignored: no job, no call", async () => {
    const p = command("/mentorship report", admin);
    p.action = "edited";
    p.changes = { body: { from: "typo" } };
    await send(p);
    const jobs = await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'slash-command'`.execute(database.db);
    expect(jobs.rows[0]!.n).toBe(0);
    expect(unmatched()).toEqual([]);
  });

  it("a command on the second line is ignored", async () => {
    await send(command("Thanks for the review!\n/mentorship report", admin));
    expect(unmatched()).toEqual([]);
  });
});

describe("report", () => {
  it("names the API endpoint and the CLI command for the full report, with the same filters", async () => {
    mockInstallationToken(INSTALLATION_ID);
    const reply = expectReply();
    await send(command("/mentorship report amp-2026 --project cli --since 2026-07-01", admin));
    expect(reply.body).toContain("requests since 2026-07-01");
    // 101 opened on 2026-07-01 is in; the window is inclusive of its first day.
    expect(reply.body).toContain("| 3 | 2 | 1 | 1 |");
    // A report too long for one comment points to the full one, every filter carried over.
    const big = expectReply();
    mockInstallationToken(INSTALLATION_ID);
    await send(command("/mentorship report big-2025 --project cli --mentor mentor-one --since 2025-07-01 --until 2025-07-01", admin));
    // The 1,440 requests opened on 2025-07-01 (one a minute), not the 2,500 of the program.
    expect(big.body).toContain("| 1440 | 0 | 1440 | 1440 |");
    expect(big.body).toContain(
      "`GET /api/v1/programs/big-2025/response-times?since=2025-07-01&until=2025-07-01&project=cli&mentor=mentor-one`",
    );
    expect(big.body).toContain("`mentorship report --program big-2025 --project cli --mentor mentor-one --since 2025-07-01 --until 2025-07-01`");
  });

  it("a long report fits in one GitHub comment and says what it left out", async () => {
    mockInstallationToken(INSTALLATION_ID);
    const reply = expectReply();
    await send(command("/mentorship report big-2025", admin));
    const body = reply.body!;
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_LENGTH);
    expect(body).toContain("| 2500 | 0 | 2500 | 2500 |");
    expect(body).toMatch(/… \d+ more waiting requests not shown; the full report: `GET \/api\/v1\/programs\/big-2025\/response-times`/);
  });

  it("asks which program when none is named and not exactly one is running", async () => {
    clock = new Date("2027-01-10T00:00:00Z");
    try {
      mockInstallationToken(INSTALLATION_ID);
      const reply = expectReply();
      await send(command("/mentorship report", admin));
      expect(reply.body).toContain("No program is running today: which one?");
      expect(reply.body).toContain("- `amp-2026`: 2026-06-15 to 2026-10-17\n");
      expect(reply.body).toContain("- `big-2025`: 2025-06-01 to 2025-09-30");
    } finally {
      clock = NOW;
    }
  });

  it("an unknown program or project is named, with what exists", async () => {
    mockInstallationToken(INSTALLATION_ID);
    const reply = expectReply();
    await send(command("/mentorship report gsoc-2030", admin));
    expect(reply.body).toContain("Unknown program `gsoc-2030`.");
    expect(reply.body).toContain("- `amp-2026`: 2026-06-15 to 2026-10-17, running");

    mockInstallationToken(INSTALLATION_ID);
    const second = expectReply();
    await send(command("/mentorship report --project website", admin));
    expect(second.body).toBe("`amp-2026` has no project `website`. Its projects: `cli`.");

    mockInstallationToken(INSTALLATION_ID);
    const third = expectReply();
    await send(command("/mentorship report --mentor nobody-here", admin));
    expect(third.body).toBe("`nobody-here` mentors no project in `amp-2026`.");
  });
});

describe("malformed commands and help", () => {
  it.each([
    ["/mentorship reprot", "unknown command `reprot`"],
    ["/mentorship report --since 2026-13-01", "`--since`: `2026-13-01` is not a date (use YYYY-MM-DD)"],
    ["/mentorship report --verbose", "unknown option `--verbose`"],
  ])("%s gets the reason and the help", async (text, why) => {
    mockInstallationToken(INSTALLATION_ID);
    const reply = expectReply();
    await send(command(text, mentor));
    expect(reply.body!.split("\n")[0]).toBe(why);
    expect(reply.body).toContain("`/mentorship status`");
  });

  it("/mentorship alone is help", async () => {
    mockInstallationToken(INSTALLATION_ID);
    const reply = expectReply();
    await send(command("/mentorship", mentor));
    expect(reply.body).toMatch(/^\*\*`\/mentorship` commands\*\*/);
  });
});

describe("status", () => {
  it("queues this project's progress refresh now and reacts +1", async () => {
    const refreshJobs = sql`from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'refresh-progress'`;
    expect((await sql`select 1 ${refreshJobs}`.execute(database.db)).rows).toEqual([]);
    mockInstallationToken(INSTALLATION_ID);
    let reaction: unknown;
    nock(API)
      .post(`/repos/${REPO}/issues/comments/${commentId + 1}/reactions`, (b) => {
        reaction = b;
        return true;
      })
      .reply(201, { id: 1 });
    // The job itself, inside a transaction that is then rolled back: the running worker would
    // otherwise start the refresh at once, and what the refresh does is another test's business.
    // The payload is the one receive.ts enqueues.
    const p = command("/mentorship status", mentor);
    const rollback = new Error("rollback");
    let jobs: unknown[] = [];
    await expect(
      database.db.transaction().execute(async (trx) => {
        await slashCommandJob(
          { ...app.deps, db: trx },
          {
            installationId: INSTALLATION_ID,
            repo: REPO,
            number: THREAD,
            commentId: p.comment.id,
            body: p.comment.body,
            author: { id: mentor.id, login: mentor.login, type: "User" },
          },
        );
        jobs = (await sql`select j.payload, j.key, j.run_at <= now() as due ${refreshJobs}`.execute(trx)).rows;
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(reaction).toEqual({ content: "+1" });
    // Only the running program's project, although the repository was in big-2025 too.
    expect(jobs).toEqual([
      { payload: { installationId: INSTALLATION_ID, programId: "amp-2026", projectId: "cli" }, key: `progress:${INSTALLATION_ID}:amp-2026/cli`, due: true },
    ]);
  });

  it("says so when no project covers the repository", async () => {
    mockInstallationToken(INSTALLATION_ID);
    const reply = expectReply("asyncapi/website");
    await send(command("/mentorship status", mentor, { repo: "asyncapi/website" }));
    expect(reply.body).toBe("No project covers this repository, so there is no progress comment to refresh.");
  });
});

describe("delivery of the reply", () => {
  it("under DRY_RUN the reply is logged with its body, not posted", async () => {
    app.deps.dryRun = true;
    try {
      mockInstallationToken(INSTALLATION_ID);
      const p = command("/mentorship help", admin);
      await send(p);
      const line = app.logs.find((l) => l.msg === "dry run: write not sent" && (l.body as { comment_id?: number })?.comment_id === undefined);
      expect(line).toEqual(
        expect.objectContaining({
          method: "POST",
          url: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
          body: { owner: "asyncapi", repo: "cli", issue_number: THREAD, body: expect.stringContaining("`/mentorship report") },
        }),
      );
    } finally {
      app.deps.dryRun = false;
    }
  });

  it("a locked thread is given up on with a warning, not retried forever", async () => {
    mockInstallationToken(INSTALLATION_ID);
    nock(API).post(`/repos/${REPO}/issues/${THREAD}/comments`).reply(403, { message: "Unable to create comment because issue is locked." });
    await send(command("/mentorship help", admin));
    expect(app.logs.some((l) => l.level === 40 && l.msg.startsWith("cannot answer the command"))).toBe(true);
    expect(unmatched()).toEqual([]);
  });
});
