import { ProbotOctokit } from "probot";
import type { AppDeps } from "../deps.js";

export type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * The installation's Octokit (Probot's: throttled, retrying). Under DRY_RUN every write becomes
 * an info log line carrying the full request body, so an org can preview what the app would post.
 */
export async function installationOctokit(deps: AppDeps, installationId: number): Promise<Octokit> {
  const octokit = (await deps.probot.auth(installationId)) as Octokit;
  if (!deps.dryRun) return octokit;
  const log = deps.log.child({ installation: installationId, dryRun: true });
  octokit.hook.wrap("request", async (request, options) => {
    if (isRead(options.method, options.url, options)) return request(options);
    log.info({ method: options.method, url: options.url, body: bodyOf(options) }, "dry run: write not sent");
    return { status: 200, url: options.url, headers: {}, data: { id: 0, number: 0, html_url: "" } } as never;
  });
  return octokit;
}

function isRead(method: string, url: string, options: Record<string, unknown>): boolean {
  if (method === "GET" || method === "HEAD") return true;
  // GraphQL queries are reads; only mutations write.
  if (method === "POST" && url.endsWith("/graphql")) return !/^\s*mutation\b/.test(String(options.query ?? ""));
  return false;
}

function bodyOf(options: Record<string, unknown>): Record<string, unknown> {
  const { method: _m, url: _u, headers: _h, request: _r, baseUrl: _b, mediaType: _t, ...rest } = options;
  return rest;
}

/**
 * ProbotOctokit with GitHub's write pacing switched off, for the demo's stand-in API and for tests.
 * `defaults({ throttle: { enabled: false } })` would not do: Probot replaces the throttle options
 * object wholesale, so `enabled` has to be forced after Probot's defaults are applied.
 */
export const UnthrottledOctokit = ProbotOctokit.defaults((options: Record<string, any>) => ({
  ...options,
  throttle: { ...options.throttle, enabled: false },
}));

/**
 * For a GitHub API answering from this machine (the demo's stand-in, tests): no pacing and no retries.
 * The retry plugin runs every request through its own Bottleneck, which yields twice with
 * setTimeout(0), 2 ms or more a request; the stand-in answers in a fraction of that and never fails
 * transiently, and those waits were 3 s of the demo's 30.
 */
export const LocalOctokit = UnthrottledOctokit.defaults({ retry: { enabled: false } });
