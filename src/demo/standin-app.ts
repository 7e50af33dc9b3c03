/**
 * The stand-in's answers about the app itself (`GET /app`, its webhook, its deliveries and
 * installations), as `mentorship doctor` reads them. Defaults describe an app set up right.
 */
import { REQUIRED_EVENTS, REQUIRED_PERMISSIONS } from "../doctor/requirements.js";

export interface StandinAppSettings {
  events?: string[];
  permissions?: Record<string, string>;
  hook?: { url?: string; content_type?: string; secret?: string | null; insecure_ssl?: string };
  /** `GET /app/hook/deliveries` items, newest first. */
  deliveries?: Array<{ guid: string; delivered_at: string; status_code: number; status?: string; event?: string }>;
  installations?: Array<{ id: number; account: string; suspended?: boolean }>;
  /** Repositories that exist (`owner/repo`), for `GET /repos/{owner}/{repo}`. */
  repos?: string[];
}

export type StandinRoute = [string, RegExp, (m: RegExpMatchArray, body: any, url: URL) => [number, unknown]];

export function appRoutes(slug: string, settings: StandinAppSettings = {}): StandinRoute[] {
  const deliveries = (settings.deliveries ?? []).map((d, i) => ({
    id: i + 1,
    guid: d.guid,
    delivered_at: d.delivered_at,
    redelivery: false,
    duration: 0.1,
    status: d.status ?? (d.status_code >= 200 && d.status_code < 300 ? "OK" : "Invalid HTTP Response"),
    status_code: d.status_code,
    event: d.event ?? "issues",
    action: null,
    installation_id: settings.installations?.[0]?.id ?? null,
    repository_id: null,
  }));
  return [
    [
      "GET",
      /^\/api\/v3\/app$/,
      () => [
        200,
        {
          id: 1,
          slug,
          name: slug,
          html_url: `https://github.com/apps/${slug}`,
          owner: { login: "demo-org", type: "Organization" },
          events: settings.events ?? [...REQUIRED_EVENTS],
          permissions: settings.permissions ?? { ...REQUIRED_PERMISSIONS },
        },
      ],
    ],
    [
      "GET",
      /^\/api\/v3\/app\/hook\/config$/,
      () => [200, { url: "https://tracker.acme.dev/api/github/webhooks", content_type: "json", secret: "********", insecure_ssl: "0", ...settings.hook }],
    ],
    ["GET", /^\/api\/v3\/app\/hook\/deliveries$/, () => [200, deliveries]],
    [
      "GET",
      /^\/api\/v3\/app\/installations$/,
      () => [
        200,
        (settings.installations ?? []).map((i) => ({
          id: i.id,
          account: { login: i.account, type: "Organization" },
          suspended_at: i.suspended ? "2026-01-01T00:00:00Z" : null,
        })),
      ],
    ],
    [
      "GET",
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)$/,
      (m) => ((settings.repos ?? []).some((r) => r.toLowerCase() === `${m[1]}/${m[2]}`.toLowerCase()) ? [200, { full_name: `${m[1]}/${m[2]}` }] : [404, { message: "Not Found" }]),
    ],
  ];
}
