import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { latencyTrends } from "../../src/dashboard/figures.js";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { toInstant } from "../../src/domain/program.js";
import * as trends from "../../src/domain/trends.js";
import { REPORT_TOKEN } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { seedDashboardStory, startDashboard, STORY_PEOPLE, Visitor, type DashboardWorld } from "../helpers/dashboard.js";
import { lifecycleModel } from "../helpers/lifecycle.js";
import { admin, INSTALLATION_ID, mentee } from "../helpers/scenario.js";

let database: DatabaseHandle;
let world: DashboardWorld;
let clock = new Date("2026-08-20T12:00:00Z");

beforeAll(async () => {
  database = await createTestDatabase();
  world = await startDashboard(database, STORY_PEOPLE, { now: () => clock });
  await seedDashboardStory(database, world.app);
});

afterAll(async () => {
  await world.close();
  await database.close();
});

afterEach(() => {
  expect(world.app.errors()).toEqual([]);
  expect(nock.pendingMocks()).toEqual([]);
});

const visitor = () => new Visitor(world.app.url);

async function signedIn(login: string): Promise<Visitor> {
  const v = visitor();
  await v.signIn(login);
  return v;
}

async function apiReport(query = ""): Promise<any> {
  const response = await fetch(`${world.app.url}/api/v1/programs/amp-2026/response-times${query}`, { headers: { authorization: `Bearer ${REPORT_TOKEN}` } });
  return response.json();
}

describe("signed out", () => {
  it("sees the sign-in page and no figure: pages redirect to it, CSV and JSON answer 401", async () => {
    const v = visitor();
    const home = await v.fetch("/");
    expect(home.status).toBe(303);
    expect(home.headers.get("location")).toBe("/signin?next=%2F");
    const program = await v.fetch("/programs/amp-2026");
    expect(program.headers.get("location")).toBe("/signin?next=%2Fprograms%2Famp-2026");
    const page = await (await v.fetch("/signin")).text();
    expect(page).toContain("Sign in with GitHub");
    expect(page).not.toMatch(/amp-2026|AsyncAPI|mentee-one/);
    expect((await v.fetch("/programs/amp-2026?format=json")).status).toBe(401);
    expect((await v.fetch("/programs/amp-2026?csv=waiting")).status).toBe(401);
  });

  it("can read what the app stores and why, which names nobody", async () => {
    const v = visitor();
    expect(await (await v.fetch("/signin")).text()).toContain('href="/privacy"');
    const privacy = await v.fetch("/privacy");
    expect(privacy.status).toBe(200);
    const page = await privacy.text();
    expect(page).toContain("<title>What this app stores · mentorship-tracker</title>");
    expect(page).toContain("mentorship privacy export");
    expect(page).not.toMatch(/mentee-one|mentor-one|Sign out/);
  });

  it("a forged or altered session cookie counts as signed out", async () => {
    const v = await signedIn("program-admin");
    const real = v.cookies.get("mt_session")!;
    const [body, mac] = real.split(".");
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, "base64url").toString()), userId: 1 })).toString("base64url");
    v.cookies.set("mt_session", `${forged}.${mac}`);
    expect((await v.fetch("/")).status).toBe(303);
  });
});

describe("signing in through GitHub's OAuth (the stand-in)", () => {
  it("sets an HttpOnly, SameSite session cookie naming the numeric id, and returns to the page asked for", async () => {
    const v = visitor();
    const start = await v.fetch("/auth/github?next=%2Fprograms%2Famp-2026&login=program-admin");
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get("location")!);
    expect(authorize.origin).toBe(world.standin.url);
    expect(authorize.pathname).toBe("/login/oauth/authorize");
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${world.app.url}/auth/github/callback`);
    const back = await fetch(authorize, { redirect: "manual" });
    const callback = await v.fetch(back.headers.get("location")!);
    expect(callback.status).toBe(303);
    expect(callback.headers.get("location")).toBe("/programs/amp-2026");
    const cookie = callback.headers.getSetCookie().find((c) => c.startsWith("mt_session="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const session = JSON.parse(Buffer.from(v.cookies.get("mt_session")!.split(".")[0]!, "base64url").toString());
    expect(session.userId).toBe(admin.id);
  });

  it("refuses a callback whose state this browser did not start", async () => {
    const v = visitor();
    const start = await v.fetch("/auth/github?login=program-admin");
    const back = await fetch(start.headers.get("location")!, { redirect: "manual" });
    const stolen = new URL(back.headers.get("location")!);
    // Another browser (no sign-in cookie) opens the link.
    const other = visitor();
    const answer = await other.fetch(stolen.pathname + stolen.search);
    expect(answer.status).toBe(400);
    expect(other.cookies.has("mt_session")).toBe(false);
  });

  it("signing out needs the form's token, and clears the session", async () => {
    const v = await signedIn("program-admin");
    const page = await (await v.fetch("/")).text();
    expect((await v.post("/signout", {})).status).toBe(403);
    expect(v.cookies.has("mt_session")).toBe(true);
    const out = await v.post("/signout", { csrf: Visitor.csrfOf(page) });
    expect(out.status).toBe(303);
    expect(v.cookies.has("mt_session")).toBe(false);
    expect((await v.fetch("/")).status).toBe(303);
  });
});

describe("who sees what", () => {
  it("an admin sees every program with its queue, and the program's figures equal the report API's", async () => {
    const v = await signedIn("program-admin");
    const programs = (await (await v.fetch("/?format=json")).json()) as any;
    const row = programs.tables[0].rows.find((r: unknown[]) => r[0] === "amp-2026");
    const api = await apiReport();
    // mentees, waiting, overdue
    expect(row.slice(5, 8)).toEqual([2, api.totals.waiting, api.totals.overdue]);
    expect([api.totals.waiting, api.totals.overdue]).toEqual([1, 1]);

    const page = (await (await v.fetch("/programs/amp-2026?format=json")).json()) as any;
    const projects = page.tables.find((t: any) => t.id === "projects");
    const cli = projects.rows[0];
    const column = (name: string) => cli[projects.columns.indexOf(name)];
    expect(column("p50_seconds")).toBe(api.byProject[0].p50Seconds);
    expect(column("p50_seconds")).toBe(5 * 3600);
    expect(column("within_sla")).toBe(api.byProject[0].withinSla);
    const waiting = page.tables.find((t: any) => t.id === "waiting");
    expect(waiting.rows.map((r: unknown[]) => r[0])).toEqual(api.waiting.map((w: any) => w.url));

    const html = await (await v.fetch("/programs/amp-2026")).text();
    expect(html).toContain("Time to first response");
    expect(html).toContain("mentee-two");
    const csv = await v.fetch("/programs/amp-2026?csv=waiting");
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(await csv.text()).toContain("https://github.com/asyncapi/cli/pull/11");
  });

  it("a mentee sees their own page and their project's aggregates, never another mentee's page, CSV or JSON", async () => {
    const v = await signedIn("mentee-one");
    expect((await v.fetch("/programs/amp-2026/mentees/mentee-one")).status).toBe(200);
    const project = await v.fetch("/programs/amp-2026/projects/cli");
    expect(project.status).toBe(200);
    const aggregate = await project.text();
    expect(aggregate).not.toContain("mentee-two");
    expect(aggregate).toContain("Median first response");
    for (const path of ["/programs/amp-2026/mentees/mentee-two", "/programs/amp-2026/mentees/Mentee-Two?csv=requests", "/programs/amp-2026/mentees/mentee-two?format=json", "/programs/amp-2026", "/programs/amp-2026/mentors/mentor-one"]) {
      const response = await v.fetch(path);
      expect([path, response.status]).toEqual([path, 403]);
      expect(await response.text()).not.toContain("mentee-two");
    }
  });

  it("a mentor sees their program, their mentees and what waits for them; someone on no roster sees nothing", async () => {
    const v = await signedIn("mentor-two");
    const waiting = (await (await v.fetch("/programs/amp-2026/mentors/mentor-two?format=json")).json()) as any;
    expect(waiting.tables.find((t: any) => t.id === "waiting").rows.map((r: unknown[]) => r[1])).toEqual(["mentee-two"]);
    expect((await v.fetch("/programs/amp-2026/mentees/mentee-one")).status).toBe(200);
    expect((await v.fetch("/programs/amp-2026/mentors/mentor-one")).status).toBe(403);

    const outsider = await signedIn("passer-by");
    const home = await outsider.fetch("/");
    expect(home.status).toBe(403);
    const text = await home.text();
    expect(text).toContain("No program lists you");
    expect(text).not.toContain("amp-2026");
    expect((await outsider.fetch("/programs/amp-2026/projects/cli")).status).toBe(403);
    expect((await outsider.fetch("/programs/no-such-program")).status).toBe(403);
  });
});

describe("the Insights page", () => {
  it("shows admins the insights as charts, with the insights CSV; nobody else", async () => {
    const v = await signedIn("program-admin");
    expect(await (await v.fetch("/")).text()).toContain('href="/insights"');
    const page = await (await v.fetch("/insights")).text();
    expect(page).toContain("Participants per year");
    expect((page.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(1);
    const api = (await (await fetch(`${world.app.url}/api/v1/insights?format=csv`, { headers: { authorization: `Bearer ${REPORT_TOKEN}` } })).text());
    expect(await (await v.fetch("/insights?csv=insights")).text()).toBe(api);

    const mentorView = await signedIn("mentor-one");
    expect(await (await mentorView.fetch("/")).text()).not.toContain('href="/insights"');
    expect((await mentorView.fetch("/insights")).status).toBe(403);
  });
});

describe("forms", () => {
  it("a mentor records an evaluation through the form; without the CSRF token nothing is recorded", async () => {
    const v = await signedIn("mentor-one");
    const page = await (await v.fetch("/programs/amp-2026/mentees/mentee-one")).text();
    const fields = { round: "midterm", project: "cli", outcome: "pass", note: "ran <b>the release</b> alone", extendTo: "" };
    const refused = await v.post("/programs/amp-2026/mentees/mentee-one/evaluations", fields);
    expect(refused.status).toBe(403);
    expect(await database.db.selectFrom("evaluations").select("id").execute()).toEqual([]);

    const recorded = await v.post("/programs/amp-2026/mentees/mentee-one/evaluations", { ...fields, csrf: Visitor.csrfOf(page) });
    expect(recorded.status).toBe(303);
    expect(recorded.headers.get("location")).toBe("/programs/amp-2026/mentees/mentee-one?recorded=evaluation");
    const rows = await database.db.selectFrom("evaluations").select(["author_login", "outcome", "note"]).execute();
    expect(rows).toEqual([{ author_login: "mentor-one", outcome: "pass", note: "ran <b>the release</b> alone" }]);

    const after = await (await v.fetch("/programs/amp-2026/mentees/mentee-one?recorded=evaluation")).text();
    expect(after).toContain("Evaluation recorded.");
    expect(after).toContain("ran &lt;b&gt;the release&lt;/b&gt; alone");
    // The mentee reads the form's state, never the mentor's outcome or note.
    const own = await (await (await signedIn("mentee-one")).fetch("/programs/amp-2026/mentees/mentee-one")).text();
    expect(own).toContain("submitted");
    expect(own).not.toContain("the release");
  });

  it("a refused submission says why, under the API's status, and records nothing", async () => {
    const v = await signedIn("mentor-one");
    const page = await (await v.fetch("/programs/amp-2026/mentees/mentee-two")).text();
    const answer = await v.post("/programs/amp-2026/mentees/mentee-two/evaluations", { csrf: Visitor.csrfOf(page), round: "final", project: "cli", outcome: "pass" });
    expect(answer.status).toBe(422);
    expect(await answer.text()).toContain("round &quot;final&quot; opens on 2026-10-10");
  });

  it("a mentor records a check-in; a mentee cannot", async () => {
    const v = await signedIn("mentor-two");
    const page = await (await v.fetch("/programs/amp-2026/mentees/mentee-two")).text();
    expect((await v.post("/programs/amp-2026/mentees/mentee-two/check-ins", { csrf: Visitor.csrfOf(page), note: "weekly call" })).status).toBe(303);
    clock = new Date("2026-08-20T12:05:00Z");
    const shown = (await (await v.fetch("/programs/amp-2026/mentees/mentee-two?format=json")).json()) as any;
    expect(shown.tables.find((t: any) => t.id === "check-ins").rows).toContainEqual(["mentee-two", "mentor-two", "2026-08-20T12:00:00Z", 0, 9]);

    const m = await signedIn("mentee-two");
    const own = await (await m.fetch("/programs/amp-2026/mentees/mentee-two")).text();
    expect(own).not.toContain("Record a check-in");
    expect((await m.post("/programs/amp-2026/mentees/mentee-two/check-ins", { csrf: Visitor.csrfOf(own) })).status).toBe(403);
  });
});

describe("the charts", () => {
  it("each page draws its charts as SVG with the numbers in a table; no script, nothing fetched", async () => {
    const v = await signedIn("program-admin");
    for (const path of ["/programs/amp-2026", "/programs/amp-2026/projects/cli"]) {
      const response = await v.fetch(path);
      const html = await response.text();
      // Distribution and weekly trend drawn; no task is done yet, so that figure says so instead.
      expect((html.match(/<figure/g) ?? []).length).toBe(3);
      expect((html.match(/<svg/g) ?? []).length).toBe(2);
      expect(html).toContain("No tasks done yet.");
      expect(html).toContain('<table class="chart-table"');
      expect(html).not.toMatch(/<script|<img|https?:\/\/(?!github\.com|www\.w3\.org)/);
      expect(response.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    }
  });

  it("the distribution and the weekly percentiles, counted in SQL, equal src/domain/trends.ts's over the same requests", async () => {
    // Latencies on the bucket edges (1 h, the 48 h SLA) and beside them, in two weeks.
    const base = { installation_id: INSTALLATION_ID, program_id: "amp-2026", project_id: "cli", mentee_id: mentee.id, mentee_login: mentee.login, repo: "asyncapi/cli", thread_kind: "issue" as const, kind: "comment", opened_by: mentee.login };
    const latencies = [3600, 3601, 172_800, 172_801, 59, null];
    await database.db
      .insertInto("requests")
      .values(latencies.map((latency, i) => ({ ...base, number: 500 + i, opened_at: new Date(Date.parse("2026-07-05T23:30:00Z") + i * 3 * 86_400_000), latency_seconds: latency, responded_at: latency === null ? null : new Date("2026-07-20T00:00:00Z") })))
      .execute();
    const model = lifecycleModel();
    const scope = { installationId: INSTALLATION_ID, program: model.programs[0]!, projectIds: null };
    const rows = await database.db.selectFrom("requests").select(["opened_at", "latency_seconds", "closed_unanswered_at"]).where("program_id", "=", "amp-2026").execute();
    const requests = rows.map((r) => ({ openedAt: toInstant(r.opened_at), latencySeconds: r.latency_seconds === null ? null : Number(r.latency_seconds), closedUnanswered: r.closed_unanswered_at !== null && r.latency_seconds === null }));
    expect(await latencyTrends(database.db, scope, model.slaSeconds)).toEqual({
      distribution: trends.latencyDistribution(requests, model.slaSeconds),
      weekly: trends.weeklyLatency(requests, { timezone: "UTC" }),
    });
    await database.db.deleteFrom("requests").where("number", ">=", 500).execute();
  });
});
