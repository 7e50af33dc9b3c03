/**
 * The app as `npm start` runs it: a real child process (the compiled dist/src/main.js), so tests can
 * run two of them on one database, or kill one with SIGKILL mid-job.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe } from "@jest/globals";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { APP_ID, privateKey, WEBHOOK_PATH, WEBHOOK_SECRET } from "./app.js";
import { createTestDatabase } from "./db.js";
import { seedWorld } from "./scenario.js";

// `npm start` runs the compiled app; `npm test` builds it first (pretest).
export const MAIN = "dist/src/main.js";

export interface AppProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): { stdout: string; stderr: string };
}

export function spawnApp(env: Record<string, string>): AppProcess {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build`);
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? "", NO_SMEE_SETUP: "true", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningApp extends AppProcess {
  url: string;
}

/**
 * A registered app on `databaseUrl`, serving once /healthz answers. GitHub is unreachable on purpose
 * (GHE_HOST on a closed port): jobs that would call it fail and retry, nothing leaves the machine.
 */
export async function startApp(databaseUrl: string, env: Record<string, string> = {}): Promise<RunningApp> {
  const port = await freePort();
  const app = spawnApp({
    APP_ID: String(APP_ID),
    PRIVATE_KEY: privateKey(),
    WEBHOOK_SECRET,
    WEBHOOK_PATH,
    DATABASE_URL: databaseUrl,
    HOST: "127.0.0.1",
    PORT: String(port),
    GHE_HOST: "127.0.0.1:1",
    GHE_PROTOCOL: "http",
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    const health = await fetch(`${url}/healthz`).catch(() => undefined);
    if (health?.status === 200) return { ...app, url };
    if (app.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  app.child.kill("SIGKILL");
  throw new Error(`the app did not start: ${app.output().stderr}`);
}

/**
 * For a test file whose app processes share one PostgreSQL database (the documented way to scale
 * out): the database with the one-program world, and every process started killed after each test.
 * Skipped (visibly) without DATABASE_URL: the embedded database serves one process, in-process.
 */
export function sharedPostgres(): {
  describe: typeof describe | typeof describe.skip;
  database(): DatabaseHandle;
  start(env?: Record<string, string>): Promise<RunningApp>;
} {
  let database: DatabaseHandle | undefined;
  const running: RunningApp[] = [];
  beforeAll(async () => {
    if (!process.env.DATABASE_URL) return;
    database = await createTestDatabase();
    await seedWorld(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });
  afterEach(() => {
    for (const app of running.splice(0)) app.child.kill("SIGKILL");
  });
  return {
    describe: process.env.DATABASE_URL ? describe : describe.skip,
    database: () => database!,
    async start(env = {}) {
      const app = await startApp(database!.connectionString, env);
      running.push(app);
      return app;
    },
  };
}
