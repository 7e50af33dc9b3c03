/** What the figures came from, read at run time. */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { postgresVersion, serverUrl } from "./postgres.js";

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string | null;
  postgresFull: string | null;
  pglite: string | null;
  probot: string | null;
  autocannon: string | null;
  /** 1-minute load average when the run started and ended: above 0 on an idle machine means something else ran. */
  loadAverageAtStart: number;
  loadAverageAtEnd?: number;
}

export async function describeMachine(): Promise<MachineInfo> {
  const cpus = os.cpus();
  const pg = await postgresVersion(serverUrl());
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: pg?.version ?? null,
    postgresFull: pg?.full ?? null,
    pglite: packageVersion("@electric-sql/pglite"),
    probot: packageVersion("probot"),
    autocannon: packageVersion("autocannon"),
    loadAverageAtStart: round2(os.loadavg()[0] ?? 0),
  };
}

export function loadAverage(): number {
  return round2(os.loadavg()[0] ?? 0);
}

function packageVersion(name: string): string | null {
  const require = createRequire(import.meta.url);
  try {
    // Some packages do not export package.json: find it next to the resolved entry point.
    let dir = require.resolve(name);
    for (let i = 0; i < 6; i++) {
      dir = dir.slice(0, dir.lastIndexOf("/"));
      try {
        const pkg = JSON.parse(readFileSync(`${dir}/package.json`, "utf8")) as { name?: string; version?: string };
        if (pkg.name === name) return pkg.version ?? null;
      } catch {
        // not here: one level up
      }
    }
  } catch {
    // not installed
  }
  return null;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
