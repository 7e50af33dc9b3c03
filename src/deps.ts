import type { Kysely } from "kysely";
import type { Logger } from "probot";
import type { Probot } from "probot";
import type { Database } from "./db/schema.js";

/** What handlers, routes and jobs share. Built once in main.ts (or a test), passed down explicitly. */
export interface AppDeps {
  db: Kysely<Database>;
  log: Logger;
  /** For installation-authenticated Octokit in jobs (`probot.auth(installationId)`). */
  probot: Probot;
  /** The clock every job reads; the demo replaces it to replay a program in seconds. */
  now: () => Date;
  /** Writes to GitHub become log lines with the full body. */
  dryRun: boolean;
  reportTokens: string[];
  /** GitHub's REST API root for calls made with a user's own token; default https://api.github.com. */
  githubBaseUrl?: string | undefined;
  timing: {
    /** Wait this long after the last event on a thread before re-deriving it (collapses bursts). */
    deriveDelaySeconds: number;
    /** At most one progress-comment refresh per project per this many seconds. */
    progressDelaySeconds: number;
  };
}
