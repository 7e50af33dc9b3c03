/**
 * `mentorship backfill`: the same backfill the app runs as jobs, by hand, with a progress bar.
 * Reads GitHub as the app (APP_ID and PRIVATE_KEY), writes the database the app uses.
 */
import { parseArgs } from "node:util";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot } from "probot";
import { boundStart, parseDateBound } from "../commands/parse.js";
import { loadEnv } from "../config/env.js";
import { findInstallation, installationsWithRoster } from "../db/rosters.js";
import type { AppDeps } from "../deps.js";
import { installationOctokit } from "../github/octokit.js";
import { Backfill, type BackfillStatus } from "../jobs/backfill.js";
import { rederiveInstallationJob } from "../jobs/derive-thread.js";
import { terminalText } from "../render/report-table.js";
import { findProgramInstallation } from "../reports/response-times.js";
import type { CliIo } from "./io.js";
import { withDatabase } from "./report.js";

export const BACKFILL_HELP = `Usage: mentorship backfill [--program ID] [--since DATE] [--installation ID]

Imports from GitHub every issue and pull request that an enrolled mentee authored, commented on,
reviewed or was assigned to since their program started, and every task issue of the projects'
repositories, with their timelines. The app does this by itself on install and when the roster
gains people or repositories; run it by hand to import history again or after an outage.

It resumes where an earlier run (or the app) stopped, and never imports an event twice.
Needs the app's credentials (APP_ID and PRIVATE_KEY or PRIVATE_KEY_PATH) and the app's database
(DATABASE_URL, or the embedded database under DATA_DIR: stop the app first when it is embedded).

Options:
  --program ID          only this program's people and repositories (default: every program)
  --since DATE          only threads updated on or after this day (YYYY-MM-DD) or instant
  --installation ID     when two installations use the same program id

Exit codes: 0 done, 1 failure (credentials, database, GitHub), 2 bad arguments.`;

class Usage extends Error {}

export async function backfillCommand(args: string[], io: CliIo): Promise<number> {
  let options: { program?: string; since?: string; installationId?: number };
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { program: { type: "string" }, since: { type: "string" }, installation: { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 0) throw new Usage(`unexpected argument "${positionals[0]}"`);
    const since = values.since === undefined ? undefined : parseDateBound(values.since);
    if (since === null) throw new Usage(`--since: "${terminalText(values.since ?? "")}" is not a date (use YYYY-MM-DD)`);
    if (values.installation !== undefined && !/^\d+$/.test(values.installation)) throw new Usage("--installation must be a number");
    options = {
      program: values.program,
      since: since ? boundStart(since) : undefined,
      installationId: values.installation === undefined ? undefined : Number(values.installation),
    };
  } catch (error) {
    io.stderr(`mentorship backfill: ${(error as Error).message}\n`);
    return 2;
  }

  const env = loadEnv(io.env);
  if (!env.credentials) {
    io.stderr("mentorship backfill: reads GitHub as the app: set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH), see .env.example\n");
    return 1;
  }
  const credentials = env.credentials;

  return withDatabase(io, "backfill", async (database) => {
    let installations: number[];
    if (options.program !== undefined) {
      const id = await findProgramInstallation(database.db, options.program, options.installationId);
      if (id === null) {
        io.stderr(`mentorship backfill: unknown program "${terminalText(options.program)}" (see mentorship programs)\n`);
        return 1;
      }
      installations = [id];
    } else {
      installations = (await installationsWithRoster(database.db)).filter((id) => options.installationId === undefined || id === options.installationId);
      if (installations.length === 0) {
        io.stderr("mentorship backfill: no installation has a roster yet (install the app and push .github/mentorship.yml)\n");
        return 1;
      }
    }

    const log = pino({ level: "warn" }, new Writable({ write: (chunk, _e, done) => (io.stderr(String(chunk)), done()) }));
    const probot = new Probot({ appId: credentials.appId, privateKey: credentials.privateKey, log, ...(env.githubBaseUrl ? { baseUrl: env.githubBaseUrl } : {}) });
    const deps: AppDeps = {
      db: database.db,
      log,
      probot,
      now: () => new Date(),
      dryRun: false,
      reportTokens: [],
      timing: { deriveDelaySeconds: 2, progressDelaySeconds: 60 },
    };

    for (const installationId of installations) {
      const account = (await findInstallation(database.db, installationId))?.account_login ?? String(installationId);
      const octokit = await installationOctokit(deps, installationId);
      const run = await Backfill.start(deps, octokit, installationId, { programId: options.program, since: options.since });
      if (!run) continue;
      const bar = progressBar(io, terminalText(account));
      const started = Date.now();
      for (;;) {
        const outcome = await run.step();
        const status = await run.status();
        bar.update(status, run.counters.points, started);
        if (outcome.kind === "done") break;
        if (outcome.kind === "rate-limited") {
          io.stderr(`\n${account}: GitHub's rate limit is spent; waiting until ${outcome.resumeAt.toISOString()}\n`);
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, outcome.resumeAt.getTime() - Date.now())));
        }
      }
      bar.finish();
      await rederiveInstallationJob(deps, { installationId });
      const status = await run.status();
      const c = run.counters;
      io.stdout(
        `${terminalText(account)}: ${status.searches.total} searches, ${status.threads.found} threads ` +
          `(${c.threadsFetched} read now), ${c.eventsStored} new events, ${c.requests} GitHub requests, ` +
          `${c.points} GraphQL points, ${Math.round((Date.now() - started) / 1000)} s\n`,
      );
    }
    return 0;
  });
}

/** On a terminal one line redrawn in place; otherwise a line at most every 5 seconds and at the end. */
function progressBar(io: CliIo, account: string) {
  const tty = io.isTTY === true;
  let lastPrinted = 0;
  let line = "";
  let firstFetchAt: { time: number; fetched: number } | null = null;
  return {
    update(status: BackfillStatus, points: number, started: number) {
      const { found, fetched } = status.threads;
      const searching = status.searches.done < status.searches.total;
      if (!searching && firstFetchAt === null) firstFetchAt = { time: Date.now(), fetched };
      const width = 24;
      const share = found === 0 ? (searching ? 0 : 1) : fetched / found;
      const filled = Math.round(share * width);
      const eta = searching || firstFetchAt === null ? "--" : etaOf(firstFetchAt, fetched, found);
      line =
        `${account} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${fetched}/${found} threads · ` +
        `${status.searches.done}/${status.searches.total} searches · ${points} points · ETA ${eta} · ${Math.round((Date.now() - started) / 1000)} s`;
      if (tty) io.stderr(`\r${line}\x1b[K`);
      else if (Date.now() - lastPrinted >= 5000) {
        io.stderr(`${line}\n`);
        lastPrinted = Date.now();
      }
    },
    finish() {
      io.stderr(tty ? "\n" : `${line}\n`);
    },
  };
}

function etaOf(start: { time: number; fetched: number }, fetched: number, found: number): string {
  const done = fetched - start.fetched;
  if (done <= 0) return "--";
  const seconds = Math.round(((Date.now() - start.time) / 1000 / done) * (found - fetched));
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s` : `${seconds}s`;
}
