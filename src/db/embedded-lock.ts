import { readFileSync, rmSync, writeFileSync } from "node:fs";

/** A second process asked for an embedded data directory that a live process holds. */
export class EmbeddedDatabaseBusy extends Error {
  constructor(dataDir: string, readonly holder: LockHolder) {
    super(
      `the embedded database in ${dataDir} is in use by another process (pid ${holder.pid}: ${holder.command}, since ${holder.since}). ` +
        "Stop that process first, read reports from its HTTP API (/api/v1) while it runs, " +
        "or set DATABASE_URL to a PostgreSQL database, which any number of processes can share.",
    );
    this.name = "EmbeddedDatabaseBusy";
  }
}

export interface LockHolder {
  pid: number;
  command: string;
  since: string;
}

/**
 * PGlite is a single-user database with no lock of its own: two processes on one directory would
 * both write it and corrupt it. `<dataDir>.lock` names the holder; a lock whose process is gone
 * (killed, crashed) is taken over. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = `${dataDir}.lock`;
  const me: LockHolder = {
    pid: process.pid,
    command: process.argv.slice(1).map((a) => a.replace(/^.*\/(dist\/|bin\/)/, "$1")).join(" "),
    since: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(me), { flag: "wx" });
      const release = () => {
        if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
        process.off("exit", release);
      };
      // A process that exits without closing the database (process.exit) still frees it.
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readHolder(path);
      if (holder && holder.pid !== process.pid && isAlive(holder.pid)) throw new EmbeddedDatabaseBusy(dataDir, holder);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`cannot take the lock ${path}`);
}

function readHolder(path: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as LockHolder;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
