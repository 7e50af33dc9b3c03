/**
 * The benchmark's synthetic data (bench/lib/synthetic.ts) is what it claims to be: the counts it was
 * asked for, split over the programs as planned, and an event log from which the app's own request
 * derivation rebuilds exactly the stored requests, so the report benchmark times the report over data
 * the app could have produced. Runs on embedded PGlite, and on PostgreSQL when DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { sql } from "kysely";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { threadEvents } from "../../src/db/events.js";
import { menteeEnrolments } from "../../src/domain/enrolments.js";
import { deriveRequests } from "../../src/domain/requests.js";
import type { DerivedRequest } from "../../src/domain/types.js";
import { responseTimeReport } from "../../src/reports/response-times.js";
import { FULL_PLAN, generateSyntheticData, requestsPerProgram, type SyntheticData, type SyntheticPlan } from "../../bench/lib/synthetic.js";
import { createTestDatabase } from "../helpers/db.js";

const PLAN: SyntheticPlan = { ...FULL_PLAN, events: 1_234, requests: 150, projectsPerProgram: 4, waitingShare: 0.2 };

describe("bench synthetic data", () => {
  let database: DatabaseHandle;
  let data: SyntheticData;

  beforeAll(async () => {
    database = await createTestDatabase();
    data = await generateSyntheticData(database.db, PLAN);
  }, 60_000);
  afterAll(async () => {
    await database.close();
  });

  it("has the planned number of events and requests, split over the programs by their shares", async () => {
    expect(data.counts.events).toBe(PLAN.events);
    expect(data.counts.requests).toBe(PLAN.requests);
    expect(data.counts.answered + data.counts.waiting).toBe(PLAN.requests);
    expect(data.counts.waiting).toBeGreaterThan(0);
    expect(data.counts.answered).toBeGreaterThan(0);
    const byProgram = await sql<{ program_id: string; n: number }>`
      select program_id, count(*)::int as n from requests group by program_id order by program_id`.execute(database.db);
    expect(byProgram.rows).toEqual(data.model.programs.map((p, i) => ({ program_id: p.id, n: requestsPerProgram(PLAN)[i] })));
    expect(requestsPerProgram(FULL_PLAN)).toEqual([50_000, 30_000, 20_000]);
  });

  it("re-derives, thread by thread, into exactly the stored requests", async () => {
    const enrolments = menteeEnrolments(data.model);
    const threads = await sql<{ repo: string; number: number; thread_kind: "issue" | "pr" }>`
      select distinct repo, number, thread_kind from events order by repo, number`.execute(database.db);
    expect(threads.rows).toHaveLength(PLAN.requests);

    const derived: DerivedRequest[] = [];
    for (const t of threads.rows) {
      const events = await threadEvents(database.db, PLAN.installationId, t.repo, t.number);
      derived.push(...deriveRequests(events, { repo: t.repo, number: t.number, threadKind: t.thread_kind, task: null, enrolments }));
    }
    const stored = await database.db.selectFrom("requests").selectAll().orderBy("repo").orderBy("number").execute();
    const asStored = (r: DerivedRequest) => ({
      program_id: r.programId,
      project_id: r.projectId,
      mentee_id: r.menteeId,
      mentee_login: r.menteeLogin,
      repo: r.repo,
      number: r.number,
      thread_kind: r.threadKind,
      kind: r.kind,
      opened_at: new Date(r.openedAt),
      opened_by: r.openedBy,
      responded_at: r.response ? new Date(r.response.at) : null,
      response_kind: r.response?.kind ?? null,
      responder_id: r.response?.responderId ?? null,
      responder_login: r.response?.responderLogin ?? null,
      latency_seconds: r.response?.latencySeconds ?? null,
      closed_unanswered_at: r.closedUnansweredAt ? new Date(r.closedUnansweredAt) : null,
      first_mentor_at: r.firstMentorResponse ? new Date(r.firstMentorResponse.at) : null,
      first_mentor_id: r.firstMentorResponse?.responderId ?? null,
      first_mentor_login: r.firstMentorResponse?.responderLogin ?? null,
      first_mentor_latency_seconds: r.firstMentorResponse?.latencySeconds ?? null,
    });
    const sortKey = (r: { repo: string; number: number }) => `${r.repo}#${String(r.number).padStart(8, "0")}`;
    const expected = derived.map(asStored).sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    const actual = stored
      .map(({ id: _id, installation_id: _i, ...rest }) => ({ ...rest, mentee_id: Number(rest.mentee_id), responder_id: rest.responder_id === null ? null : Number(rest.responder_id), first_mentor_id: rest.first_mentor_id === null ? null : Number(rest.first_mentor_id) }))
      .sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    expect(actual).toEqual(expected);
  });

  it("reports every request of a program through the app's report function", async () => {
    let waiting = 0;
    for (const program of data.programs) {
      const report = await responseTimeReport(database.db, PLAN.installationId, program.id, {}, data.now);
      expect(report.totals.requests).toBe(program.requests);
      expect(report.byProject).toHaveLength(PLAN.projectsPerProgram);
      // Reports run after every program ended: each waiting request is listed, and overdue.
      expect(report.waiting).toHaveLength(report.totals.waiting);
      expect(report.waiting.filter((w) => w.overdue)).toHaveLength(report.totals.waiting);
      expect(report.totals.overdue).toBe(report.totals.waiting);
      waiting += report.totals.waiting;
    }
    // Every waiting request the generator made (more than none: see the first test).
    expect(waiting).toBe(data.counts.waiting);
  });
});
