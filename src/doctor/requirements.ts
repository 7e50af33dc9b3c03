/**
 * What the app needs GitHub to send and allow, as app.yml registers it. `mentorship doctor` checks
 * a registered app against these; a test keeps them equal to app.yml.
 */
export const REQUIRED_EVENTS = ["issues", "issue_comment", "pull_request", "pull_request_review", "pull_request_review_comment", "push"] as const;

export const REQUIRED_PERMISSIONS: Readonly<Record<string, "read" | "write">> = {
  issues: "write",
  pull_requests: "read",
  contents: "read",
  metadata: "read",
  members: "read",
  checks: "write",
};

