import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type ServerResponse } from "node:http";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "@jest/globals";
import { sql } from "kysely";
import { type DatabaseHandle, openDatabase } from "../../src/db/connection.js";
import { sign } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { examplePayload } from "../helpers/payloads.js";

// `npm start` runs the compiled app; `npm test` builds it first (pretest).
const MAIN = resolve("dist/src/main.js");
const CLI = resolve("bin/mentorship.js");
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const key = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;

/** A working directory as a newcomer has it after `git clone`: app.yml and package.json, maybe a .env. */
function workdir(dotenv?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "mt-start-"));
  copyFileSync("app.yml", join(dir, "app.yml"));
  copyFileSync("package.json", join(dir, "package.json"));
  if (dotenv !== undefined) writeFileSync(join(dir, ".env"), dotenv);
  return dir;
}

function spawnNode(script: string, args: string[], options: { cwd?: string; env?: Record<string, string> }) {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build`);
  // Only PATH from our environment: the child reads its settings from .env, as a user's would.
  // GitHub calls go to a closed local port, never to the network.
  const child = spawn(process.execPath, [script, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH ?? "", NO_SMEE_SETUP: "true", LOG_LEVEL: "warn", GHE_HOST: "127.0.0.1:9", GHE_PROTOCOL: "http", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

const start = (options: { cwd?: string; env?: Record<string, string> } = {}) => spawnNode(MAIN, [], options);

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function waitFor(url: string, exited: Promise<unknown>): Promise<Response> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 300 && !gone; i++) {
    const response = await fetch(url).catch(() => undefined);
    if (response) return response;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered`);
}

/** Where the child keeps its data: a fresh PostgreSQL database on CI's Postgres run, else an embedded directory. */
async function databaseFor(dir: string): Promise<{ dotenv: string; count: () => Promise<number> }> {
  if (process.env.DATABASE_URL) {
    const handle = await createTestDatabase();
    cleanups.push(() => handle.close());
    return { dotenv: `DATABASE_URL=${handle.connectionString}\n`, count: () => countDeliveries(handle) };
  }
  return {
    dotenv: "DATA_DIR=./data\n",
    count: async () => {
      const handle = await openDatabase({ dataDir: join(dir, "data", "pglite") });
      try {
        return await countDeliveries(handle);
      } finally {
        await handle.close();
      }
    },
  };
}

async function countDeliveries(handle: DatabaseHandle): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from deliveries`.execute(handle.db);
  return rows[0]!.n;
}

function credentialsDotenv(port: number): string {
  // As Probot's setup page writes it: the key in double quotes with \n for newlines.
  return [`APP_ID=4242`, `PRIVATE_KEY="${key.trim().replace(/\n/g, "\\n")}"`, `WEBHOOK_SECRET=from-dotenv`, `PORT=${port}`, `HOST=127.0.0.1`, ""].join("\n");
}

function signedDelivery(secret: string) {
  const body = JSON.stringify(examplePayload("issue_comment", "created"));
  const id = randomUUID();
  return { id, body, headers: { "content-type": "application/json", "x-github-event": "issue_comment", "x-github-delivery": id, "x-hub-signature-256": sign(body, secret) } };
}

describe("npm start", () => {
  it("reads the credentials from .env: /healthz answers 200 and a delivery signed with its secret is stored", async () => {
    const dir = workdir();
    const port = await freePort();
    const database = await databaseFor(dir);
    writeFileSync(join(dir, ".env"), credentialsDotenv(port) + database.dotenv);
    const app = start({ cwd: dir });
    const health = await waitFor(`http://127.0.0.1:${port}/healthz`, app.exited);
    expect(health.status).toBe(200);

    const delivery = signedDelivery("from-dotenv");
    const accepted = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, { method: "POST", headers: delivery.headers, body: delivery.body });
    expect(accepted.status).toBe(200);
    const forged = signedDelivery("not-the-secret");
    const refused = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, { method: "POST", headers: forged.headers, body: forged.body });
    expect(refused.status).toBe(400);

    app.child.kill("SIGTERM");
    expect(await app.exited).toBe(0);
    expect(await database.count()).toBe(1);
  });

  it("with a copied .env.example (every credential empty), serves Probot's setup page instead of errors", async () => {
    const port = await freePort();
    const dir = workdir(`${readFileSync(".env.example", "utf8")}\nPORT=${port}\nHOST=127.0.0.1\n`);
    const app = start({ cwd: dir, env: { WEBHOOK_PROXY_URL: "https://smee.io/a-channel-for-this-test" } });
    const page = await waitFor(`http://127.0.0.1:${port}/probot`, app.exited);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("pull_request_review_comment");
    // The app it registers sends its webhooks to the proxy channel, which this process reads.
    expect(html).toContain("https://smee.io/a-channel-for-this-test");
    expect(html).not.toContain("example.com");
    expect(app.output().stderr).toBe("");
    app.child.kill("SIGTERM");
  });

  it("once the setup page has the credentials, writes them into .env (comments kept) and starts the app on the same port", async () => {
    const port = await freePort();
    const dir = workdir();
    const database = await databaseFor(dir);
    writeFileSync(join(dir, ".env"), `${readFileSync(".env.example", "utf8")}\nPORT=${port}\nHOST=127.0.0.1\n${database.dotenv}`);
    const app = start({ cwd: dir });
    await waitFor(`http://127.0.0.1:${port}/probot`, app.exited);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(404);
    // Probot's "use an existing GitHub App" form; registering a new one ends in the same write.
    const imported = await fetch(`http://127.0.0.1:${port}/probot/import`, {
      method: "POST",
      body: JSON.stringify({ appId: "4242", pem: key, webhook_secret: "from-setup" }),
    });
    expect(imported.status).toBe(200);

    let health: Response | undefined;
    for (let i = 0; i < 200 && health?.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
    }
    expect(health?.status).toBe(200);
    const dotenv = readFileSync(join(dir, ".env"), "utf8");
    expect(dotenv).toContain("\nAPP_ID=4242\n");
    expect(dotenv).toContain("# The webhook secret set on the app; every delivery's signature is checked against it.\nWEBHOOK_SECRET=from-setup\n");
    const delivery = signedDelivery("from-setup");
    expect((await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, { method: "POST", headers: delivery.headers, body: delivery.body })).status).toBe(200);
    app.child.kill("SIGTERM");
    expect(await app.exited).toBe(0);
    expect(await database.count()).toBe(1);
  }, 60_000);

  it("exits 1 naming every wrong setting at once, with no stack trace", async () => {
    const app = start({ env: { APP_ID: "abc", PRIVATE_KEY: "garbage", WEBHOOK_SECRET: "x", DATABASE_URL: "mysql://x", PORT: "http" } });
    expect(await app.exited).toBe(1);
    expect(app.output().stderr.trim().split("\n")).toEqual([
      "mentorship-tracker: APP_ID: must be the numeric App ID shown on the app's settings page",
      "mentorship-tracker: DATABASE_URL: must be a postgres:// URL, e.g. postgres://user:password@host:5432/dbname (unset it to use the embedded database)",
      "mentorship-tracker: PORT: must be a port number from 0 to 65535, e.g. 3000",
      "mentorship-tracker: PRIVATE_KEY: not a valid PEM private key (download it from the app's settings page)",
    ]);
  });

  it("says so in one line when the database cannot be reached", async () => {
    const app = start({ env: { APP_ID: "1", PRIVATE_KEY: key, WEBHOOK_SECRET: "x", DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" } });
    expect(await app.exited).toBe(1);
    expect(app.output().stderr).toBe("mentorship-tracker: cannot reach the database at 127.0.0.1:1 (is PostgreSQL running? check DATABASE_URL)\n");
  });

  it("names the port when it is taken", async () => {
    const taken: Server = await new Promise((done) => {
      const server = createServer().listen(0, "127.0.0.1", () => done(server));
    });
    cleanups.push(() => new Promise((done) => taken.close(() => done())));
    const port = (taken.address() as { port: number }).port;
    const dir = workdir();
    const database = await databaseFor(dir);
    writeFileSync(join(dir, ".env"), credentialsDotenv(port) + database.dotenv);
    const app = start({ cwd: dir });
    expect(await app.exited).toBe(1);
    expect(app.output().stderr).toBe(`mentorship-tracker: port ${port} is already in use by another program (stop it, or set PORT to a free port)\n`);
  });
});

describe("the embedded database has one writer", () => {
  it("a second process on the same data directory exits 1 with one line saying who holds it; a killed holder's lock is taken over", async () => {
    const dir = workdir();
    const port = await freePort();
    writeFileSync(join(dir, ".env"), `${credentialsDotenv(port)}DATA_DIR=./data\n`);
    const first = start({ cwd: dir });
    expect((await waitFor(`http://127.0.0.1:${port}/healthz`, first.exited)).status).toBe(200);

    const second = start({ cwd: dir, env: { PORT: String(await freePort()) } });
    expect(await second.exited).toBe(1);
    const lines = second.output().stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^mentorship-tracker: the embedded database in data/pglite is in use by another process \\(pid ${first.child.pid}: dist/src/main.js, since .+ UTC\\)\\. Stop that process first`),
    );
    const cli = spawnNode(CLI, ["programs"], { cwd: dir, env: { DATA_DIR: "./data" } });
    expect(await cli.exited).toBe(1);
    expect(cli.output().stderr).toMatch(/^mentorship programs: the embedded database in data\/pglite is in use by another process \(pid \d+/);

    // kill -9 leaves the lock file behind; the next start finds its holder gone and takes it.
    first.child.kill("SIGKILL");
    await first.exited;
    const after = spawnNode(CLI, ["programs"], { cwd: dir, env: { DATA_DIR: "./data" } });
    expect(await after.exited).toBe(0);
  }, 60_000);
});

describe("WEBHOOK_PROXY_URL", () => {
  it("forwards what GitHub sent to the proxy channel to the app, signature intact, and it is stored", async () => {
    // A stand-in for a smee.io channel: an event stream that carries one delivery, as smee does.
    const delivery = signedDelivery("from-dotenv");
    const streams: ServerResponse[] = [];
    const channel = createHttpServer((req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write(": ready\n\n");
      streams.push(res);
    });
    await new Promise<void>((done) => channel.listen(0, "127.0.0.1", () => done()));
    cleanups.push(async () => {
      for (const s of streams) s.destroy();
      await new Promise<void>((done) => channel.close(() => done()));
    });
    const channelUrl = `http://127.0.0.1:${(channel.address() as { port: number }).port}/demo-channel`;

    const dir = workdir();
    const port = await freePort();
    const database = await databaseFor(dir);
    writeFileSync(join(dir, ".env"), `${credentialsDotenv(port)}${database.dotenv}WEBHOOK_PROXY_URL=${channelUrl}\n`);
    const app = start({ cwd: dir });
    await waitFor(`http://127.0.0.1:${port}/healthz`, app.exited);
    for (let i = 0; i < 100 && streams.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(streams).toHaveLength(1);
    const { "content-type": _json, ...headers } = delivery.headers;
    streams[0]!.write(`data: ${JSON.stringify({ ...headers, body: JSON.parse(delivery.body) })}\n\n`);

    // Stored once the app has answered the forwarded POST; stop it and look.
    await new Promise((r) => setTimeout(r, 1500));
    app.child.kill("SIGTERM");
    expect(await app.exited).toBe(0);
    expect(await database.count()).toBe(1);
  }, 60_000);
});
