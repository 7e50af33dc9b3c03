/**
 * GitHub's app delivery log (`GET /app/hook/deliveries`) and redelivery endpoint, mocked with nock in
 * the shape GitHub answers: newest first, 100 per page, the next page behind a `cursor` in the Link
 * header, every request authenticated with the app's JWT rather than an installation token.
 */
import { expect } from "@jest/globals";
import nock from "nock";
import { INSTALLATION_ID } from "./scenario.js";

export const GITHUB_API = "https://api.github.com";
/** The app's own JWT (three base64url parts), never an installation token. */
const APP_JWT = /^bearer [\w-]+\.[\w-]+\.[\w-]+$/i;

export interface LoggedAttempt {
  id: number;
  guid: string;
  at: Date | string;
  event?: string;
  action?: string | null;
  /** 200 unless told; 0 for a timeout. */
  statusCode?: number;
  redelivery?: boolean;
}

/** One item of the log as GitHub returns it. */
export function ghDelivery(a: LoggedAttempt): Record<string, unknown> {
  const statusCode = a.statusCode ?? 200;
  const status =
    statusCode >= 200 && statusCode < 300 ? "OK" : statusCode === 0 ? "timed out" : statusCode === 502 ? "failed to connect" : `Invalid HTTP Response: ${statusCode}`;
  return {
    id: a.id,
    guid: a.guid,
    delivered_at: new Date(a.at).toISOString().replace(/\.\d{3}Z$/, "Z"),
    redelivery: a.redelivery ?? false,
    duplicate: false,
    duration: statusCode === 0 ? 10 : 0.27,
    status,
    status_code: statusCode,
    event: a.event ?? "issues",
    action: a.action === undefined ? "opened" : a.action,
    installation_id: INSTALLATION_ID,
    repository_id: 1296269,
    throttled_at: null,
  };
}

/**
 * Mocks the log as these pages, each newest first. `nextAfterLast` adds a Link to a page that is not
 * mocked: reading it fails the test, which proves the job stopped paging in time.
 */
export function mockDeliveryLog(pages: LoggedAttempt[][], options: { times?: number; nextAfterLast?: boolean } = {}): nock.Scope {
  const scope = nock(GITHUB_API);
  pages.forEach((page, i) => {
    const hasNext = i < pages.length - 1 || options.nextAfterLast === true;
    const headers: Record<string, string> = hasNext ? { link: `<${GITHUB_API}/app/hook/deliveries?per_page=100&cursor=v1_${1000 + i + 1}>; rel="next"` } : {};
    scope
      .get("/app/hook/deliveries")
      .query(i === 0 ? { per_page: "100" } : { per_page: "100", cursor: `v1_${1000 + i}` })
      .matchHeader("authorization", APP_JWT)
      .times(options.times ?? 1)
      .reply(200, page.map(ghDelivery), headers);
  });
  return scope;
}

/** `POST /app/hook/deliveries/{id}/attempts`, answered 202 (or `status` with GitHub's error body). */
export function mockRedelivery(deliveryId: number, status = 202): nock.Scope {
  const body =
    status === 202
      ? {}
      : status === 422
        ? { message: "Validation Failed", documentation_url: "https://docs.github.com/rest/apps/webhooks#redeliver-a-delivery-for-an-app-webhook", status: "422" }
        : { message: "Server Error" };
  return nock(GITHUB_API).post(`/app/hook/deliveries/${deliveryId}/attempts`).matchHeader("authorization", APP_JWT).reply(status, body);
}

/** After each test: every mocked GitHub call was made (and none is left for the next test). */
export function expectGitHubMocksUsed(): void {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
}
