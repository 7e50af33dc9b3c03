/**
 * `kill -9` of the app in the middle of a backfill, with a GraphQL request in flight. The restarted
 * process takes the dead one's backfill job over (see worker liveness), resumes from the stored
 * cursors, and GitHub answers no search page and no thread twice.
 *
 * Needs PostgreSQL: on the embedded database the app is one process whose database dies with it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, it } from "@jest/globals";
import { sql } from "kysely";
import { addJob } from "../../src/db/events.js";
import { type GraphqlRequest, StandinOrg } from "../../src/demo/standin-graphql.js";
import { backfillJobRequest } from "../../src/jobs/backfill.js";
import { sharedPostgres } from "../helpers/app-process.js";
import { busyOrg, operationOf } from "../helpers/backfill-story.js";
import { INSTALLATION_ID } from "../helpers/scenario.js";

const THREADS = 260;
/** The thread batch whose request is in flight when the process dies (batches are 50 threads). */
const KILLED_DURING_BATCH = 3;

const shared = sharedPostgres();

/**
 * GitHub for the backfill: installation tokens, the app, and GraphQL over a stand-in org. What it
 * answered is recorded; the request of batch `holdBatch` is held unanswered and reported.
 */
async function standInGitHub(org: StandinOrg, holdBatch: number) {
  const answeredThreads: string[] = [];
  const answeredSearchPages: string[] = [];
  let batches = 0;
  let onHeld: () => void = () => {};
  const held = new Promise<void>((resolve) => (onHeld = resolve));
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = (req.url ?? "").split("?")[0]!;
      if (req.method === "POST" && /^\/api\/v3\/app\/installations\/\d+\/access_tokens$/.test(path)) {
        return json(res, 201, { token: "t", expires_at: "2099-01-01T00:00:00Z", permissions: {} });
      }
      if (req.method === "GET" && path === "/api/v3/app") return json(res, 200, { id: 1, slug: "mentorship-tracker" });
      if (req.method !== "POST" || path !== "/api/graphql") return json(res, 404, { message: "stand-in: not here" });
      const request = JSON.parse(Buffer.concat(chunks).toString("utf8")) as GraphqlRequest;
      const operation = operationOf(request);
      if (operation === "BackfillThreads" && ++batches === holdBatch) {
        onHeld(); // never answered: the process dies waiting
        return;
      }
      if (operation === "BackfillThreads") answeredThreads.push(...(request.variables?.ids as string[]));
      if (operation === "BackfillSearch") answeredSearchPages.push(`${request.variables?.q} after ${request.variables?.after}`);
      json(res, 200, org.answer(request));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    answeredThreads,
    answeredSearchPages,
    held,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

const start = (githubHost: string) => shared.start({ WORKER_DEAD_AFTER: "3s", GHE_HOST: githubHost });

async function backfillState() {
  const threads = await sql<{ found: number; fetched: number }>`
    select count(*)::int as found, count(fetched_at)::int as fetched from backfill_threads where installation_id = ${INSTALLATION_ID}`.execute(shared.database().db);
  const jobs = await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'backfill'`.execute(shared.database().db);
  return { ...threads.rows[0]!, jobs: jobs.rows[0]!.n };
}

shared.describe("a backfill killed with SIGKILL (PostgreSQL only; skipped on the embedded database)", () => {
  it("resumes from its cursors in the restarted process, and GitHub answers no page and no thread twice", async () => {
    const github = await standInGitHub(new StandinOrg(busyOrg(THREADS, 2)), KILLED_DURING_BATCH);
    try {
      await addJob(shared.database().db, backfillJobRequest({ installationId: INSTALLATION_ID }));
      const first = await start(github.host);
      await github.held;
      first.child.kill("SIGKILL");
      await first.exited;
      const atKill = await backfillState();
      expect(atKill).toEqual({ found: THREADS, fetched: (KILLED_DURING_BATCH - 1) * 50, jobs: 1 });

      await start(github.host);
      let state = atKill;
      for (let i = 0; i < 200 && (state.fetched < THREADS || state.jobs > 0); i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = await backfillState();
      }
      expect(state).toEqual({ found: THREADS, fetched: THREADS, jobs: 0 });

      expect(github.answeredThreads).toHaveLength(THREADS);
      expect(new Set(github.answeredThreads).size).toBe(THREADS);
      expect(new Set(github.answeredSearchPages).size).toBe(github.answeredSearchPages.length);
      const events = await sql<{ n: number }>`select count(*)::int as n from events where installation_id = ${INSTALLATION_ID}`.execute(shared.database().db);
      expect(events.rows[0]!.n).toBe(THREADS * 3);
    } finally {
      await github.close();
    }
  }, 90_000);
});
