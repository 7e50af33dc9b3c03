/**
 * The program lifecycle API (evaluations, check-ins), for people rather than dashboards:
 *   POST /api/v1/programs/:id/evaluations   record a form (JSON body, see `submissionSchema`)
 *   GET  /api/v1/programs/:id/evaluations   the forms and records the caller may read
 *   POST /api/v1/programs/:id/check-ins     a mentor records a check-in with their mentee
 * The caller authenticates with their own GitHub token (`Authorization: Bearer <token>`), which GitHub
 * resolves to their numeric id; REPORT_TOKENS are read-only and refused here. Registered before the
 * report routes, which would otherwise answer every /api/v1 path.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { AppDeps } from "../deps.js";
import { userOfToken } from "../github/user.js";
import { submitCheckIn } from "./check-ins.js";
import { type Outcome, submitEvaluation, visibleEvaluations } from "./evaluations.js";
import { bearerToken, decodeSegment, isOneOf, send } from "./routes.js";

const PEOPLE_PATH = /^\/api\/v1\/programs\/([^/]+)\/(evaluations|check-ins)$/;
const MAX_BODY_BYTES = 16 * 1024;

const submissionSchema = z
  .object({
    mentee: z.string().min(1),
    round: z.string().min(1),
    project: z.string().min(1).optional(),
    outcome: z.enum(["pass", "fail", "extend"]).optional(),
    extendTo: z.iso.date().optional(),
    rating: z.number().int().min(1).max(5).optional(),
    note: z.string().optional(),
  })
  .strict();

const checkInSchema = z.object({ mentee: z.string().min(1), note: z.string().optional() }).strict();

export function lifecycleRoutes(deps: AppDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const match = PEOPLE_PATH.exec(url.pathname.replace(/\/+$/, ""));
    if (!match) return false;
    const resource = match[2] as "evaluations" | "check-ins";
    const log = deps.log.child({ route: resource, method: req.method });
    try {
      await handle(deps, req, res, resource, decodeSegment(match[1]!), url.searchParams);
    } catch (error) {
      log.error({ err: error }, "evaluation API request failed");
      if (!res.headersSent) send(res, 500, { error: "internal error" });
    }
    return true;
  };
}

async function handle(
  deps: AppDeps,
  req: IncomingMessage,
  res: ServerResponse,
  resource: "evaluations" | "check-ins",
  programId: string | null,
  query: URLSearchParams,
): Promise<void> {
  const allowed = resource === "evaluations" ? ["GET", "POST"] : ["POST"];
  if (!allowed.includes(req.method ?? "")) {
    send(res, 405, { error: `method ${req.method} not allowed` }, { allow: allowed.join(", ") });
    return;
  }
  const token = bearerToken(req.headers.authorization);
  if (token === null) {
    send(res, 401, { error: "authentication required: send Authorization: Bearer <your GitHub token>" }, { "www-authenticate": 'Bearer realm="mentorship-tracker"' });
    return;
  }
  if (isOneOf(token, deps.reportTokens)) {
    send(res, 403, { error: "report tokens are read-only: record and read evaluations with your own GitHub token" });
    return;
  }
  const caller = await userOfToken(token, deps.githubBaseUrl);
  if (caller === null) {
    send(res, 401, { error: "GitHub did not accept this token" }, { "www-authenticate": 'Bearer realm="mentorship-tracker", error="invalid_token"' });
    return;
  }
  const installation = query.get("installation");
  if (installation !== null && !/^\d{1,15}$/.test(installation)) {
    send(res, 400, { error: `"installation" must be a numeric installation id`, parameter: "installation" });
    return;
  }
  const installationId = installation === null ? null : Number(installation);
  if (programId === null) {
    send(res, 403, { error: "not allowed" });
    return;
  }
  if (req.method === "GET") {
    reply(res, await visibleEvaluations(deps, programId, caller, installationId));
    return;
  }
  const body = await readJson(req);
  if (body === undefined) {
    send(res, 400, { error: `the body must be a JSON object of at most ${MAX_BODY_BYTES} bytes` });
    return;
  }
  if (resource === "check-ins") {
    const parsed = checkInSchema.safeParse(body);
    if (!parsed.success) return invalid(res, parsed.error);
    reply(res, await submitCheckIn(deps, programId, caller, { ...parsed.data, installationId }));
    return;
  }
  const parsed = submissionSchema.safeParse(body);
  if (!parsed.success) return invalid(res, parsed.error);
  reply(res, await submitEvaluation(deps, programId, caller, { ...parsed.data, installationId }));
}

function invalid(res: ServerResponse, error: z.ZodError): void {
  const issue = error.issues[0]!;
  send(res, 400, { error: issue.message, parameter: issue.path.join(".") || (issue.code === "unrecognized_keys" ? issue.keys.join(", ") : "") });
}

function reply<T>(res: ServerResponse, outcome: Outcome<T>): void {
  if ("body" in outcome) send(res, outcome.status, outcome.body);
  else if (outcome.status === 409) send(res, 409, { error: outcome.error, installations: outcome.installations });
  else send(res, outcome.status, { error: outcome.error });
}

/** The parsed body, or undefined when it is too large or not JSON. Never logged: it may hold a private note. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return undefined;
  }
}
