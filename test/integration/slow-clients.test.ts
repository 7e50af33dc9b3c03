/**
 * Slow clients: sockets that send their headers or their body a byte at a time, from other loopback
 * addresses than GitHub's stand-in. The server holds at most MAX_CONNECTIONS_PER_PEER of one address,
 * cuts slow headers off after a few seconds and slow bodies at the webhook deadline (with a 408 the
 * client can read), and meanwhile answers normal deliveries as usual. Node's defaults kept such sockets
 * for 60 s (headers) and 300 s (body).
 */
import { connect, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { sql } from "kysely";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { MAX_CONNECTIONS_PER_PEER } from "../../src/server.js";
import { createTestApp, nextDeliveryId, type TestApp, WEBHOOK_PATH } from "../helpers/app.js";
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface SlowSocket {
  socket: Socket;
  received: () => string;
  closed: boolean;
}

/** A socket from `localAddress` that sends `head` at once, then `trickle` one byte per 200 ms, at most 75 of them. */
function slowClient(port: number, localAddress: string, head: string, trickle: string): SlowSocket {
  const socket = connect({ host: "127.0.0.1", port, localAddress });
  let text = "";
  const slow: SlowSocket = { socket, received: () => text, closed: false };
  socket.on("data", (d) => (text += d));
  socket.on("error", () => {});
  socket.once("close", () => (slow.closed = true));
  socket.once("connect", async () => {
    socket.write(head);
    for (let i = 0; i < 75 && !slow.closed; i++) {
      await sleep(200);
      if (!slow.closed) socket.write(trickle[i % trickle.length]!);
    }
  });
  return slow;
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  for (let waited = 0; waited < ms && !condition(); waited += 100) await sleep(100);
}

describe("slow clients", () => {
  it("are cut off, and capped per address, while normal deliveries are answered as usual", async () => {
    const port = Number(new URL(app.url).port);
    const webhookHead = (length: number) =>
      `POST ${WEBHOOK_PATH} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-github-event: issues\r\n` +
      `x-github-delivery: ${nextDeliveryId()}\r\nx-hub-signature-256: sha256=00\r\ncontent-length: ${length}\r\n\r\n`;
    // Headers that never end, from one address, more of them than it may hold.
    const slowHeaders = Array.from({ length: MAX_CONNECTIONS_PER_PEER + 36 }, () =>
      slowClient(port, "127.0.0.2", `POST ${WEBHOOK_PATH} HTTP/1.1\r\nhost: x\r\n`, "x-slow: yes\r\n"),
    );
    // Complete headers, then a body that crawls, from another.
    const slowBodies = Array.from({ length: 10 }, () => slowClient(port, "127.0.0.3", webhookHead(100_000), '{"padding":"xxxxxxxx'));
    await sleep(500);
    const stillOpen = () => [...slowHeaders, ...slowBodies].filter((s) => !s.closed).length;
    // Past the cap, the address's sockets are closed as they connect; the others are held, for now.
    expect(slowHeaders.filter((s) => !s.closed)).toHaveLength(MAX_CONNECTIONS_PER_PEER);
    expect(slowBodies.filter((s) => !s.closed)).toHaveLength(10);

    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const id = nextDeliveryId();
      const started = performance.now();
      const response = await app.send("pull_request", prOpened(80 + i, "2026-06-20T09:00:00Z", mentee), { id });
      latencies.push(performance.now() - started);
      expect(response.status).toBe(200);
      const stored = await sql<{ n: number }>`select count(*)::int as n from deliveries where id = ${id}`.execute(database.db);
      expect(stored.rows[0]!.n).toBe(1);
    }
    // Answered while the slow sockets were all still held.
    expect(stillOpen()).toBe(MAX_CONNECTIONS_PER_PEER + 10);
    process.stdout.write(`normal deliveries beside ${stillOpen()} slow sockets: ${latencies.map((l) => `${l.toFixed(0)} ms`).join(", ")}\n`);

    // The server closes every one of them, well before Node's defaults would (60 s and 300 s).
    await until(() => stillOpen() === 0, 15_000);
    expect(stillOpen()).toBe(0);
    // Each slow body was told why, in a response it could read.
    for (const s of slowBodies) expect(s.received()).toMatch(/^HTTP\/1\.1 408 [^]*body not received within the deadline/);
    for (const s of slowHeaders.filter((h) => h.received() !== "")) expect(s.received()).toMatch(/^HTTP\/1\.1 408/);
    app.logs.splice(0);
  }, 30_000);
});
