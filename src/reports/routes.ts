/**
 * The read-only report API, for operators and dashboards:
 *   GET /api/v1/programs                                   every program of every installation
 *   GET /api/v1/programs/:id/response-times?since=&until=&project=&mentor=&format=json|csv
 *   GET /api/v1/programs/:id/event?installation=          an open program's participants, PRs and maintainers
 *   GET /api/v1/insights?program=a,b&since=YYYY-MM-DD&until=YYYY-MM-DD&format=json|csv&installation=
 *       (`installation=` only when two installations use the same program id: 409 says so)
 * Every path under /api/v1 needs `Authorization: Bearer <token>` (REPORT_TOKENS), checked before
 * the path is even routed, so an unauthenticated caller cannot probe which programs exist.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppDeps } from "../deps.js";
import type { ResponseTimeReport } from "../domain/types.js";
import { parseDateBound } from "../commands/parse.js";
import { renderInsightsCsv } from "../render/insights-csv.js";
import { renderReportCsv } from "../render/report-csv.js";
import { chooseInstallation, insightsReport, unknownPrograms } from "./insights.js";
import { withLifecycle } from "./lifecycle-data.js";
import { NotOpenProgramError, openProgramReport } from "./open-program.js";
import { type ReportArguments, allPrograms, isEmptyWindow, toReportFilters } from "./query.js";
import { AmbiguousProgramError, UnknownFilterError, UnknownProgramError, findProgramInstallation, responseTimeReport } from "./response-times.js";

const PREFIX = "/api/v1";
const REPORT_PATH = /^\/api\/v1\/programs\/([^/]+)\/response-times$/;
const EVENT_PATH = /^\/api\/v1\/programs\/([^/]+)\/event$/;
const QUERY_KEYS = ["since", "until", "project", "mentor", "format", "installation"] as const;
const FORMATS = ["json", "csv"] as const;

export function reportRoutes(deps: AppDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname.replace(/\/+$/, "");
    if (path !== PREFIX && !path.startsWith(`${PREFIX}/`)) return false;

    const auth = authenticate(req.headers.authorization, deps.reportTokens);
    if (auth !== "ok") {
      const challenge = auth === "missing" ? 'Bearer realm="mentorship-tracker"' : 'Bearer realm="mentorship-tracker", error="invalid_token"';
      send(res, 401, { error: auth === "missing" ? "authentication required: send Authorization: Bearer <token>" : "invalid token" }, { "www-authenticate": challenge });
      return true;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(res, 405, { error: `method ${req.method} not allowed` }, { allow: "GET, HEAD" });
      return true;
    }

    try {
      if (path === `${PREFIX}/programs`) {
        const extra = [...url.searchParams.keys()][0];
        if (extra !== undefined) return badRequest(res, extra, `unknown query parameter "${extra}"`);
        send(res, 200, { programs: await allPrograms(deps.db) });
        return true;
      }
      if (path === `${PREFIX}/insights`) {
        await insights(deps, res, url.searchParams);
        return true;
      }
      const match = REPORT_PATH.exec(path);
      if (match) {
        const programId = decodeSegment(match[1]!);
        if (programId === null) return badRequest(res, "program", `malformed path segment "${match[1]!.slice(0, 100)}"`);
        await responseTimes(deps, res, programId, url.searchParams);
        return true;
      }
      const event = EVENT_PATH.exec(path);
      if (event) {
        const programId = decodeSegment(event[1]!);
        if (programId === null) return badRequest(res, "program", `malformed path segment "${event[1]!.slice(0, 100)}"`);
        await openProgram(deps, res, programId, url.searchParams);
        return true;
      }
      send(res, 404, { error: "not found" });
      return true;
    } catch (error) {
      deps.log.error({ err: error, path }, "report API request failed");
      if (!res.headersSent) send(res, 500, { error: "internal error" });
      return true;
    }
  };
}

async function responseTimes(deps: AppDeps, res: ServerResponse, programId: string, query: URLSearchParams): Promise<void> {
  const parsed = parseQuery(query);
  if ("parameter" in parsed) {
    badRequest(res, parsed.parameter, parsed.error);
    return;
  }
  let installationId: number | null = null;
  try {
    installationId = await findProgramInstallation(deps.db, programId, parsed.installationId);
  } catch (error) {
    if (!(error instanceof AmbiguousProgramError)) throw error;
    send(res, 409, {
      error: `program "${programId}" exists in several installations: add installation=<id>`,
      installations: error.installationIds,
    });
    return;
  }
  if (installationId === null) {
    send(res, 404, { error: `unknown program "${programId}"` });
    return;
  }
  let report: ResponseTimeReport;
  try {
    report = await responseTimeReport(deps.db, installationId, programId, toReportFilters(parsed.args), deps.now());
  } catch (error) {
    if (error instanceof UnknownProgramError) {
      send(res, 404, { error: `unknown program "${programId}"` });
      return;
    }
    if (error instanceof UnknownFilterError) {
      send(res, 404, { error: error.message, parameter: error.parameter });
      return;
    }
    throw error;
  }
  if (parsed.format === "csv") {
    res.writeHead(200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${programId.replace(/[^A-Za-z0-9._-]/g, "_")}-response-times.csv"`,
      "cache-control": "no-store",
    });
    res.end(renderReportCsv(report));
    return;
  }
  const filters = toReportFilters(parsed.args);
  send(res, 200, await withLifecycle(deps.db, installationId, programId, report, filters, deps.now()));
}

/** The admin's view of an open program: every participant by login, spam flags included. */
async function openProgram(deps: AppDeps, res: ServerResponse, programId: string, query: URLSearchParams): Promise<void> {
  const extra = [...query.keys()].find((key) => key !== "installation");
  if (extra !== undefined) return void badRequest(res, extra, `unknown query parameter "${extra}"`);
  const installation = query.get("installation") || null;
  if (installation !== null && !/^\d{1,15}$/.test(installation)) return void badRequest(res, "installation", `"installation" must be a numeric installation id`);
  let installationId: number | null;
  try {
    installationId = await findProgramInstallation(deps.db, programId, installation === null ? null : Number(installation));
  } catch (error) {
    if (!(error instanceof AmbiguousProgramError)) throw error;
    return void send(res, 409, { error: `program "${programId}" exists in several installations: add installation=<id>`, installations: error.installationIds });
  }
  try {
    const report = installationId === null ? null : await openProgramReport(deps.db, installationId, programId, deps.now());
    if (report === null) return void send(res, 404, { error: `unknown program "${programId}"` });
    send(res, 200, report);
  } catch (error) {
    if (!(error instanceof NotOpenProgramError)) throw error;
    send(res, 404, { error: error.message });
  }
}

const INSIGHTS_KEYS = ["program", "since", "until", "format", "installation"] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Program insights of one installation; `since`/`until` select programs by their start date. */
async function insights(deps: AppDeps, res: ServerResponse, query: URLSearchParams): Promise<void> {
  const values = new Map<string, string>();
  for (const [key, value] of query) {
    if (!(INSIGHTS_KEYS as readonly string[]).includes(key)) return void badRequest(res, key, `unknown query parameter "${key}"`);
    if (values.has(key)) return void badRequest(res, key, `"${key}" given more than once`);
    if (value !== "") values.set(key, value);
  }
  for (const key of ["since", "until"] as const) {
    const day = values.get(key);
    if (day !== undefined && (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))) {
      return void badRequest(res, key, `"${key}" must be a date (YYYY-MM-DD)`);
    }
  }
  const format = values.get("format") ?? "json";
  if (!(FORMATS as readonly string[]).includes(format)) return void badRequest(res, "format", `"format" must be one of ${FORMATS.join(", ")}`);
  const installation = values.get("installation") ?? null;
  if (installation !== null && !/^\d{1,15}$/.test(installation)) return void badRequest(res, "installation", `"installation" must be a numeric installation id`);

  const programIds = values.get("program")?.split(",").map((id) => id.trim()).filter(Boolean) ?? null;
  const scope = { programIds, since: values.get("since") ?? null, until: values.get("until") ?? null };
  const choice = await chooseInstallation(deps.db, programIds, installation === null ? null : Number(installation));
  if ("error" in choice) return void send(res, choice.status, { error: choice.error, ...(choice.installations ? { installations: choice.installations } : {}) });
  const unknown = await unknownPrograms(deps.db, choice.installationId, scope);
  if (unknown.length > 0) return void send(res, 404, { error: `unknown program "${unknown[0]}"` });

  const report = await insightsReport(deps.db, choice.installationId, scope, deps.now());
  if (format === "csv") {
    res.writeHead(200, { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="insights.csv"', "cache-control": "no-store" });
    res.end(renderInsightsCsv(report));
    return;
  }
  send(res, 200, report);
}

type ParsedQuery =
  | { args: ReportArguments; format: (typeof FORMATS)[number]; installationId: number | null }
  | { parameter: string; error: string };

function parseQuery(query: URLSearchParams): ParsedQuery {
  const values = new Map<string, string>();
  for (const [key, value] of query) {
    if (!(QUERY_KEYS as readonly string[]).includes(key)) return { parameter: key, error: `unknown query parameter "${key}"` };
    if (values.has(key)) return { parameter: key, error: `"${key}" given more than once` };
    values.set(key, value);
  }
  // An empty value (`since=`), as a form leaves it, means "not set".
  const get = (key: string) => values.get(key) || null;

  const args: ReportArguments = { since: null, until: null, project: get("project"), mentor: get("mentor") };
  for (const key of ["since", "until"] as const) {
    const text = get(key);
    if (text === null) continue;
    const bound = parseDateBound(text);
    if (!bound) return { parameter: key, error: `"${key}" must be a date (YYYY-MM-DD) or an ISO-8601 instant with a time zone` };
    args[key] = bound;
  }
  if (isEmptyWindow(args)) return { parameter: "until", error: `"until" must be after "since"` };

  const format = get("format") ?? "json";
  if (!(FORMATS as readonly string[]).includes(format)) return { parameter: "format", error: `"format" must be one of ${FORMATS.join(", ")}` };
  const installation = get("installation");
  if (installation !== null && !/^\d{1,15}$/.test(installation)) return { parameter: "installation", error: `"installation" must be a numeric installation id` };
  return { args, format: format as (typeof FORMATS)[number], installationId: installation === null ? null : Number(installation) };
}

export function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * Compares sha256 digests, not the tokens: equal-length inputs are what timingSafeEqual needs,
 * and the digest hides the configured tokens' lengths. Every token is compared, match or not.
 */
function authenticate(header: string | undefined, tokens: string[]): "ok" | "missing" | "invalid" {
  const token = bearerToken(header);
  if (token === null) return "missing";
  return isOneOf(token, tokens) ? "ok" : "invalid";
}

export function bearerToken(header: string | undefined): string | null {
  return /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? "")?.[1] ?? null;
}

export function isOneOf(token: string, tokens: string[]): boolean {
  const given = digest(token);
  let ok = false;
  for (const token of tokens) ok = timingSafeEqual(given, digest(token)) || ok;
  return ok;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

export function badRequest(res: ServerResponse, parameter: string, error: string): true {
  send(res, 400, { error, parameter });
  return true;
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
}
