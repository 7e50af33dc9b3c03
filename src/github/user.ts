import { Octokit } from "@octokit/rest";
import type { Person } from "../domain/program.js";

/**
 * Who a GitHub user token belongs to (`GET /user`), or null when GitHub refuses the token. The token
 * is the caller's own: it is sent to GitHub only, never stored or logged.
 */
export async function userOfToken(token: string, baseUrl = "https://api.github.com"): Promise<Person | null> {
  const octokit = new Octokit({ auth: token, baseUrl, log: { debug() {}, info() {}, warn() {}, error() {} } });
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return { id: data.id, login: data.login };
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 401 || status === 403) return null;
    throw error;
  }
}
