/**
 * Bodies that are refused: what the client reads, what the log holds, what the process keeps. A refusal
 * is one log line (GUID, event, size, reason) and never the body; a 413 or 503 reaches the client as a
 * status it can read, not a connection reset; the bytes held across requests are capped.
 */
import { connect } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { sql } from "kysely";
import { type DatabaseHandle, openDatabase } from "../../src/db/connection.js";
import { createTestApp, nextDeliveryId, sign, type TestApp, WEBHOOK_PATH } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { mentee, prOpened, seedWorld } from "../helpers/scenario.js";

let database: DatabaseHandle;
let app: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedWorld(database.db);
  app = await createTestApp(database);
});

afterAll(async () => {
  await app.close();
  await database.close();
});

afterEach(() => {
  expect(app.errors()).toEqual([]);
});

function post(body: string | Buffer, headers: Record<string, string>, target = app.url): Promise<Response> {
  return fetch(`${target}${WEBHOOK_PATH}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": "issues", "x-github-delivery": nextDeliveryId(), ...headers },
    body,
  });
}

/** Log lines written from now until `work` ends, as the bytes pino wrote. */
async function logsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const from = app.logs.length;
  await work();
  return app.logs.slice(from).map((l) => JSON.stringify(l));
}

describe("a refused delivery logs one short line, never its body", () => {
  const megabyte = JSON.stringify({ action: "opened", padding: "secret-body-".repeat(87_382) });

  it("a 1 MB body with a forged signature: 400 and under 1 KB of log", async () => {
    const id = nextDeliveryId();
    let status = 0;
    const lines = await logsDuring(async () => {
      status = (await post(megabyte, { "x-github-delivery": id, "x-hub-signature-256": sign(megabyte, "not-the-secret") })).status;
    });
    expect(status).toBe(400);
    expect(lines).toHaveLength(1);
    expect(Buffer.byteLength(lines.join("\n"))).toBeLessThan(1024);
    expect(JSON.parse(lines[0]!)).toEqual(
      expect.objectContaining({ delivery: id, event: "issues", bytes: Buffer.byteLength(megabyte), status: 400, reason: expect.stringMatching(/signature/) }),
    );
  });

  it("a signed body that is not JSON, and one too large: one line each, without the body", async () => {
    const malformed = `{"action": "opened", "padding": "secret-body-${"x".repeat(10_000)}`;
    const lines = await logsDuring(async () => {
      expect((await post(malformed, { "x-hub-signature-256": sign(malformed) })).status).toBe(400);
      const tooLarge = Buffer.alloc(26 * 1024 * 1024, "secret-body-");
      expect((await post(tooLarge, { "x-hub-signature-256": "sha256=00" })).status).toBe(413);
    });
    expect(lines.map((l) => JSON.parse(l).reason)).toEqual([expect.stringMatching(/not a JSON object/), expect.stringMatching(/larger than/)]);
    expect(lines.join("\n")).not.toContain("secret-body");
  });

  it("a signed body braced like an object but not JSON: acknowledged, set aside at expansion with its body kept and never logged; its neighbour is expanded", async () => {
    // The request path checks only the braces (parsing is the expansion's), so this one gets through.
    const broken = `{"action": "opened", "padding": "secret-body-${"x".repeat(100)}" "no comma": 1}`;
    const brokenId = nextDeliveryId();
    const lines = await logsDuring(async () => {
      expect((await post(broken, { "x-hub-signature-256": sign(broken), "x-github-delivery": brokenId })).status).toBe(200);
      expect((await app.send("pull_request", prOpened(7, "2026-06-18T10:00:00Z", mentee))).status).toBe(200);
      expect(await app.expand()).toBe(2);
    });
    const row = await database.db.selectFrom("deliveries").select(["body", "expand_error"]).where("id", "=", brokenId).executeTakeFirstOrThrow();
    expect(row).toEqual({ body: broken, expand_error: "the body is not a JSON object" });
    const events = await sql<{ n: number }>`select count(*)::int as n from events where number = 7`.execute(database.db);
    expect(events.rows[0]!.n).toBe(1);
    expect(app.errors()).toEqual([expect.objectContaining({ delivery: brokenId, msg: expect.stringMatching(/set aside/) })]);
    expect(lines.join("\n")).not.toContain("secret-body");
    app.logs.splice(0);
    expect(await app.expand()).toBe(0);
  });

  it("a delivery the database fails to store is logged with its error, never its payload", async () => {
    const dead = await openDatabase({ databaseUrl: "postgres://postgres@127.0.0.1:1/none", poolSize: 1 });
    const deadApp = await createTestApp(dead);
    const payload = prOpened(5, "2026-06-18T09:00:00Z", mentee, { body: "secret-body of the pull request" });
    expect((await deadApp.send("pull_request", payload)).status).toBe(500);
    const written = deadApp.logs.map((l) => JSON.stringify(l)).join("\n");
    expect(deadApp.errors().length).toBeGreaterThan(0);
    expect(written).toMatch(/ECONNREFUSED/);
    expect(written).not.toContain("secret-body");
    await deadApp.close();
    await dead.close();
  });
});

describe("a refusal the client can read", () => {
  it("a 26 MB body gets a readable 413, every time (no connection reset)", async () => {
    const big = Buffer.alloc(26 * 1024 * 1024, "x");
    for (let i = 0; i < 5; i++) {
      const response = await post(big, { "x-hub-signature-256": "sha256=00" });
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({ error: expect.stringMatching(/larger than/) });
    }
  });

  it("a client busy sending, that reads its answer late, still reads the 413 rather than a reset", async () => {
    const { port } = new URL(app.url);
    for (let i = 0; i < 2; i++) {
      const socket = connect(Number(port), "127.0.0.1");
      // Not reading for a while: a reset arriving meanwhile throws the answer away unread.
      socket.pause();
      let text = "";
      socket.on("data", (d) => (text += d));
      const closed = new Promise<string>((resolve) => {
        socket.on("error", (error: NodeJS.ErrnoException) => resolve(`${text}[${error.code}]`));
        socket.on("close", () => resolve(text));
      });
      socket.write(
        `POST ${WEBHOOK_PATH} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-github-event: issues\r\n` +
          `x-github-delivery: ${nextDeliveryId()}\r\nx-hub-signature-256: sha256=00\r\ncontent-length: ${26 * 1024 * 1024}\r\n\r\n`,
      );
      socket.write(Buffer.alloc(1024 * 1024, "x"));
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Still sending, as fetch does: bytes that reach a closed socket make the server's kernel answer with a reset.
      socket.write(Buffer.alloc(4 * 1024 * 1024, "x"));
      await new Promise((resolve) => setTimeout(resolve, 300));
      socket.resume();
      const read = await closed;
      expect(read).toMatch(/^HTTP\/1\.1 413 [^[]*"error":"payload larger than \d+ bytes"[^[]*$/);
      socket.destroy();
    }
  });

  it("past the cap on bytes in flight, a delivery gets 503 and Retry-After, and is accepted once room is made", async () => {
    // A small cap on bytes in flight, so that one held request fills it.
    const capped = await createTestApp(database, { webhook: { maxBytesInFlight: 1024 * 1024 } });
    const payload = prOpened(7, "2026-06-18T09:00:00Z", mentee);
    const id = nextDeliveryId();
    // A request that declares 1,040,000 bytes and sends a little of them holds that much of the 1 MiB cap.
    const { port } = new URL(capped.url);
    const holder = connect(Number(port), "127.0.0.1");
    holder.on("error", () => {});
    const holderAnswer = new Promise<string>((resolve) => {
      let text = "";
      holder.on("data", (d) => (text += d));
      holder.on("close", () => resolve(text));
    });
    holder.write(
      `POST ${WEBHOOK_PATH} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-github-event: issues\r\n` +
        `x-github-delivery: ${nextDeliveryId()}\r\nx-hub-signature-256: sha256=00\r\ncontent-length: 1040000\r\n\r\n{"a":`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));

    const refused = await capped.send("pull_request", payload, { id });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(await refused.json()).toEqual({ error: "too many webhook bytes in flight" });

    holder.end(`"${"x".repeat(1_040_000 - 8)}"}`);
    expect(await holderAnswer).toMatch(/^HTTP\/1\.1 400/);
    expect((await capped.send("pull_request", payload, { id })).status).toBe(200);
    expect(capped.errors()).toEqual([]);
    await capped.close();
    const stored = await sql<{ n: number }>`select count(*)::int as n from deliveries where id = ${id}`.execute(database.db);
    expect(stored.rows[0]!.n).toBe(1);
  });
});
