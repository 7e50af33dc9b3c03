import type { IncomingMessage, ServerResponse } from "node:http";
import { sql } from "kysely";
import type { AppDeps } from "../deps.js";

/** `GET /healthz`, unauthenticated: 200 while the database answers, 503 when it does not. */
export function healthRoute(deps: AppDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/healthz") return false;
    let ok = true;
    try {
      await withTimeout(sql`select 1`.execute(deps.db), 2000);
    } catch {
      ok = false;
    }
    res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: ok ? "ok" : "database unavailable" }));
    return true;
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timeout")), ms);
    }),
  ]);
}
