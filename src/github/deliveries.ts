/**
 * The app's webhook delivery log and redelivery. Both endpoints need the app's own JWT, not an
 * installation token: `appOctokit` gives that Octokit (Probot signs the JWT locally, no request).
 *
 * Errors are not caught here: the job decides what a 4xx, a rate limit or a 5xx means.
 */
import type { AppDeps } from "../deps.js";
import { type DeliveryAttempt, reachesBack, type ScanWindow } from "../domain/redelivery.js";
import type { Octokit } from "./octokit.js";

/** App-authenticated (JWT) Octokit, as `probot.auth()` without an installation id gives it. */
export async function appOctokit(deps: AppDeps): Promise<Octokit> {
  return (await deps.probot.auth()) as Octokit;
}

/** One item of `GET /app/hook/deliveries`, as GitHub sends it (the fields the app reads). */
interface RawDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  status: string;
  status_code: number;
  event: string;
  action: string | null;
  installation_id: number | null;
}

function toAttempt(raw: RawDelivery): DeliveryAttempt {
  return {
    id: Number(raw.id),
    guid: raw.guid,
    deliveredAt: raw.delivered_at,
    redelivery: raw.redelivery === true,
    status: String(raw.status ?? ""),
    statusCode: Number(raw.status_code ?? 0),
    event: raw.event,
    action: raw.action ?? null,
    installationId: raw.installation_id === null || raw.installation_id === undefined ? null : Number(raw.installation_id),
  };
}

export interface DeliveryLog {
  attempts: DeliveryAttempt[];
  pages: number;
  /** False when `maxPages` ran out before the log reached back to the window's start. */
  complete: boolean;
}

/**
 * GitHub's delivery log, newest first, page after page (100 per page, following the `cursor` in the
 * Link header) until a page reaches back to the window's start or the log ends.
 */
export async function readDeliveryLog(octokit: Octokit, window: ScanWindow, maxPages = 500): Promise<DeliveryLog> {
  const attempts: DeliveryAttempt[] = [];
  let pages = 0;
  const iterator = octokit.paginate.iterator("GET /app/hook/deliveries", { per_page: 100 });
  for await (const page of iterator) {
    pages++;
    const items = (page.data as unknown as RawDelivery[]).map(toAttempt);
    attempts.push(...items);
    const oldest = items[items.length - 1];
    if (oldest === undefined || reachesBack(oldest.deliveredAt, window)) return { attempts, pages, complete: true };
    if (pages >= maxPages) return { attempts, pages, complete: false };
  }
  return { attempts, pages, complete: true };
}

/** Asks GitHub to send one delivery again (202 Accepted; the attempt itself follows shortly). */
export async function requestRedelivery(octokit: Octokit, deliveryId: number): Promise<void> {
  await octokit.request("POST /app/hook/deliveries/{delivery_id}/attempts", { delivery_id: deliveryId });
}
