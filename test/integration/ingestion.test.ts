import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { sql } from "kysely";
import { type DatabaseHandle, openDatabase } from "../../src/db/connection.js";
import { menteeEnrolments } from "../../src/domain/enrolments.js";
import { deriveRequests } from "../../src/domain/requests.js";
import type { ThreadEvent } from "../../src/domain/types.js";
import { normaliseWebhook } from "../../src/webhooks/normalise.js";
import { createTestApp, nextDeliveryId, sign, type TestApp, WEBHOOK_PATH } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { permutations, seededRandom, shuffled } from "../helpers/events.js";
import { ghBot, ghUser } from "../helpers/payloads.js";
import {
  commentCreated,
  commentDeleted,
  INSTALLATION_ID,
  issueAction,
  mentee,
  mentor,
  mentor2,
  prAction,
  prOpened,
  reviewSubmitted,
  seedWorld,
  stranger,
  worldModel,
} from "../helpers/scenario.js";

let database: DatabaseHandle;
let app: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
  await seedWorld(database.db);
});

afterAll(async () => {
  await app.close();
  await database.close();
});

afterEach(() => {
  expect(app.errors()).toEqual([]);
});

async function count(table: "deliveries" | "events" | "requests" | "tasks", where = sql`true`): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(database.db);
  return r.rows[0]!.n;
}

async function requestsOf(number: number) {
  return database.db
    .selectFrom("requests")
    .select(["kind", "mentee_login", "opened_at", "responded_at", "responder_login", "response_kind", "latency_seconds"])
    .where("number", "=", number)
    .orderBy("opened_at")
    .execute();
}

async function taskOf(number: number) {
  return database.db.selectFrom("tasks").selectAll().where("number", "=", number).executeTakeFirst();
}

describe("the request path over HTTP", () => {
  it("stores a signed delivery, then the worker derives the request and its answer", async () => {
    expect((await app.send("pull_request", prOpened(1, "2026-06-16T10:00:00Z", mentee))).status).toBe(200);
    const review = reviewSubmitted(1, 11, "2026-06-16T13:30:00Z", mentor, mentee, "commented");
    expect((await app.send("pull_request_review", review)).status).toBe(200);
    await app.runJobs();

    expect(await requestsOf(1)).toEqual([
      expect.objectContaining({
        kind: "ready_for_review",
        mentee_login: "mentee-one",
        responder_login: "mentor-one",
        response_kind: "review",
        latency_seconds: 3.5 * 3600,
      }),
    ]);
  });

  it("the same GUID five times at once is stored once", async () => {
    const id = nextDeliveryId();
    const payload = commentCreated({ kind: "pr", number: 2, author: mentee }, 21, "2026-06-17T09:00:00Z", mentee);
    const responses = await Promise.all(Array.from({ length: 5 }, () => app.send("issue_comment", payload, { id })));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await count("deliveries", sql`id = ${id}`)).toBe(1);
    expect(await app.expand()).toBe(1);
    expect(await count("events", sql`number = 2`)).toBe(1);
  });

  it("the same GitHub activity under a new GUID (a redelivery) adds nothing", async () => {
    const payload = commentCreated({ kind: "pr", number: 3, author: mentee }, 31, "2026-06-17T09:00:00Z", mentee);
    await app.send("issue_comment", payload);
    await app.send("issue_comment", payload);
    expect(await app.expand()).toBe(2);
    expect(await count("events", sql`number = 3`)).toBe(1);
    expect(await count("deliveries", sql`id in (select delivery_id from events where number = 3)`)).toBe(1);
  });

  it("the same GUID again after it was expanded (GitHub's manual redelivery) is a duplicate: answered 200, expanded never again", async () => {
    const id = nextDeliveryId();
    const payload = commentCreated({ kind: "pr", number: 6, author: mentee }, 61, "2026-06-17T10:00:00Z", mentee);
    expect((await app.send("issue_comment", payload, { id })).status).toBe(200);
    expect(await app.expand()).toBe(1);
    expect((await app.send("issue_comment", payload, { id })).status).toBe(200);
    expect(await app.expand()).toBe(0);
    expect(await count("deliveries", sql`id = ${id}`)).toBe(1);
    expect(await count("events", sql`number = 6`)).toBe(1);
    expect(app.logs.some((l) => l.delivery === id && l.msg === "duplicate delivery ignored")).toBe(true);
  });

  it("refuses a forged signature with 400 and stores nothing", async () => {
    const payload = prOpened(4, "2026-06-18T09:00:00Z", mentee);
    const before = await count("deliveries");
    const response = await app.send("pull_request", payload, { secret: "not-the-secret" });
    expect(response.status).toBe(400);
    expect(await count("deliveries")).toBe(before);
    expect(await count("events", sql`number = 4`)).toBe(0);
    // Octokit's middleware logs the refusal at error level: expected here, and only here.
    app.logs.splice(0);
  });

  it("refuses a missing or malformed signature with 400", async () => {
    const body = JSON.stringify(prOpened(4, "2026-06-18T09:00:00Z", mentee));
    const headers = { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": nextDeliveryId() };
    const missing = await fetch(`${app.url}${WEBHOOK_PATH}`, { method: "POST", headers, body });
    const malformed = await fetch(`${app.url}${WEBHOOK_PATH}`, {
      method: "POST",
      headers: { ...headers, "x-hub-signature-256": "sha256=zz" },
      body,
    });
    expect([missing.status, malformed.status]).toEqual([400, 400]);
    expect(await count("events", sql`number = 4`)).toBe(0);
    app.logs.splice(0);
  });

  it("answers 413 to a 26 MB body without reading it into memory", async () => {
    const big = "x".repeat(26 * 1024 * 1024);
    const body = JSON.stringify({ action: "opened", padding: big });
    const before = await count("deliveries");
    const response = await fetch(`${app.url}${WEBHOOK_PATH}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "issues",
        "x-github-delivery": nextDeliveryId(),
        "x-hub-signature-256": sign(body),
      },
      body,
    });
    expect(response.status).toBe(413);
    expect(await count("deliveries")).toBe(before);
  });

  it("acknowledges a payload that lacks the fields it needs, with a warning naming the delivery", async () => {
    const id = nextDeliveryId();
    const response = await app.send("issues", { action: "opened", installation: { id: INSTALLATION_ID } }, { id });
    expect(response.status).toBe(200);
    await app.expand();
    const warning = app.logs.find((l) => l.level === 40 && l.delivery === id);
    expect(warning?.msg).toMatch(/lacks fields/);
  });

  it("answers 500 while the database is unreachable, so GitHub marks the delivery failed", async () => {
    // A pool pointed at a port where nothing listens: every query fails as in an outage.
    const dead = await openDatabase({ databaseUrl: "postgres://postgres@127.0.0.1:1/none", poolSize: 1 });
    const deadApp = await createTestApp(dead);
    const response = await deadApp.send("pull_request", prOpened(5, "2026-06-18T09:00:00Z", mentee));
    expect(response.status).toBe(500);
    expect(deadApp.errors().length).toBeGreaterThan(0);
    await deadApp.close();
    await dead.close();
  });
});

describe("attribution", () => {
  beforeEach(async () => {
    await app.runJobs();
  });

  it("bots never count: a bot's comment neither opens a request nor answers one", async () => {
    const bot = ghBot("dependabot");
    await app.receive("pull_request", prOpened(20, "2026-07-01T09:00:00Z", mentee));
    await app.receive("issue_comment", commentCreated({ kind: "pr", number: 20, author: mentee }, 2001, "2026-07-01T09:05:00Z", bot));
    await app.runJobs();
    expect(await requestsOf(20)).toEqual([expect.objectContaining({ responded_at: null })]);
  });

  it("a non-mentor's comment does not answer under the default policy", async () => {
    await app.receive("pull_request", prOpened(21, "2026-07-01T09:00:00Z", mentee));
    await app.receive("issue_comment", commentCreated({ kind: "pr", number: 21, author: mentee }, 2101, "2026-07-01T10:00:00Z", stranger));
    await app.runJobs();
    expect(await requestsOf(21)).toEqual([expect.objectContaining({ responded_at: null })]);
  });

  it("activity outside the program's dates opens no request", async () => {
    await app.receive("pull_request", prOpened(22, "2026-11-01T09:00:00Z", mentee));
    await app.runJobs();
    expect(await requestsOf(22)).toEqual([]);
  });

  it("a renamed mentee keeps their history: identity is the numeric id", async () => {
    // Before the rename: a PR under the old login, answered.
    await app.receive("pull_request", prOpened(23, "2026-07-02T09:00:00Z", mentee));
    await app.receive("issue_comment", commentCreated({ kind: "pr", number: 23, author: mentee }, 2301, "2026-07-02T10:00:00Z", mentor));
    // After it: the same account, a new login, asks on the same PR; the roster still says mentee-one.
    const renamed = ghUser("mentee-one-new-name", { id: mentee.id });
    await app.receive("issue_comment", commentCreated({ kind: "pr", number: 23, author: renamed }, 2302, "2026-07-03T09:00:00Z", renamed));
    await app.receive("issue_comment", commentCreated({ kind: "pr", number: 23, author: renamed }, 2303, "2026-07-03T11:00:00Z", mentor));
    await app.runJobs();
    const rows = await database.db
      .selectFrom("requests")
      .select(["kind", "mentee_id", "mentee_login", "latency_seconds"])
      .where("number", "=", 23)
      .orderBy("opened_at")
      .execute();
    expect(rows.map((r) => ({ ...r, mentee_id: Number(r.mentee_id) }))).toEqual([
      { kind: "ready_for_review", mentee_id: mentee.id, mentee_login: "mentee-one", latency_seconds: 3600 },
      { kind: "comment", mentee_id: mentee.id, mentee_login: "mentee-one", latency_seconds: 7200 },
    ]);
  });
});

describe("tasks", () => {
  const labels = ["mentorship"];

  it("follows a task from label to done, and forgets it when unlabelled", async () => {
    await app.receive("issues", issueAction("opened", 30, "2026-07-01T08:00:00Z", mentor, { labels, title: "Add --watch" }));
    await app.receive("issues", issueAction("assigned", 30, "2026-07-01T08:05:00Z", mentor, { author: mentor, labels, assignee: mentee }));
    await app.runJobs();
    expect(await taskOf(30)).toEqual(expect.objectContaining({ state: "open", mentee_login: "mentee-one", milestone_id: "final" }));

    await app.receive("issues", issueAction("milestoned", 30, "2026-07-01T08:06:00Z", mentor, { author: mentor, labels, milestone: "Mid-term evaluation" }));
    await app.receive("pull_request", prOpened(31, "2026-07-03T10:00:00Z", mentee, { body: "This closes #30." }));
    await app.runJobs();
    await app.runJobs();
    expect(await taskOf(30)).toEqual(
      expect.objectContaining({ state: "in progress", linked_pr_number: 31, linked_pr_merged: false, milestone_id: "midterm" }),
    );

    await app.receive("pull_request", prAction("closed", 31, "2026-07-05T10:00:00Z", mentor, mentee, { merged: true, body: "This closes #30." }));
    await app.receive("issues", issueAction("closed", 30, "2026-07-05T10:00:01Z", mentor, { author: mentor, labels, stateReason: "completed" }));
    await app.runJobs();
    await app.runJobs();
    expect(await taskOf(30)).toEqual(expect.objectContaining({ state: "done", linked_pr_merged: true }));

    await app.receive("issues", issueAction("unlabeled", 30, "2026-07-06T10:00:00Z", mentor, { author: mentor, labels: [], label: "mentorship" }));
    await app.runJobs();
    expect(await taskOf(30)).toBeUndefined();
  });

  it("a task closed as not planned is dropped; a transferred one leaves this repo", async () => {
    await app.receive("issues", issueAction("opened", 32, "2026-07-01T08:00:00Z", mentee, { labels }));
    await app.runJobs();
    expect(await taskOf(32)).toEqual(expect.objectContaining({ state: "open", mentee_login: "mentee-one" }));
    await app.receive("issues", issueAction("closed", 32, "2026-07-02T08:00:00Z", mentor, { author: mentee, labels, stateReason: "not_planned" }));
    await app.runJobs();
    expect(await taskOf(32)).toEqual(expect.objectContaining({ state: "dropped" }));

    await app.receive("issues", issueAction("opened", 33, "2026-07-01T08:00:00Z", mentee, { labels }));
    await app.receive("issues", issueAction("transferred", 33, "2026-07-02T08:00:00Z", mentor, { author: mentee, labels }));
    await app.runJobs();
    expect(await taskOf(33)).toBeUndefined();
  });
});

describe("delivery order never matters", () => {
  // Six deliveries on one PR, two pairs of them in the same second: opened, mentor asks for changes,
  // mentee pushes and comments at 10:00, mentor approves and merges at 10:00 the next day. Only the
  // kinds can order the pairs: the push (not the comment) re-requests, and the review (not the merge)
  // answers. Each order goes to its own PR number.
  function scenario(number: number) {
    const base = number * 100;
    return [
      ["pull_request", prOpened(number, "2026-08-03T09:00:00Z", mentee)],
      ["pull_request_review", reviewSubmitted(number, base + 1, "2026-08-03T15:00:00Z", mentor, mentee, "changes_requested")],
      ["pull_request", prAction("synchronize", number, "2026-08-04T10:00:00Z", mentee, mentee, { after: `${base}`.padStart(40, "b") })],
      ["issue_comment", commentCreated({ kind: "pr", number, author: mentee }, base + 2, "2026-08-04T10:00:00Z", mentee)],
      ["pull_request_review", reviewSubmitted(number, base + 3, "2026-08-05T10:00:00Z", mentor, mentee, "approved")],
      ["pull_request", prAction("closed", number, "2026-08-05T10:00:00Z", mentor, mentee, { merged: true })],
    ] as const;
  }

  type Delivery = readonly [string, unknown];

  /** Sends each story's deliveries in its order, one PR number per order; the stored requests per PR, summarised. */
  async function storedInOrders(orders: number[][], story: (number: number) => readonly Delivery[], firstNumber: number): Promise<string[]> {
    for (const [i, order] of orders.entries()) {
      const deliveries = story(firstNumber + i);
      for (const index of order) {
        const [name, payload] = deliveries[index]!;
        await app.receive(name, payload);
      }
    }
    await app.runJobs();
    const rows = await sql<{ number: number; summary: string }>`
      select number, string_agg(kind || '@' || to_char(opened_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '->' || coalesce(responder_login, '-') || '/' || coalesce(response_kind, '-') || ':' || coalesce(latency_seconds::text, '-'), ' | ' order by opened_at) as summary
      from requests where number between ${firstNumber} and ${firstNumber + orders.length - 1} group by number`.execute(database.db);
    expect(rows.rows).toHaveLength(orders.length);
    return [...new Set(rows.rows.map((r) => r.summary))];
  }

  const expected = [
    // ready 09:00 → changes requested 15:00 (6 h); push 10:00 next day → approval 10:00 the day after (24 h).
    "ready_for_review@2026-08-03T09:00:00Z->mentor-one/review:21600",
    "push_after_changes@2026-08-04T10:00:00Z->mentor-one/review:86400",
  ].join(" | ");

  it("every one of the 720 orders of the normalised payloads, as delivered, derives the same requests", () => {
    const orders = permutations([0, 1, 2, 3, 4, 5]);
    expect(orders).toHaveLength(720);
    const events = scenario(900).map(([name, payload]) => {
      const result = normaliseWebhook(name, payload);
      if (!result.ok) throw new Error(result.reason);
      return result.events;
    });
    const enrolments = menteeEnrolments(worldModel());
    const summaries = new Set(
      orders.map((order) => {
        const delivered: ThreadEvent[] = order.flatMap((i) => events[i]!);
        const requests = deriveRequests(delivered, { repo: "asyncapi/cli", number: 900, threadKind: "pr", task: null, enrolments });
        return requests
          .map((r) => `${r.kind}@${r.openedAt}->${r.response?.responderLogin ?? "-"}/${r.response?.kind ?? "-"}:${r.response?.latencySeconds ?? "-"}`)
          .join(" | ");
      }),
    );
    expect([...summaries]).toEqual([expected]);
  });

  it("through webhooks, the database and the worker, shuffled orders give the same stored requests", async () => {
    const random = seededRandom(42);
    // In order, reversed (each same-second pair arrives both ways round), and 46 shuffles (the database is the slow part).
    const orders = [[0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0], ...Array.from({ length: 46 }, () => shuffled([0, 1, 2, 3, 4, 5], random))];
    expect(await storedInOrders(orders, scenario, 1000)).toEqual([expected]);
  });

  it("deletions delivered before the comments they delete: neither the deleted answer nor the deleted question counts", async () => {
    // A mentor's comment at 09:14, deleted in the same second (GitHub dates a deletion by the comment's last
    // update); the real answer at 17:56. Next morning the mentee asks and deletes the question at once.
    function deletions(number: number) {
      const pr = { kind: "pr" as const, number, author: mentee };
      const base = number * 100;
      return [
        ["pull_request", prOpened(number, "2026-08-10T09:00:00Z", mentee)],
        ["issue_comment", commentCreated(pr, base + 1, "2026-08-10T09:14:00Z", mentor)],
        ["issue_comment", commentDeleted(pr, base + 1, "2026-08-10T09:14:00Z", mentor)],
        ["issue_comment", commentCreated(pr, base + 2, "2026-08-10T17:56:00Z", mentor2)],
        ["issue_comment", commentCreated(pr, base + 3, "2026-08-11T09:00:00Z", mentee)],
        ["issue_comment", commentDeleted(pr, base + 3, "2026-08-11T09:00:00Z", mentee)],
      ] as const;
    }
    const random = seededRandom(7);
    // Each deletion before its comment (reversed, and two hand-picked), then shuffles.
    const orders = [
      [5, 4, 3, 2, 1, 0],
      [2, 5, 0, 1, 3, 4],
      [0, 5, 2, 3, 4, 1],
      ...Array.from({ length: 9 }, () => shuffled([0, 1, 2, 3, 4, 5], random)),
    ];
    // 09:00 → 17:56 is 8 h 56 min; the deleted 09:14 comment would have made it 14 min.
    expect(await storedInOrders(orders, deletions, 600)).toEqual(["ready_for_review@2026-08-10T09:00:00Z->mentor-two/comment:32160"]);
  });
});
