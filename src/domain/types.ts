/**
 * Plain data shared by the pure domain functions (attribution, requests, statistics, rendering).
 * Nothing here knows about HTTP, Octokit or the database.
 */

/** An ISO-8601 instant, always UTC with a `Z` (e.g. `2026-06-16T09:30:00Z`). */
export type Instant = string;
/** A calendar date `YYYY-MM-DD`. */
export type CalendarDate = string;

export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

export interface BusinessHours {
  days: Weekday[];
  /** `HH:MM`, local to the program's timezone. */
  start: string;
  /** `HH:MM`, local to the program's timezone; after `start`. */
  end: string;
}

/** Who may answer a mentee's request. Never the mentee, never a bot. */
export type ResponderPolicy = "mentors" | "admins" | "anyone";

export interface Actor {
  /** Numeric GitHub user id: the identity. Logins change and differ in case. */
  id: number;
  login: string;
  isBot: boolean;
}

export type ThreadKind = "issue" | "pr";

/**
 * One normalised GitHub activity on a thread (an issue or a PR), as stored in the event log.
 * Webhooks and the GraphQL backfill both produce these, with the same `dedupeKey` for the same
 * GitHub object and action, so neither path can count an activity twice.
 */
export type EventKind =
  | "issue_opened"
  | "issue_edited"
  | "issue_closed"
  | "issue_reopened"
  | "issue_labeled"
  | "issue_unlabeled"
  | "issue_assigned"
  | "issue_unassigned"
  | "issue_milestoned"
  | "issue_demilestoned"
  | "issue_transferred"
  | "issue_deleted"
  | "comment_created"
  | "comment_edited"
  | "comment_deleted"
  | "pr_opened"
  | "pr_reopened"
  | "pr_edited"
  | "pr_ready_for_review"
  | "pr_converted_to_draft"
  | "pr_review_requested"
  | "pr_synchronize"
  | "pr_closed"
  | "pr_merged"
  | "pr_assigned"
  | "pr_labeled"
  | "review_submitted"
  | "review_dismissed"
  | "review_comment_created";

export type ReviewState = "approved" | "changes_requested" | "commented" | "dismissed";

export interface ThreadEvent {
  kind: EventKind;
  /** Stable identity of (GitHub object, action): e.g. `comment_created:IC_kwDO…` or `pr_synchronize:PR_…:<head sha>`. */
  dedupeKey: string;
  /** From the payload, never the delivery time: delivery order must not matter. */
  occurredAt: Instant;
  actor: Actor;
  /** `owner/name`, lower-case. */
  repo: string;
  number: number;
  threadKind: ThreadKind;
  /** Author of the issue or PR the event happened on. */
  threadAuthorId: number;
  /** GraphQL node id of the issue or PR, to read it again (reconciliation); absent on rows stored before it was kept. */
  threadNodeId?: string;
  /** Event-specific fields; only what later steps read. */
  data: EventData;
}

export interface EventData {
  /** pr_opened / pr_reopened / pr_synchronize: whether the PR is a draft at that moment. */
  draft?: boolean;
  /** review_submitted: the review's state. */
  reviewState?: ReviewState;
  /** issue_labeled / issue_unlabeled / pr_labeled. */
  label?: string;
  /** issue_assigned / issue_unassigned / pr_assigned. */
  /** `login` is gone from events older than the payload retention (src/db/retention.ts). */
  assignee?: { id: number; login?: string };
  /** issue_milestoned: GitHub milestone title. */
  milestoneTitle?: string;
  /** issue_closed: GitHub's state_reason (`completed`, `not_planned`, …). */
  stateReason?: string | null;
  /** Issue or PR title at the time of the event (untrusted text). */
  title?: string;
  /** PR events: issue numbers in the same repo that the PR body links with closing keywords. */
  linkedIssues?: number[];
  /** pr_review_requested: the requested reviewer. */
  requestedReviewer?: { id: number; login?: string };
  /** issue_transferred: the new `owner/name` and number. */
  transferredTo?: { repo: string; number: number };
  /** Labels on the issue at the time of the event (lets derivation see task-ness without ordering games). */
  labels?: string[];
  /** comment_created / review_comment_created: lower-cased logins the body @mentions (absent when none). */
  mentions?: string[];
  /** Comment or review HTML URL, for links in reports. */
  url?: string;
  /**
   * The comment's or review's REST numeric id (GraphQL `databaseId`). GitHub hands these out in creation
   * order, unlike node ids, so they order two events of one kind in the same second.
   */
  githubId?: number;
  /** review_comment_created: the numeric id of the review that carries the comment. */
  reviewId?: number;
}

/** How a request was opened (DESIGN.md, "Requests and responses"). */
export type RequestKind =
  | "ready_for_review" // 1. opened a non-draft PR, or marked a draft ready
  | "review_requested" // 2. requested a review on their PR
  | "push_after_changes" // 3. pushed after a "changes requested" review
  | "comment" // 4. commented on a task, their own thread, or the tracking issue
  | "issue_opened"; // 5. opened an issue in one of the project's repos

export type ResponseKind = "comment" | "review" | "review_comment" | "merge" | "close";

/** A mentee request on one thread, with its first response if any. */
export interface DerivedRequest {
  programId: string;
  projectId: string;
  menteeId: number;
  menteeLogin: string;
  repo: string;
  number: number;
  threadKind: ThreadKind;
  kind: RequestKind;
  openedAt: Instant;
  /** `dedupeKey` of the event that opened the request. */
  openedBy: string;
  /** The first response by anyone allowed to answer (the `responders` policy). */
  response: RequestResponse | null;
  /** The first response by one of the project's mentors: `response` itself unless someone else answered first. */
  firstMentorResponse: RequestResponse | null;
  /**
   * Set when M closed or merged the thread unanswered after the SLA had passed: the request stays, no
   * longer waiting, and nothing answers it any more. Absent otherwise.
   */
  closedUnansweredAt?: Instant;
}

export interface RequestResponse {
  at: Instant;
  kind: ResponseKind;
  responderId: number;
  responderLogin: string;
  /** Seconds from request to response: business seconds when the program sets business hours. */
  latencySeconds: number;
}

/** Statistics over a set of requests (the report JSON contract, see README). */
export interface LatencyStats {
  requests: number;
  answered: number;
  waiting: number;
  overdue: number;
  /** Closed by the mentee, unanswered, after the SLA had passed: neither answered nor waiting. */
  closedUnanswered: number;
  p50Seconds: number | null;
  p90Seconds: number | null;
  maxSeconds: number | null;
  /** answered within SLA ÷ (answered + waiting longer than the SLA + closed unanswered); null when that is 0. */
  withinSla: number | null;
}

export interface WaitingRequest {
  mentee: string;
  repo: string;
  number: number;
  url: string;
  kind: RequestKind;
  openedAt: Instant;
  ageSeconds: number;
  overdue: boolean;
}

export interface ResponseTimeReport {
  program: string;
  generatedAt: Instant;
  /** First instant counted (inclusive). */
  since: Instant | null;
  /** First instant no longer counted (exclusive): the day after `untilDate`, at the program's midnight. */
  until: Instant | null;
  /** The days the reader named (`since=2026-06-15`, `until=2026-07-01`), both included; null for an instant or no bound. */
  sinceDate: CalendarDate | null;
  untilDate: CalendarDate | null;
  /** `business`: every seconds figure counts working time only. */
  clock: "calendar" | "business";
  /** The program's working day under business hours (end − start), else null. */
  workingDaySeconds: number | null;
  slaSeconds: number;
  totals: LatencyStats;
  byProject: Array<{ id: string; title: string } & LatencyStats>;
  byMentor: Array<{ login: string; answeredFirst: number } & LatencyStats>;
  byMentee: Array<{ login: string } & LatencyStats>;
  waiting: WaitingRequest[];
}

export interface InsightSettings {
  /** Retention windows after a program ends, in seconds (default 90, 180 and 365 days). */
  retentionSeconds: number[];
  /** "Currently active" means a contribution within this long before now (default 90 days). */
  activeSeconds: number;
  /** Whether public outputs (markdown, the slash command) may list people by login. */
  publicLogins: boolean;
}
