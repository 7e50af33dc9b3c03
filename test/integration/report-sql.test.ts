/**
 * The SQL report against its pure twin (buildReport in src/domain/stats.ts) on generated data, then
 * hand-computed event stories through the whole database path: events → deriveThread → requests rows →
 * report. Runs on embedded PGlite, and on real PostgreSQL when DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { pino } from "pino";
import type { Probot } from "probot";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { replaceThreadState } from "../../src/db/derived.js";
import { insertEvents } from "../../src/db/events.js";
import { saveRoster, upsertInstallation } from "../../src/db/rosters.js";
import type { AppDeps } from "../../src/deps.js";
import { type Clock, elapsedSeconds, workingDaySeconds } from "../../src/domain/business-time.js";
import { type InstallationModel, type Person, type ProgramModel, programWindow } from "../../src/domain/program.js";
import { buildReport } from "../../src/domain/stats.js";
import type {
  BusinessHours,
  DerivedRequest,
  Instant,
  LatencyStats,
  ResponseTimeReport,
  ThreadEvent,
} from "../../src/domain/types.js";
import { menteeEnrolments } from "../../src/domain/enrolments.js";
import { deriveThread } from "../../src/jobs/derive-thread.js";
import {
  AmbiguousProgramError,
  findProgramInstallation,
  listPrograms,
  type ReportFilters,
  responseTimeReport,
  UnknownProgramError,
  resolveBounds,
} from "../../src/reports/response-times.js";
import { createTestDatabase } from "../helpers/db.js";
import {
  ADMIN,
  BOT,
  MENTEE,
  MENTEE2,
  MENTOR,
  MENTOR2,
  STRANGER,
  type Story,
  seededRandom,
  shuffled,
  story,
} from "../helpers/events.js";

const H = 3600;
const SLA = 48 * H;

let database: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.close();
});

/** Recursively: no NaN or Infinity anywhere (JSON would quietly turn them into null). */
function finiteEverywhere(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(finiteEverywhere);
  if (value && typeof value === "object") return Object.values(value).every(finiteEverywhere);
  return true;
}

// ---------------------------------------------------------------------------------------------------
// 1. Agreement with the pure twin on generated data
// ---------------------------------------------------------------------------------------------------

const INSTALLATION = 9101;
const OTHER_INSTALLATION = 9102;
const NOW = "2026-08-20T12:00:00Z";

const person = (id: number, login: string): Person => ({ id, login });
const ALICE = person(1001, "alice-m");
const BOB = person(1002, "Bob");
const CAROL = person(1003, "carol");
const DAVE = person(1004, "Dave");
const EVE = person(1005, "eve");
const ROOT = person(1900, "root-admin");
// A mentee whose login changed mid-program: byMentee must show the newest one.
const ZED = person(2001, "Zed");
const AMY = person(2002, "amy");

const BERLIN_HOURS: BusinessHours = { days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:30" };

function program(
  id: string,
  timezone: string,
  businessHours: BusinessHours | undefined,
  projects: ProgramModel["projects"],
): ProgramModel {
  return {
    id,
    name: `Program ${id}`,
    starts: "2026-06-01",
    ends: "2026-09-30",
    window: programWindow("2026-06-01", "2026-09-30", timezone),
    timezone,
    ...(businessHours ? { businessHours } : {}),
    trackingRepo: null,
    milestones: [],
    projects,
  };
}

function project(id: string, repos: string[], mentors: Person[], mentees: Person[]): ProgramModel["projects"][number] {
  return { id, title: `Project ${id.toUpperCase()}`, repos, trackingIssue: null, mentors, mentees };
}

const AGREEMENT_MODEL: InstallationModel = {
  taskLabel: "mentorship",
  responders: "anyone",
  slaSeconds: SLA,
  ignored: [],
  menteeSilenceSeconds: 7 * 86400,
  reminderSeconds: [],
  admins: [ROOT],
  programs: [
    program("cal-2026", "UTC", undefined, [
      // Carol is listed as "CAROL" here and "carol" under cli: byMentor takes the login of her first
      // project in id order, as stats.ts does.
      project("api", ["org/api", "org/api-docs"], [ALICE, BOB, person(CAROL.id, "CAROL")], [ZED, AMY, person(2003, "Ben")]),
      project("cli", ["org/cli"], [BOB, CAROL], [person(2004, "cleo"), person(2005, "Dan")]),
      // No requests at all: must still be listed, with nulls and zeros.
      project("docs", ["org/docs"], [DAVE], [person(2006, "ella")]),
    ]),
    program("biz-2026", "Europe/Berlin", BERLIN_HOURS, [
      project("web", ["biz/web"], [ALICE, EVE], [person(2007, "fay"), person(2008, "Gus"), person(2009, "hal")]),
      project("kit", ["biz/kit"], [EVE], [person(2010, "ivy")]),
    ]),
  ],
};

/** A project removed from the roster whose requests are still stored: byProject lists it by id. */
const LEGACY = { id: "legacy", repos: ["org/legacy"], mentees: [person(2099, "old-timer")] };

function clockOf(p: ProgramModel): Clock {
  return { timezone: p.timezone, ...(p.businessHours ? { businessHours: p.businessHours } : {}) };
}

const iso = (ms: number): Instant => new Date(ms).toISOString().replace(".000Z", "Z");

function generateRequests(p: ProgramModel, seed: number, count: number, withLegacy: boolean): DerivedRequest[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const clock = clockOf(p);
  const from = Date.parse(p.window.from);
  const now = Date.parse(NOW);
  // docs never gets a request.
  const sources = [
    ...p.projects.filter((x) => x.id !== "docs").map((x) => ({ id: x.id, repos: x.repos, mentees: x.mentees, mentors: x.mentors })),
    ...(withLegacy ? [{ ...LEGACY, mentors: [] as Person[] }] : []),
  ];
  const everyMentor = p.projects.flatMap((x) => x.mentors);
  const out: DerivedRequest[] = [];
  const threads: Array<{ projectId: string; repo: string; number: number; threadKind: "pr" | "issue" }> = [];
  let number = seed * 1000;
  const openedTimes: number[] = [];
  for (let i = 0; i < count; i++) {
    const src = pick(sources);
    const mentee = pick(src.mentees);
    // A fifth in the last week, so some waiting requests are not yet overdue; some share an instant.
    let opened =
      random() < 0.2 ? now - Math.floor(random() * 7 * 86400) : from + Math.floor(random() * (now - from - 86400));
    if (openedTimes.length > 0 && random() < 0.05) opened = pick(openedTimes);
    opened = Math.floor(opened / 1000) * 1000;
    openedTimes.push(opened);
    const openedAt = iso(opened);
    const reuse = threads.filter((t) => t.projectId === src.id);
    const thread =
      reuse.length > 0 && random() < 0.15
        ? pick(reuse)
        : { projectId: src.id, repo: pick(src.repos), number: ++number, threadKind: random() < 0.6 ? ("pr" as const) : ("issue" as const) };
    if (!reuse.includes(thread)) threads.push(thread);
    let response: DerivedRequest["response"] = null;
    let firstMentorResponse: DerivedRequest["firstMentorResponse"] = null;
    if (random() < 0.7) {
      const roll = random();
      let latency: number;
      let at: number;
      if (clock.businessHours) {
        at = opened + Math.floor(random() * random() * 10 * 86400) * 1000;
        latency = elapsedSeconds(openedAt, iso(at), clock);
      } else {
        // Exactly the SLA (within), and repeated values, test the boundaries and percentile ties.
        latency = roll < 0.1 ? SLA : roll < 0.2 ? H : Math.floor(random() * random() * 5 * 86400);
        at = opened + latency * 1000;
      }
      // Sometimes an admin, or (policy "anyone") a mentor of another project: answered, but no credit.
      const who = random();
      const responder = who < 0.1 ? ROOT : who < 0.2 || src.mentors.length === 0 ? pick(everyMentor) : pick(src.mentors);
      response = { at: iso(at), kind: "comment", responderId: responder.id, responderLogin: responder.login, latencySeconds: latency };
      if (src.mentors.some((m) => m.id === responder.id)) firstMentorResponse = response;
      else if (src.mentors.length > 0 && random() < 0.5) {
        // One of the project's mentors follows up later: their own row credits and measures that.
        const later = at + Math.floor(random() * 3 * 86400) * 1000;
        const mentor = pick(src.mentors);
        firstMentorResponse = { at: iso(later), kind: "review", responderId: mentor.id, responderLogin: mentor.login, latencySeconds: elapsedSeconds(openedAt, iso(later), clock) };
      }
    }
    out.push({
      programId: p.id,
      projectId: src.id,
      menteeId: mentee.id,
      menteeLogin: mentee.id === ZED.id && opened < Date.parse("2026-07-15T00:00:00Z") ? "zed-old" : mentee.login,
      repo: thread.repo,
      number: thread.number,
      threadKind: thread.threadKind,
      kind: pick(["ready_for_review", "review_requested", "push_after_changes", "comment", "issue_opened"] as const),
      openedAt,
      openedBy: `gen:${p.id}:${i}`,
      response,
      firstMentorResponse,
      // Some unanswered requests the mentee closed after the SLA: neither answered nor waiting.
      ...(response === null && i % 5 === 2 ? { closedUnansweredAt: iso(opened + (SLA + H) * 1000) } : {}),
    });
  }
  if (p.id === "cal-2026") {
    // Amy's two newest requests share an instant under two spellings: the tie goes to the greater login
    // ("amy" > "Amy" in code units); both wait, on repos that sort differently by case and by length.
    const at = iso(now - H * 1000);
    for (const [login, repo, n] of [["Amy", "org/api-docs", 1], ["amy", "org/api", 2]] as const) {
      out.push({
        programId: p.id,
        projectId: "api",
        menteeId: AMY.id,
        menteeLogin: login,
        repo,
        number: n,
        threadKind: "issue",
        kind: "comment",
        openedAt: at,
        openedBy: `tie:${n}`,
        response: null,
        firstMentorResponse: null,
      });
    }
  }
  return out;
}

async function writeRequests(installationId: number, requests: DerivedRequest[]): Promise<void> {
  const byThread = new Map<string, DerivedRequest[]>();
  for (const r of requests) {
    const key = `${r.repo}#${r.number}`;
    byThread.set(key, [...(byThread.get(key) ?? []), r]);
  }
  for (const rs of byThread.values()) {
    const first = rs[0] as DerivedRequest;
    await replaceThreadState(database.db, installationId, { repo: first.repo, number: first.number }, null, rs);
  }
}

/**
 * The report stats.ts builds for the same data and filters. The filter semantics (which projects and
 * mentors a filter selects) are written here independently from the model, not from the database.
 */
function twin(model: InstallationModel, requests: DerivedRequest[], programId: string, filters: ReportFilters, now: Instant): ResponseTimeReport {
  const p = model.programs.find((x) => x.id === programId)!;
  const clock = clockOf(p);
  let projects = p.projects;
  let inScope = requests.filter((r) => r.programId === programId);
  let mentorsOf = (x: ProgramModel["projects"][number]): Person[] => x.mentors;
  if (filters.project) {
    projects = projects.filter((x) => x.id === filters.project);
    inScope = inScope.filter((r) => r.projectId === filters.project);
  }
  if (filters.mentor) {
    const login = filters.mentor.replace(/^@/, "").toLowerCase();
    const isThem = (m: Person) => m.login.toLowerCase() === login;
    projects = projects.filter((x) => x.mentors.some(isThem));
    const ids = new Set(projects.map((x) => x.id));
    inScope = inScope.filter((r) => ids.has(r.projectId));
    mentorsOf = (x) => x.mentors.filter(isThem);
  }
  const bounds = resolveBounds(filters, clock.timezone);
  return buildReport({
    program: programId,
    requests: inScope,
    now,
    ...bounds,
    slaSeconds: model.slaSeconds,
    clock: clock.businessHours ? "business" : "calendar",
    workingDaySeconds: workingDaySeconds(clock),
    clockOf: () => clock,
    projects: projects.map((x) => ({ id: x.id, title: x.title })),
    mentorsByProject: Object.fromEntries(projects.map((x) => [x.id, mentorsOf(x)])),
    urlOf: (r) => `https://github.com/${r.repo}/${r.threadKind === "pr" ? "pull" : "issues"}/${r.number}`,
  });
}

describe("the SQL report agrees with stats.ts on the same data", () => {
  const calendar = generateRequests(AGREEMENT_MODEL.programs[0]!, 11, 320, true);
  const business = generateRequests(AGREEMENT_MODEL.programs[1]!, 12, 260, false);
  const all = [...calendar, ...business];
  // Instants that some request opened at exactly, for the inclusive/exclusive boundaries.
  const boundaryA = calendar[40]!.openedAt;
  const boundaryB = calendar[90]!.openedAt;
  const [earlier, later] = Date.parse(boundaryA) < Date.parse(boundaryB) ? [boundaryA, boundaryB] : [boundaryB, boundaryA];

  beforeAll(async () => {
    await saveRoster(database.db, INSTALLATION, AGREEMENT_MODEL, null);
    await writeRequests(INSTALLATION, all);
    // Another installation with the same program id and different data: must never leak in.
    await saveRoster(database.db, OTHER_INSTALLATION, { ...AGREEMENT_MODEL, programs: [AGREEMENT_MODEL.programs[0]!] }, null);
    await writeRequests(OTHER_INSTALLATION, generateRequests(AGREEMENT_MODEL.programs[0]!, 99, 60, false));
  }, 120_000);

  it("the generated data has what the comparison needs", () => {
    const report = twin(AGREEMENT_MODEL, all, "cal-2026", {}, NOW);
    expect(report.totals.requests).toBeGreaterThan(300);
    expect(report.totals.answered).toBeGreaterThan(150);
    expect(report.totals.overdue).toBeGreaterThan(10);
    expect(report.waiting.filter((w) => !w.overdue).length).toBeGreaterThan(3);
    expect(report.totals.closedUnanswered).toBeGreaterThan(10);
    const biz = twin(AGREEMENT_MODEL, all, "biz-2026", {}, NOW);
    expect(biz.totals.overdue).toBeGreaterThan(10);
    expect(biz.waiting.filter((w) => !w.overdue).length).toBeGreaterThan(3);
  });

  const cases: Array<[string, string, ReportFilters]> = [
    ["no filters", "cal-2026", {}],
    ["no filters, business hours", "biz-2026", {}],
    ["since (inclusive) and until (exclusive) on exact request instants", "cal-2026", { since: earlier, until: later }],
    ["since only", "cal-2026", { since: "2026-07-01T00:00:00Z" }],
    ["until only, business hours", "biz-2026", { until: "2026-08-01T00:00:00Z" }],
    ["since and until, business hours", "biz-2026", { since: "2026-07-01T00:00:00Z", until: "2026-08-15T00:00:00Z" }],
    ["a project", "cal-2026", { project: "api" }],
    ["a project without requests", "cal-2026", { project: "docs" }],
    ["a project only the requests still know", "cal-2026", { project: "legacy" }],
    ["a project, business hours", "biz-2026", { project: "kit" }],
    ["a mentor of two projects, login in another case", "cal-2026", { mentor: "BOB" }],
    ["a mentor listed under two spellings", "cal-2026", { mentor: "Carol" }],
    ["a mentor written as @login", "cal-2026", { mentor: "@alice-m" }],
    ["a mentor in the business program", "biz-2026", { mentor: "EVE" }],
    ["a day of the program's timezone, until included", "biz-2026", { since: { date: "2026-07-01" }, until: { date: "2026-07-31" } }],
    ["a mentor and one of their projects, with dates", "cal-2026", { mentor: "bob", project: "cli", since: "2026-06-20T00:00:00Z", until: "2026-08-10T00:00:00Z" }],
    ["a mentor and a project they do not mentor", "cal-2026", { mentor: "bob", project: "docs" }],
  ];

  it.each(cases)("%s", async (_name, programId, filters) => {
    const fromSql = await responseTimeReport(database.db, INSTALLATION, programId, filters, new Date(NOW));
    expect(fromSql).toEqual(twin(AGREEMENT_MODEL, all, programId, filters, NOW));
    expect(finiteEverywhere(fromSql)).toBe(true);
  });

  it("a named day is the program's own day (Europe/Berlin here), until included, and the report echoes it", async () => {
    const r = await responseTimeReport(database.db, INSTALLATION, "biz-2026", { since: { date: "2026-07-01" }, until: { date: "2026-07-31" } }, new Date(NOW));
    expect(r).toMatchObject({ since: "2026-06-30T22:00:00Z", until: "2026-07-31T22:00:00Z", sinceDate: "2026-07-01", untilDate: "2026-07-31" });
    const inJuly = all.filter((x) => x.programId === "biz-2026" && x.openedAt >= "2026-06-30T22:00:00Z" && x.openedAt < "2026-07-31T22:00:00Z");
    expect(r.totals.requests).toBe(inJuly.length);
    expect(r).toMatchObject({ clock: "business", workingDaySeconds: 8.5 * 3600 }); // 09:00–17:30
  });

  it("a project neither the roster nor any request knows, or a login that mentors nothing here, is an error naming it", async () => {
    await expect(responseTimeReport(database.db, INSTALLATION, "cal-2026", { project: "nope" }, new Date(NOW))).rejects.toMatchObject({
      name: "UnknownFilterError",
      parameter: "project",
      value: "nope",
    });
    // eve mentors in biz-2026 only.
    await expect(responseTimeReport(database.db, INSTALLATION, "cal-2026", { mentor: "eve" }, new Date(NOW))).rejects.toMatchObject({
      name: "UnknownFilterError",
      parameter: "mentor",
    });
  });

  it("the other installation's copy of the program reports its own data", async () => {
    const other = generateRequests(AGREEMENT_MODEL.programs[0]!, 99, 60, false);
    const fromSql = await responseTimeReport(database.db, OTHER_INSTALLATION, "cal-2026", {}, new Date(NOW));
    expect(fromSql).toEqual(twin(AGREEMENT_MODEL, other, "cal-2026", {}, NOW));
  });

  it("finds a program's installation, and refuses to guess between two", async () => {
    expect(await findProgramInstallation(database.db, "biz-2026")).toBe(INSTALLATION);
    expect(await findProgramInstallation(database.db, "no-such-program")).toBeNull();
    await expect(findProgramInstallation(database.db, "cal-2026")).rejects.toThrow(AmbiguousProgramError);
    await expect(findProgramInstallation(database.db, "cal-2026")).rejects.toThrow(/--installation/);
    expect(await findProgramInstallation(database.db, "cal-2026", OTHER_INSTALLATION)).toBe(OTHER_INSTALLATION);
    expect(await findProgramInstallation(database.db, "biz-2026", OTHER_INSTALLATION)).toBeNull();
  });

  it("an installation GitHub reported deleted no longer owns its programs", async () => {
    await upsertInstallation(database.db, { id: OTHER_INSTALLATION, accountLogin: "other", accountId: 5, accountType: "Organization" });
    await database.db.updateTable("installations").set({ deleted_at: new Date() }).where("id", "=", OTHER_INSTALLATION).execute();
    try {
      expect(await findProgramInstallation(database.db, "cal-2026")).toBe(INSTALLATION);
    } finally {
      await database.db.updateTable("installations").set({ deleted_at: null }).where("id", "=", OTHER_INSTALLATION).execute();
    }
  });

  it("lists an installation's programs in roster order", async () => {
    expect(await listPrograms(database.db, INSTALLATION)).toEqual([
      { id: "cal-2026", name: "Program cal-2026", starts: "2026-06-01", ends: "2026-09-30" },
      { id: "biz-2026", name: "Program biz-2026", starts: "2026-06-01", ends: "2026-09-30" },
    ]);
    expect(await listPrograms(database.db, 424242)).toEqual([]);
  });

  it("rejects a since/until that is not an instant", async () => {
    await expect(responseTimeReport(database.db, INSTALLATION, "cal-2026", { since: "last tuesday" }, new Date(NOW))).rejects.toThrow(
      RangeError,
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// 2. Hand-computed stories through events → deriveThread → requests rows → report
// ---------------------------------------------------------------------------------------------------

const PROGRAM = "amp-2026";

function storyModel(options: { timezone?: string; businessHours?: BusinessHours; starts?: string; ends?: string } = {}): InstallationModel {
  const timezone = options.timezone ?? "UTC";
  const starts = options.starts ?? "2026-06-15";
  const ends = options.ends ?? "2026-10-17";
  const asPerson = (a: { id: number; login: string }): Person => ({ id: a.id, login: a.login });
  return {
    taskLabel: "mentorship",
    responders: "mentors",
    slaSeconds: SLA,
    ignored: [],
    menteeSilenceSeconds: 7 * 86400,
    reminderSeconds: [],
    admins: [asPerson(ADMIN)],
    programs: [
      {
        id: PROGRAM,
        name: "AsyncAPI Maintainership Program 2026",
        starts,
        ends,
        window: programWindow(starts, ends, timezone),
        timezone,
        ...(options.businessHours ? { businessHours: options.businessHours } : {}),
        trackingRepo: "asyncapi/community",
        milestones: [],
        projects: [
          {
            id: "cli",
            title: "AsyncAPI CLI",
            repos: ["asyncapi/cli"],
            trackingIssue: { repo: "asyncapi/community", number: 2001 },
            mentors: [asPerson(MENTOR), asPerson(MENTOR2)],
            mentees: [asPerson(MENTEE), asPerson(MENTEE2)],
          },
        ],
      },
    ],
  };
}

let nextStoryInstallation = 8001;

function depsFor(now: string): AppDeps {
  return {
    db: database.db,
    log: pino({ level: "silent" }) as unknown as AppDeps["log"],
    // deriveThread never talks to GitHub.
    probot: undefined as unknown as Probot,
    now: () => new Date(now),
    dryRun: true,
    reportTokens: [],
    timing: { deriveDelaySeconds: 0, progressDelaySeconds: 0 },
  };
}

interface StoryRun {
  model?: InstallationModel;
  now: string;
  filters?: ReportFilters;
  /** How the events reach the database: by default all at once, in story order. */
  deliver?: (events: ThreadEvent[], insert: (batch: ThreadEvent[]) => Promise<void>) => Promise<void>;
  /** The order threads are derived in. */
  threadOrder?: <T>(threads: T[]) => T[];
}

/** Stores the stories' events in a fresh installation, derives every thread, and reports. */
async function reportOf(stories: Story[], run: StoryRun): Promise<ResponseTimeReport> {
  const installationId = nextStoryInstallation++;
  const model = run.model ?? storyModel();
  await saveRoster(database.db, installationId, model, null);
  const events = stories.flatMap((s) => s.events);
  const insert = async (batch: ThreadEvent[]) => {
    await insertEvents(database.db, installationId, batch, "webhook", null);
  };
  if (run.deliver) await run.deliver(events, insert);
  else await insert(events);
  const threads = [...new Map(stories.map((s) => [`${s.repo}#${s.number}`, { repo: s.repo, number: s.number }])).values()];
  const deps = depsFor(run.now);
  for (const t of run.threadOrder ? run.threadOrder(threads) : threads) {
    await deriveThread(deps, { model, enrolments: menteeEnrolments(model) }, { installationId, ...t });
  }
  return responseTimeReport(database.db, installationId, PROGRAM, run.filters ?? {}, new Date(run.now));
}

/** requests, answered, waiting, overdue, p50, p90, max, withinSla: positional, to keep the stories short. */
function stats(
  requests: number,
  answered: number,
  waiting: number,
  overdue: number,
  p50: number | null,
  p90: number | null,
  max: number | null,
  withinSla: number | null,
): LatencyStats {
  return { requests, answered, waiting, overdue, closedUnanswered: 0, p50Seconds: p50, p90Seconds: p90, maxSeconds: max, withinSla };
}

const NONE = stats(0, 0, 0, 0, null, null, null, null);
/** One request answered within the SLA after `latency` seconds. */
const one = (latency: number) => stats(1, 1, 0, 0, latency, latency, latency, 1);

const pr = (number: number, author = MENTEE) => story({ number, threadKind: "pr", author });
const issue = (number: number, author = MENTEE) => story({ number, threadKind: "issue", author });
const trackingIssue = () => story({ repo: "asyncapi/community", number: 2001, threadKind: "issue", author: ADMIN });

describe("hand-computed stories through the database", () => {
  it("rule 1: a non-draft PR is a request; the mentor's review answers it", async () => {
    // Opened Tue 09:00, reviewed 11:30: 2.5 h = 9000 s, well within 48 h.
    const report = await reportOf([pr(1).prOpened("2026-06-16 09:00").review("2026-06-16 11:30", MENTOR)], {
      now: "2026-06-20 00:00",
    });
    expect(report.totals).toEqual(one(9000));
    expect(report.clock).toBe("calendar");
    expect(report.slaSeconds).toBe(SLA);
    expect(report.byProject).toEqual([{ id: "cli", title: "AsyncAPI CLI", ...one(9000) }]);
    // Both mentors see the request; only the one who answered gets the credit. Sorted case-insensitively.
    expect(report.byMentor).toEqual([
      { login: "AayushSaini101", answeredFirst: 1, ...one(9000) },
      { login: "Shurtu-gal", answeredFirst: 0, ...one(9000) },
    ]);
    expect(report.byMentee).toEqual([{ login: "neoandmatrix", ...one(9000) }]);
    expect(report.waiting).toEqual([]);
  });

  it("rule 1: a draft is no request until it is marked ready; a comment before that answers nothing", async () => {
    // Draft Tue 09:00 (no request), mentor comment Tue 10:00 (nothing open), ready Wed 09:00 (request),
    // Shurtu-gal approves Wed 12:00: 3 h = 10800 s.
    const report = await reportOf(
      [
        pr(2)
          .prOpened("2026-06-16 09:00", { draft: true })
          .comment("2026-06-16 10:00", MENTOR)
          .ready("2026-06-17 09:00")
          .review("2026-06-17 12:00", MENTOR2, "approved"),
      ],
      { now: "2026-06-20 00:00" },
    );
    expect(report.totals).toEqual(one(10800));
    expect(report.byMentor.map((m) => [m.login, m.answeredFirst])).toEqual([
      ["AayushSaini101", 0],
      ["Shurtu-gal", 1],
    ]);
  });

  it("rule 2: a review request, even on a draft, is answered by a review comment", async () => {
    // Draft Tue 09:00, review requested 10:00, review comment 10:45: 45 min = 2700 s.
    const report = await reportOf(
      [
        pr(3)
          .prOpened("2026-06-16 09:00", { draft: true })
          .reviewRequested("2026-06-16 10:00")
          .reviewComment("2026-06-16 10:45", MENTOR),
      ],
      { now: "2026-06-20 00:00" },
    );
    expect(report.totals).toEqual(one(2700));
  });

  it("rule 3: pushing after 'changes requested' re-requests; further pushes while it is open do not", async () => {
    // Request A: opened Tue 09:00, answered by the changes-requested review at 13:00 (14400 s).
    // Request B: push Wed 09:00 (push 09:10 adds nothing), approved 09:30 (1800 s).
    // Latencies [1800, 14400]: p50 = (1800 + 14400) / 2 = 8100; p90 = 1800 + 0.9 × 12600 = 13140.
    const report = await reportOf(
      [
        pr(4)
          .prOpened("2026-06-16 09:00")
          .review("2026-06-16 13:00", MENTOR, "changes_requested")
          .push("2026-06-17 09:00")
          .push("2026-06-17 09:10")
          .review("2026-06-17 09:30", MENTOR2, "approved"),
      ],
      { now: "2026-06-20 00:00" },
    );
    expect(report.totals).toEqual(stats(2, 2, 0, 0, 8100, 13140, 14400, 1));
    expect(report.byMentor.map((m) => [m.login, m.answeredFirst])).toEqual([
      ["AayushSaini101", 1],
      ["Shurtu-gal", 1],
    ]);
  });

  it("rule 4: a comment on the project's tracking issue (opened by an admin) is a request", async () => {
    // The admin opening it is nobody's request. Comment Tue 09:00, mentor reply 09:20: 1200 s.
    const report = await reportOf(
      [trackingIssue().issueOpened("2026-06-15 10:00").comment("2026-06-16 09:00", MENTEE).comment("2026-06-16 09:20", MENTOR)],
      { now: "2026-06-20 00:00" },
    );
    expect(report.totals).toEqual(one(1200));
  });

  it("rule 5: an issue opened in a project repo; a close exactly at the SLA is within it", async () => {
    // Opened Tue 09:00, closed by the mentor Thu 09:00: exactly 48 h = 172800 s, and within means ≤.
    const report = await reportOf([issue(5).issueOpened("2026-06-16 09:00").closed("2026-06-18 09:00", MENTOR)], {
      now: "2026-06-20 00:00",
    });
    expect(report.totals).toEqual(one(172800));
  });

  it("a bot's comment and review answer nothing", async () => {
    // Opened 09:00; dependabot at 09:05 and 09:06 ignored; the mentor at 12:00: 3 h = 10800 s.
    const report = await reportOf(
      [pr(6).prOpened("2026-06-16 09:00").comment("2026-06-16 09:05", BOT).review("2026-06-16 09:06", BOT).comment("2026-06-16 12:00", MENTOR)],
      { now: "2026-06-20 00:00" },
    );
    expect(report.totals).toEqual(one(10800));
  });

  it("a passer-by, an admin (policy: mentors) and the mentee herself answer nothing", async () => {
    // Opened 09:00; stranger review 09:10, admin comment 09:20, mentee comment 09:30 (her own request
    // is already open, so no second one); Shurtu-gal at 11:00: 2 h = 7200 s.
    const report = await reportOf(
      [
        pr(7)
          .prOpened("2026-06-16 09:00")
          .review("2026-06-16 09:10", STRANGER)
          .comment("2026-06-16 09:20", ADMIN)
          .comment("2026-06-16 09:30", MENTEE)
          .comment("2026-06-16 11:00", MENTOR2),
      ],
      { now: "2026-06-20 00:00" },
    );
    expect(report.totals).toEqual(one(7200));
    expect(report.byMentor.map((m) => [m.login, m.answeredFirst])).toEqual([
      ["AayushSaini101", 0],
      ["Shurtu-gal", 1],
    ]);
  });

  it("two comments in a row are one request, timed from the first", async () => {
    // Comments 09:00 and 09:30, mentor 10:00: one request of 3600 s (not two, not 1800).
    const report = await reportOf(
      [trackingIssue().comment("2026-06-16 09:00", MENTEE).comment("2026-06-16 09:30", MENTEE).comment("2026-06-16 10:00", MENTOR)],
      { now: "2026-06-20 00:00" },
    );
    expect(report.totals).toEqual(one(3600));
  });

  it("a merge by a mentor answers the request (the close that comes with it changes nothing)", async () => {
    // Opened 09:00, merged and closed 15:00: 6 h = 21600 s.
    const report = await reportOf(
      [pr(8).prOpened("2026-06-16 09:00").merged("2026-06-16 15:00", MENTOR).closed("2026-06-16 15:00", MENTOR)],
      { now: "2026-06-20 00:00" },
    );
    expect(report.totals).toEqual(one(21600));
  });

  it("business hours: the weekend does not count, for latencies and for waiting ages", async () => {
    // Mon–Fri 09:00–17:00 UTC. PR 1: Fri 16:00 → Mon 10:00 = 1 h Friday + 1 h Monday = 7200 s (66 h of
    // calendar time). PR 2 (trinity): Fri 16:30, still waiting Mon 10:00: 30 min + 1 h = 5400 s, so not
    // overdue, although 65.5 calendar hours are past the 48 h SLA.
    const model = storyModel({ businessHours: { days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:00" } });
    const report = await reportOf(
      [pr(1).prOpened("2026-06-19 16:00").review("2026-06-22 10:00", MENTOR), pr(2, MENTEE2).prOpened("2026-06-19 16:30")],
      { model, now: "2026-06-22 10:00" },
    );
    expect(report.clock).toBe("business");
    expect(report.totals).toEqual(stats(2, 1, 1, 0, 7200, 7200, 7200, 1));
    expect(report.waiting).toEqual([
      {
        mentee: "trinity",
        repo: "asyncapi/cli",
        number: 2,
        url: "https://github.com/asyncapi/cli/pull/2",
        kind: "ready_for_review",
        openedAt: "2026-06-19T16:30:00Z",
        ageSeconds: 5400,
        overdue: false,
      },
    ]);
    expect(report.byMentee).toEqual([
      { login: "neoandmatrix", ...one(7200) },
      { login: "trinity", ...stats(1, 0, 1, 0, null, null, null, null) },
    ]);
  });

  it("business hours across the autumn DST change follow the local wall clock", async () => {
    // Europe/Berlin, Mon–Fri 09:00–17:00; clocks go back Sun 25 Oct. PR: Fri 23 Oct 14:00Z (16:00 CEST)
    // → Mon 26 Oct 08:30Z (09:30 CET) = 1 h + 30 min = 5400 s (a fixed +02:00 would say 9000).
    // Issue (trinity): Fri 14:30Z (16:30 CEST), waiting at Mon 09:00Z (10:00 CET): 30 min + 1 h = 5400 s.
    const model = storyModel({
      timezone: "Europe/Berlin",
      businessHours: { days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:00" },
      starts: "2026-10-01",
      ends: "2026-11-30",
    });
    const report = await reportOf(
      [pr(1).prOpened("2026-10-23 14:00").review("2026-10-26 08:30", MENTOR), issue(2, MENTEE2).issueOpened("2026-10-23 14:30")],
      { model, now: "2026-10-26 09:00" },
    );
    expect(report.totals).toEqual(stats(2, 1, 1, 0, 5400, 5400, 5400, 1));
    expect(report.waiting).toEqual([
      {
        mentee: "trinity",
        repo: "asyncapi/cli",
        number: 2,
        url: "https://github.com/asyncapi/cli/issues/2",
        kind: "issue_opened",
        openedAt: "2026-10-23T14:30:00Z",
        ageSeconds: 5400,
        overdue: false,
      },
    ]);
  });

  it("a request waiting past the SLA is overdue and counts against withinSla; exactly at the SLA is not", async () => {
    // Now Fri 09:00. PR 1 (Tue 09:00) waits 72 h = 259200 s > 172800: overdue. PR 4 (trinity, Wed 09:00)
    // waits exactly 48 h: not overdue (overdue means strictly longer). Issue 2 (trinity, Thu 09:00) waits
    // 24 h. PR 3 (Thu 10:00) answered in 1 h. withinSla = 1 / (1 answered + 1 overdue) = 0.5; trinity has
    // no answered and no overdue request, so hers is null.
    const report = await reportOf(
      [
        pr(1).prOpened("2026-06-16 09:00"),
        issue(2, MENTEE2).issueOpened("2026-06-18 09:00"),
        pr(3).prOpened("2026-06-18 10:00").comment("2026-06-18 11:00", MENTOR),
        pr(4, MENTEE2).prOpened("2026-06-17 09:00"),
      ],
      { now: "2026-06-19 09:00" },
    );
    const totals = stats(4, 1, 3, 1, 3600, 3600, 3600, 0.5);
    expect(report.totals).toEqual(totals);
    expect(report.byProject).toEqual([{ id: "cli", title: "AsyncAPI CLI", ...totals }]);
    expect(report.byMentor).toEqual([
      { login: "AayushSaini101", answeredFirst: 1, ...totals },
      { login: "Shurtu-gal", answeredFirst: 0, ...totals },
    ]);
    expect(report.byMentee).toEqual([
      { login: "neoandmatrix", ...stats(2, 1, 1, 1, 3600, 3600, 3600, 0.5) },
      { login: "trinity", ...stats(2, 0, 2, 0, null, null, null, null) },
    ]);
    expect(report.waiting).toEqual([
      {
        mentee: "neoandmatrix",
        repo: "asyncapi/cli",
        number: 1,
        url: "https://github.com/asyncapi/cli/pull/1",
        kind: "ready_for_review",
        openedAt: "2026-06-16T09:00:00Z",
        ageSeconds: 259200,
        overdue: true,
      },
      {
        mentee: "trinity",
        repo: "asyncapi/cli",
        number: 4,
        url: "https://github.com/asyncapi/cli/pull/4",
        kind: "ready_for_review",
        openedAt: "2026-06-17T09:00:00Z",
        ageSeconds: 172800,
        overdue: false,
      },
      {
        mentee: "trinity",
        repo: "asyncapi/cli",
        number: 2,
        url: "https://github.com/asyncapi/cli/issues/2",
        kind: "issue_opened",
        openedAt: "2026-06-18T09:00:00Z",
        ageSeconds: 86400,
        overdue: false,
      },
    ]);
  });

  it("an answer one second past the SLA is answered but not within it", async () => {
    // 72 h + 1 s = 259201 s > 172800: withinSla = 0 / (1 + 0) = 0, and nothing is overdue.
    const report = await reportOf([pr(1).prOpened("2026-06-16 09:00").comment("2026-06-19 09:00:01", MENTOR)], {
      now: "2026-06-20 00:00",
    });
    expect(report.totals).toEqual(stats(1, 1, 0, 0, 259201, 259201, 259201, 0));
  });

  it("p50/p90 interpolate between latencies; since is inclusive and until exclusive", async () => {
    // Five PRs opened Tue–Sat at 09:00, answered after 600, 3600, 7200, 86400 and 172800 s (all ≤ SLA).
    // All: p50 = 7200 (the middle one); p90 = rank 3.6 = 86400 + 0.6 × 86400 = 138240.
    // since Wed 09:00 (PR 2's instant, kept) until Sat 09:00 (PR 5's instant, dropped): [3600, 7200,
    // 86400]; p50 = 7200, p90 = rank 1.8 = 7200 + 0.8 × 79200 = 70560.
    const latencies = [600, 3600, 7200, 86400, 172800];
    const stories = latencies.map((latency, i) => {
      const opened = Date.parse(`2026-06-${16 + i}T09:00:00Z`);
      return pr(i + 1).prOpened(new Date(opened).toISOString()).comment(new Date(opened + latency * 1000).toISOString(), MENTOR);
    });
    const now = "2026-06-25 00:00";
    expect((await reportOf(stories, { now })).totals).toEqual(stats(5, 5, 0, 0, 7200, 138240, 172800, 1));
    const windowed = await reportOf(stories, { now, filters: { since: "2026-06-17T09:00:00Z", until: "2026-06-20T09:00:00Z" } });
    expect(windowed.since).toBe("2026-06-17T09:00:00Z");
    expect(windowed.until).toBe("2026-06-20T09:00:00Z");
    expect(windowed.totals).toEqual(stats(3, 3, 0, 0, 7200, 70560, 86400, 1));
  });

  it("a mentee who closes her own issue withdraws the request: nothing is reported", async () => {
    const report = await reportOf([issue(9).issueOpened("2026-06-16 09:00").closed("2026-06-16 09:10", MENTEE)], {
      now: "2026-06-20 00:00",
    });
    expect(report.totals).toEqual(NONE);
    expect(report.byProject).toEqual([{ id: "cli", title: "AsyncAPI CLI", ...NONE }]);
    expect(report.byMentee).toEqual([]);
    expect(report.waiting).toEqual([]);
  });

  it("a review request on someone else's PR is not the mentee's request", async () => {
    // Rules 1–3 need her own PR; a comment there is not rule 4 either (not hers, not a task).
    const report = await reportOf(
      [
        pr(10, STRANGER)
          .prOpened("2026-06-16 08:00")
          .reviewRequested("2026-06-16 09:00", MENTOR, MENTEE)
          .comment("2026-06-16 09:05", MENTEE)
          .review("2026-06-16 10:00", MENTOR),
      ],
      { now: "2026-06-20 00:00" },
    );
    expect(report.totals).toEqual(NONE);
  });

  it("the mentor filter narrows to that mentor's row, by login in any case", async () => {
    const report = await reportOf(
      [pr(1).prOpened("2026-06-16 09:00").review("2026-06-16 11:30", MENTOR)],
      { now: "2026-06-20 00:00", filters: { mentor: "shurtu-GAL" } },
    );
    expect(report.totals).toEqual(one(9000));
    expect(report.byMentor).toEqual([{ login: "Shurtu-gal", answeredFirst: 0, ...one(9000) }]);
  });

  describe("property: the order events arrive in changes nothing", () => {
    const stories = () => [
      pr(1)
        .prOpened("2026-06-16 09:00")
        .review("2026-06-16 13:00", MENTOR, "changes_requested")
        .push("2026-06-17 09:00")
        .push("2026-06-17 09:10")
        .review("2026-06-17 09:30", MENTOR2, "approved"),
      pr(2).prOpened("2026-06-16 09:00").review("2026-06-16 09:10", STRANGER).comment("2026-06-16 09:20", ADMIN).comment("2026-06-16 11:00", MENTOR2),
      pr(3, MENTEE2).prOpened("2026-06-15 10:00", { draft: true }).ready("2026-06-18 09:00"),
      issue(4).issueOpened("2026-06-16 09:00").comment("2026-06-16 09:30", BOT).closed("2026-06-18 09:00", MENTOR),
      trackingIssue().comment("2026-06-17 09:00", MENTEE2).comment("2026-06-17 09:30", MENTEE2).comment("2026-06-17 10:00", MENTOR),
      pr(5).prOpened("2026-06-15 08:00"),
    ];
    const now = "2026-06-19 09:00";

    it("shuffled, split into deliveries, partly delivered twice, threads derived in any order: the same report", async () => {
      // Latencies: PR 1 14400 and 1800; PR 2 7200; issue 4 172800 (≤ SLA); tracking issue 3600.
      // Waiting: PR 3 (trinity, since Thu 09:00: 24 h) and PR 5 (since Mon 08:00: 97 h > 48 h, overdue).
      // Sorted [1800, 3600, 7200, 14400, 172800]: p50 = 7200; p90 = rank 3.6 = 14400 + 0.6 × 158400 = 109440.
      // withinSla = 5 / (5 + 1) ≈ 0.8333.
      const baseline = await reportOf(stories(), { now });
      expect(baseline.totals).toEqual(stats(7, 5, 2, 1, 7200, 109440, 172800, 5 / 6));
      expect(baseline.waiting.map((w) => [w.number, w.ageSeconds, w.overdue])).toEqual([
        [5, 97 * H, true],
        [3, 24 * H, false],
      ]);
      for (const seed of [1, 2, 3, 4, 5]) {
        const random = seededRandom(seed);
        const report = await reportOf(stories(), {
          now,
          async deliver(events, insert) {
            const order = shuffled(events, random);
            while (order.length > 0) {
              const batch = order.splice(0, 1 + Math.floor(random() * 4));
              await insert(batch);
              // A backfill re-sending some of what was delivered: deduplicated on the GitHub identity.
              if (random() < 0.3) await insert(batch.slice(0, 1));
            }
          },
          threadOrder: (threads) => shuffled(threads, random),
        });
        expect(report).toEqual(baseline);
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// 3. Empty and unknown programs
// ---------------------------------------------------------------------------------------------------

describe("empty and unknown programs", () => {
  it("a program without requests: zeros and nulls everywhere, every project and mentor listed, no NaN", async () => {
    const installationId = nextStoryInstallation++;
    await saveRoster(database.db, installationId, storyModel(), null);
    const report = await responseTimeReport(database.db, installationId, PROGRAM, {}, new Date("2026-06-20T00:00:00.789Z"));
    expect(report).toEqual({
      program: PROGRAM,
      generatedAt: "2026-06-20T00:00:00Z",
      since: null,
      until: null,
      sinceDate: null,
      untilDate: null,
      clock: "calendar",
      workingDaySeconds: null,
      slaSeconds: SLA,
      totals: NONE,
      byProject: [{ id: "cli", title: "AsyncAPI CLI", ...NONE }],
      byMentor: [
        { login: "AayushSaini101", answeredFirst: 0, ...NONE },
        { login: "Shurtu-gal", answeredFirst: 0, ...NONE },
      ],
      byMentee: [],
      waiting: [],
    });
    expect(finiteEverywhere(report)).toBe(true);
  });

  it("an unknown program, or a known one asked of the wrong installation, is an UnknownProgramError", async () => {
    const installationId = nextStoryInstallation++;
    await saveRoster(database.db, installationId, storyModel(), null);
    await expect(responseTimeReport(database.db, installationId, "gsoc-2031", {}, new Date())).rejects.toThrow(UnknownProgramError);
    await expect(responseTimeReport(database.db, 31337, PROGRAM, {}, new Date())).rejects.toThrow(UnknownProgramError);
    await expect(responseTimeReport(database.db, installationId, "gsoc-2031", {}, new Date())).rejects.toThrow(/gsoc-2031/);
  });
});
