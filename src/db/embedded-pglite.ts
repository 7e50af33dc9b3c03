import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";

/**
 * Postgres settings of the embedded database. PGlite starts with a server's: initdb sizes
 * shared_buffers at 128 MB, which Postgres allocates inside PGlite's WebAssembly memory at start and
 * which was half of the app's idle RSS (docs/benchmarks.md, "Embedded memory"). An organisation's
 * whole database is a few MB to a few dozen, read from the OS page cache when not in the buffers: the
 * demo runs in the same CPU time with 16 MB as with 128 MB.
 */
const SETTINGS: Record<string, string> = { shared_buffers: "16MB" };

async function startParams(): Promise<string[]> {
  const { PGlite } = await import("@electric-sql/pglite");
  return [...PGlite.defaultStartParams, ...Object.entries(SETTINGS).flatMap(([name, value]) => ["-c", `${name}=${value}`])];
}

/** The embedded database in `dataDir` (a directory, or `memory://`), created on first use. */
export async function createPglite(dataDir: string): Promise<PGlite> {
  const { PGlite } = await import("@electric-sql/pglite");
  const params = await startParams();
  if (!dataDir.startsWith("memory://") && !existsSync(join(dataDir, "PG_VERSION"))) await initdbInChild(dataDir, params);
  return PGlite.create(dataDir, { startParams: params });
}

/**
 * initdb runs in a second PGlite instance and WebAssembly module, whose few hundred MB this process
 * would keep until a garbage collection that an idle process never runs (idle RSS 850 MB after the
 * first start, against 300 MB after later ones). A short-lived child gives them back when it exits.
 */
const INITDB = `
// A parent that is gone (killed, Ctrl-C) uses nothing of this, and the demo's removes the directory: stop.
process.stdin.on("end", () => process.exit(1)).resume();
const { PGlite } = require(process.argv[1]);
PGlite.create(process.argv[2], { startParams: JSON.parse(process.argv[3]) })
  .then((db) => db.close())
  .then(() => process.exit(0), (error) => { process.stderr.write(String(error && error.message || error)); process.exit(1); });
`;

async function initdbInChild(dataDir: string, params: string[]): Promise<void> {
  const pglitePath = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const child = spawn(process.execPath, ["-e", INITDB, pglitePath, dataDir, JSON.stringify(params)], {
    stdio: ["pipe", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", resolve);
  });
  if (code !== 0) throw new Error(`cannot create the embedded database in ${dataDir}: ${stderr.trim() || `initdb exited with code ${code}`}`);
}
