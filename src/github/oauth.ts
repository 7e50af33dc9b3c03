/**
 * GitHub's web sign-in for the app's own OAuth client (a GitHub App's user authorisation): the page
 * people are sent to, and the exchange of the code GitHub sends back for a user token. github.com and
 * GitHub Enterprise differ only in the host (`https://HOST/login/oauth/...`).
 */

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** `https://github.com` or `https://<GHE host>`. */
  githubWebUrl: string;
}

/** Where to send the browser. `login` suggests an account (GitHub's own parameter), as the demo does. */
export function authorizeUrl(client: OAuthClient, options: { state: string; redirectUri: string; login?: string | undefined }): string {
  const url = new URL("/login/oauth/authorize", client.githubWebUrl);
  url.searchParams.set("client_id", client.clientId);
  url.searchParams.set("redirect_uri", options.redirectUri);
  url.searchParams.set("state", options.state);
  url.searchParams.set("allow_signup", "false");
  if (options.login) url.searchParams.set("login", options.login);
  return url.toString();
}

/**
 * The user token for a code, or null when GitHub refuses the code (expired, used, not ours). The token
 * is only used once, to ask GitHub who signed in; it is never stored.
 */
export async function exchangeCode(client: OAuthClient, code: string, redirectUri: string): Promise<string | null> {
  const response = await fetch(new URL("/login/oauth/access_token", client.githubWebUrl), {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({ client_id: client.clientId, client_secret: client.clientSecret, code, redirect_uri: redirectUri }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`GitHub answered ${response.status} to the sign-in code exchange`);
  // GitHub answers 200 with {"error": "bad_verification_code"} for a code it does not accept.
  const body = (await response.json()) as { access_token?: unknown };
  return typeof body.access_token === "string" && body.access_token !== "" ? body.access_token : null;
}
