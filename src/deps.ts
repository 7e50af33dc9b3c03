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
  /** The web dashboard's sign-in settings; absent when the app has no OAuth credentials (no dashboard). */
  dashboard?: DashboardSettings | undefined;
  timing: {
    /** Wait this long after the last event on a thread before re-deriving it (collapses bursts). */
    deriveDelaySeconds: number;
    /** At most one progress-comment refresh per project per this many seconds. */
    progressDelaySeconds: number;
  };
}

export interface DashboardSettings {
  /** The GitHub App's OAuth client (GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET). */
  clientId: string;
  clientSecret: string;
  /** Signs session cookies and CSRF tokens: every process behind one address needs the same. */
  sessionKey: Buffer;
  /** Where people reach the dashboard (DASHBOARD_URL); unset: the address the browser used. */
  publicUrl?: string | undefined;
  /** Where people sign in: https://github.com, or the GHE host. */
  githubWebUrl: string;
}
