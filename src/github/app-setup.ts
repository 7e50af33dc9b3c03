/**
 * How the app is registered on GitHub, read with the app's own JWT (`appOctokit`): what
 * `mentorship doctor` checks. Errors are not caught here; the doctor turns them into advice.
 */
import type { Octokit } from "./octokit.js";

export interface RegisteredApp {
  id: number;
  slug: string;
  name: string;
  htmlUrl: string;
  owner: { login: string; type: string };
  events: string[];
  permissions: Record<string, string>;
}

export interface WebhookConfig {
  url: string;
  contentType: string;
  /** GitHub never returns the secret, only whether one is set (as "********"). */
  secretSet: boolean;
  insecureSsl: boolean;
}

export interface AppInstallation {
  id: number;
  account: string;
  suspended: boolean;
}

export async function getRegisteredApp(octokit: Octokit): Promise<RegisteredApp> {
  const { data } = await octokit.request("GET /app");
  const app = data as unknown as {
    id: number;
    slug?: string;
    name: string;
    html_url: string;
    owner?: { login?: string; type?: string } | null;
    events?: string[];
    permissions?: Record<string, string>;
  };
  return {
    id: app.id,
    slug: app.slug ?? app.name,
    name: app.name,
    htmlUrl: app.html_url,
    owner: { login: app.owner?.login ?? "", type: app.owner?.type ?? "User" },
    events: app.events ?? [],
    permissions: app.permissions ?? {},
  };
}

export async function getWebhookConfig(octokit: Octokit): Promise<WebhookConfig> {
  const { data } = await octokit.request("GET /app/hook/config");
  return {
    url: data.url ?? "",
    contentType: data.content_type ?? "",
    secretSet: typeof data.secret === "string" && data.secret.length > 0,
    insecureSsl: String(data.insecure_ssl ?? "0") !== "0",
  };
}

export async function listInstallations(octokit: Octokit): Promise<AppInstallation[]> {
  const all = await octokit.paginate("GET /app/installations", { per_page: 100 });
  return all.map((i) => ({
    id: i.id,
    account: (i.account as { login?: string } | null)?.login ?? String(i.id),
    suspended: Boolean(i.suspended_at),
  }));
}
