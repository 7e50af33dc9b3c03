/**
 * Mentee requests and their first responses on one thread, recomputed from the thread's whole event
 * log (DESIGN.md, "Requests and responses"). Pure and order-independent: the result depends only on the
 * set of events, never on the order they arrived in.
 *
 * Decisions where the design leaves room (also in the README):
 * - Enrolment: among M's enrolments whose window contains the event, in this order: for a comment that
 *   @mentions a mentor of M's, that mentor's project (M asked them); the first (by programId, projectId)
 *   whose projectRepos hold this repo; the one whose tracking issue this is; the project this thread is a
 *   task of (`ctx.task`); a project without repositories, on a thread M opened; else none. So rules 1–3
 *   on M's own PR need the repo in the project's repos (or a project without repos; a PR is never a
 *   task): an unrelated PR elsewhere in the org must not put a project's mentors over their SLA,
 *   and a roster that misses a repo is fixed by listing it. A comment on another project's task is that
 *   project's business, never charged to M's own project.
 * - Rules 1–3 need M to be the thread's author ("their PR"); a review request by M on someone else's PR is
 *   not a request.
 * - A request's responders and clock come from the enrolment that opened it; a response counts whenever
 *   it arrives, also after the program's window, or requests near the end would wait forever.
 * - Closing or merging by M before the SLA has passed withdraws M's waiting request on that thread (it is
 *   dropped from the output): a mentee who opens an issue and closes it minutes later because they found
 *   the answer must not leave their mentors with an overdue request. After the SLA the request stays,
 *   "closed unanswered" (`closedUnansweredAt`), and nothing answers it any more: giving up after days of
 *   silence is exactly what the SLA is there to show. A close by anyone else who is not a responder
 *   changes nothing.
 * - People on the roster's `ignore:` list never answer (they cannot be enrolled, so they never open).
 * - `pr_converted_to_draft` does not withdraw a waiting request: the mentee still asked, and an answer
 *   is still owed. It only stops later pushes from opening push requests until the PR is ready again.
 * - Rule 3: the first push by M after a responder's "changes requested" review uses that review up, even
 *   when it opens nothing (a request was already open, or the PR was a draft), so an old review cannot
 *   turn some later push into a request.
 * - A review request counts on a draft PR too: M explicitly asked for a review.
 * - Events sharing a dedupeKey (webhook and backfill copies) count once: the first in sort order.
 * - Deleted comments are gone and inline review comments are dated at their review (`visibleEvents`).
 *   M's own review (its inline comments) is a comment under rule 4.
 * - `firstMentorResponse` is the first response by a mentor of the project, which under
 *   `responders: admins|anyone` may come after the first response; per-mentor figures use it.
 */
import { elapsedSeconds, instantMs, type Clock } from "./business-time.js";
import { visibleEvents } from "./visible-events.js";
import type {
  Actor,
  DerivedRequest,
  EventKind,
  Instant,
  RequestKind,
  RequestResponse,
  ResponderPolicy,
  ResponseKind,
  ThreadEvent,
  ThreadKind,
} from "./types.js";

export interface MenteeEnrolment {
  programId: string;
  projectId: string;
  menteeId: number;
  menteeLogin: string;
  /** Lower-case `owner/name`. */
  projectRepos: string[];
  trackingIssue: { repo: string; number: number } | null;
  /** Program dates as instants; `to` is exclusive. */
  window: { from: Instant; to: Instant };
  /** This project's mentors. */
  mentorIds: number[];
  /** The same mentors' logins, lower-case: what an @mention in a comment names. */
  mentorLogins: string[];
  /** Roster admins. */
  adminIds: number[];
  /** The roster's `ignore:` list: machine users that are not `[bot]` accounts. */
  ignoredIds: number[];
  responders: ResponderPolicy;
  /** `sla.firstResponse`: M closing the thread withdraws the request only before it has passed. */
  slaSeconds: number;
  clock: Clock;
}

export interface ThreadContext {
  repo: string;
  number: number;
  threadKind: ThreadKind;
  /** The project this issue is a mentorship task of (labelled by a mentor), or null; a PR never is one (deriveTask). */
  task: { programId: string; projectId: string } | null;
  /** Enrolments of every mentee who may be active on this thread; others' activity is never a request. */
  enrolments: MenteeEnrolment[];
}

// Tie-break for events at the same instant: what starts a thread before what happens on it, a review
// before its own comments (so the response kind is "review"), and a merge before the close it implies.
const KIND_ORDER: readonly EventKind[] = [
  "issue_opened",
  "pr_opened",
  "issue_reopened",
  "pr_reopened",
  "issue_transferred",
  "issue_edited",
  "pr_edited",
  "issue_labeled",
  "issue_unlabeled",
  "pr_labeled",
  "issue_assigned",
  "issue_unassigned",
  "pr_assigned",
  "issue_milestoned",
  "issue_demilestoned",
  "pr_converted_to_draft",
  "pr_ready_for_review",
  "pr_review_requested",
  "pr_synchronize",
  "comment_created",
  "comment_edited",
  "comment_deleted",
  "review_submitted",
  "review_comment_created",
  "review_dismissed",
  "pr_merged",
  "pr_closed",
  "issue_closed",
  "issue_deleted",
];
const KIND_RANK = new Map<EventKind, number>(KIND_ORDER.map((k, i) => [k, i]));

function rank(kind: EventKind): number {
  return KIND_RANK.get(kind) ?? KIND_ORDER.length;
}

function cmp<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The one total order of events: occurredAt, then kind (see KIND_ORDER), then GitHub's numeric id
 * (creation order within a second; events without one after those with one), then dedupeKey, then content.
 */
export function compareEvents(a: ThreadEvent, b: ThreadEvent): number {
  return (
    instantMs(a.occurredAt) - instantMs(b.occurredAt) ||
    rank(a.kind) - rank(b.kind) ||
    byGithubId(a, b) ||
    cmp(a.dedupeKey, b.dedupeKey) ||
    a.actor.id - b.actor.id ||
    // Only exact-duplicate keys reach here; comparing content keeps even those order-independent.
    cmp(JSON.stringify(a), JSON.stringify(b))
  );
}

function byGithubId(a: ThreadEvent, b: ThreadEvent): number {
  const x = a.data.githubId;
  const y = b.data.githubId;
  if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
  return x - y;
}

export function sortEvents(events: ThreadEvent[]): ThreadEvent[] {
  // Parse each timestamp once rather than in every comparison; same order as compareEvents.
  return events
    .map((e) => ({ e, ms: instantMs(e.occurredAt) }))
    .sort((a, b) => a.ms - b.ms || compareEvents(a.e, b.e))
    .map((x) => x.e);
}

const RESPONSE_KINDS: ReadonlyMap<EventKind, ResponseKind> = new Map<EventKind, ResponseKind>([
  ["comment_created", "comment"],
  ["review_submitted", "review"],
  ["review_comment_created", "review_comment"],
  ["pr_merged", "merge"],
  ["pr_closed", "close"],
  ["issue_closed", "close"],
]);

const CLOSING_KINDS: ReadonlySet<EventKind> = new Set<EventKind>(["pr_merged", "pr_closed", "issue_closed"]);

/** Whether `actor` may answer a request made under `enrolment`. */
export function isResponder(enrolment: MenteeEnrolment, actor: Actor): boolean {
  if (actor.isBot || actor.id === enrolment.menteeId || enrolment.ignoredIds.includes(actor.id)) return false;
  switch (enrolment.responders) {
    case "anyone":
      return true;
    case "admins":
      return enrolment.mentorIds.includes(actor.id) || enrolment.adminIds.includes(actor.id);
    case "mentors":
      return enrolment.mentorIds.includes(actor.id);
  }
}

interface OpenRequest {
  request: DerivedRequest;
  enrolment: MenteeEnrolment;
}

interface MenteeState {
  open: OpenRequest | null;
  /** A responder's "changes requested" review that no push by M has used yet. */
  changesRequested: boolean;
}

/**
 * The requests mentees opened on one thread and each one's first response, ordered by openedAt
 * (then menteeId, then the opening event's dedupeKey).
 */
export function deriveRequests(events: ThreadEvent[], ctx: ThreadContext): DerivedRequest[] {
  const repo = ctx.repo.toLowerCase();
  const enrolmentsByMentee = groupEnrolments(ctx.enrolments);
  const states = new Map<number, MenteeState>();
  const stateOf = (menteeId: number): MenteeState => {
    let s = states.get(menteeId);
    if (!s) {
      s = { open: null, changesRequested: false };
      states.set(menteeId, s);
    }
    return s;
  };
  const out: DerivedRequest[] = [];
  const withdrawn = new Set<DerivedRequest>();
  // Answered requests whose project's mentors have not spoken yet (only under admins|anyone).
  let awaitingMentor: OpenRequest[] = [];
  const seen = new Set<string>();
  // Unknown until an event says so; a PR whose opening predates the log is taken as ready.
  let draft = false;

  for (const e of sortEvents(visibleEvents(events))) {
    if (seen.has(e.dedupeKey)) continue;
    seen.add(e.dedupeKey);

    const responseKind = RESPONSE_KINDS.get(e.kind);
    if (responseKind && !e.actor.isBot) {
      // Ascending mentee id keeps the answering loop deterministic; each request is independent anyway.
      for (const menteeId of [...states.keys()].sort((a, b) => a - b)) {
        const open = stateOf(menteeId).open;
        if (!open || !isResponder(open.enrolment, e.actor)) continue;
        open.request.response = responseTo(open, e, responseKind);
        awaitingMentor.push(open);
        stateOf(menteeId).open = null;
      }
      awaitingMentor = awaitingMentor.filter((waiting) => {
        if (!waiting.enrolment.mentorIds.includes(e.actor.id) || e.actor.id === waiting.enrolment.menteeId) return true;
        waiting.request.firstMentorResponse = responseTo(waiting, e, responseKind);
        return false;
      });
    }

    if (e.kind === "review_submitted" && e.data.reviewState === "changes_requested" && !e.actor.isBot) {
      const author = e.threadAuthorId;
      const enrolment = pickEnrolment(enrolmentsByMentee.get(author), e, ctx);
      if (enrolment && isResponder(enrolment, e.actor)) stateOf(author).changesRequested = true;
    }

    if (e.kind === "pr_opened" || e.kind === "pr_reopened" || e.kind === "pr_synchronize") {
      if (e.data.draft !== undefined) draft = e.data.draft;
    } else if (e.kind === "pr_ready_for_review") draft = false;
    else if (e.kind === "pr_converted_to_draft") draft = true;

    const menteeId = e.actor.id;
    const mine = enrolmentsByMentee.get(menteeId);
    if (!mine || e.actor.isBot) continue;
    const state = stateOf(menteeId);

    if (CLOSING_KINDS.has(e.kind) && state.open) {
      const { request, enrolment } = state.open;
      if (elapsedSeconds(request.openedAt, e.occurredAt, enrolment.clock) <= enrolment.slaSeconds) withdrawn.add(request);
      else request.closedUnansweredAt = e.occurredAt;
      state.open = null;
      continue;
    }

    let usedReview = false;
    if (e.kind === "pr_synchronize") {
      usedReview = state.changesRequested;
      state.changesRequested = false;
    }

    if (state.open) continue;
    const enrolment = pickEnrolment(mine, e, ctx);
    if (!enrolment) continue;
    const kind = requestKind(e, enrolment, ctx, repo, draft, usedReview);
    if (!kind) continue;
    const request: DerivedRequest = {
      programId: enrolment.programId,
      projectId: enrolment.projectId,
      menteeId,
      menteeLogin: enrolment.menteeLogin,
      repo,
      number: ctx.number,
      threadKind: ctx.threadKind,
      kind,
      openedAt: e.occurredAt,
      openedBy: e.dedupeKey,
      response: null,
      firstMentorResponse: null,
    };
    out.push(request);
    state.open = { request, enrolment };
  }

  return out
    .filter((r) => !withdrawn.has(r))
    .sort(
      (a, b) =>
        instantMs(a.openedAt) - instantMs(b.openedAt) || a.menteeId - b.menteeId || cmp(a.openedBy, b.openedBy),
    );
}

function responseTo(open: OpenRequest, e: ThreadEvent, kind: ResponseKind): RequestResponse {
  return {
    at: e.occurredAt,
    kind,
    responderId: e.actor.id,
    responderLogin: e.actor.login,
    latencySeconds: elapsedSeconds(open.request.openedAt, e.occurredAt, open.enrolment.clock),
  };
}

function requestKind(
  e: ThreadEvent,
  enrolment: MenteeEnrolment,
  ctx: ThreadContext,
  repo: string,
  draft: boolean,
  usedReview: boolean,
): RequestKind | null {
  const ownThread = e.threadAuthorId === enrolment.menteeId;
  const ownPr = ctx.threadKind === "pr" && ownThread;
  const inProject = listsRepo(enrolment, repo) || (enrolment.projectRepos.length === 0 && ownThread);
  const projectTask = isTaskOf(enrolment, ctx);
  const prInScope = ownPr && inProject;
  switch (e.kind) {
    case "pr_opened":
    case "pr_reopened":
      return prInScope && !(e.data.draft ?? draft) ? "ready_for_review" : null;
    case "pr_ready_for_review":
      return prInScope ? "ready_for_review" : null;
    case "pr_review_requested":
      return prInScope ? "review_requested" : null;
    case "pr_synchronize":
      return prInScope && usedReview && !(e.data.draft ?? draft) ? "push_after_changes" : null;
    case "comment_created":
    case "review_comment_created":
    case "review_submitted":
      return projectTask || ownThread || isTrackingIssue(enrolment, repo, ctx.number) || mentionsMentor(e, enrolment)
        ? "comment"
        : null;
    case "issue_opened":
      return ctx.threadKind === "issue" && ownThread && inProject ? "issue_opened" : null;
    default:
      return null;
  }
}

function groupEnrolments(enrolments: MenteeEnrolment[]): Map<number, MenteeEnrolment[]> {
  const by = new Map<number, MenteeEnrolment[]>();
  const sorted = [...enrolments].sort((a, b) => cmp(a.programId, b.programId) || cmp(a.projectId, b.projectId));
  for (const en of sorted) {
    const list = by.get(en.menteeId);
    if (list) list.push(en);
    else by.set(en.menteeId, [en]);
  }
  return by;
}

function isTrackingIssue(en: MenteeEnrolment, repo: string, number: number): boolean {
  return en.trackingIssue !== null && en.trackingIssue.repo.toLowerCase() === repo && en.trackingIssue.number === number;
}

function listsRepo(en: MenteeEnrolment, repo: string): boolean {
  return en.projectRepos.some((r) => r.toLowerCase() === repo);
}

function isTaskOf(en: MenteeEnrolment, ctx: ThreadContext): boolean {
  return ctx.task !== null && ctx.task.programId === en.programId && ctx.task.projectId === en.projectId;
}

function mentionsMentor(e: ThreadEvent, en: MenteeEnrolment): boolean {
  const mentioned = e.kind === "comment_created" || e.kind === "review_comment_created" ? e.data.mentions : undefined;
  return mentioned !== undefined && en.mentorLogins.some((login) => mentioned.includes(login));
}

/** Which of M's enrolments event `e` on this thread belongs to; see the module comment for the order. */
export function pickEnrolment(enrolments: MenteeEnrolment[] | undefined, e: ThreadEvent, ctx: ThreadContext): MenteeEnrolment | null {
  if (!enrolments) return null;
  const at = instantMs(e.occurredAt);
  const repo = ctx.repo.toLowerCase();
  const active = enrolments.filter((en) => instantMs(en.window.from) <= at && at < instantMs(en.window.to));
  const asked = active.find((en) => mentionsMentor(e, en));
  if (asked) return asked;
  const byRepo = active.filter((en) => listsRepo(en, repo));
  if (byRepo.length > 0) return byRepo.find((en) => isTrackingIssue(en, repo, ctx.number)) ?? byRepo[0] ?? null;
  return (
    active.find((en) => isTrackingIssue(en, repo, ctx.number)) ??
    active.find((en) => isTaskOf(en, ctx)) ??
    active.find((en) => en.projectRepos.length === 0 && e.threadAuthorId === en.menteeId) ??
    null
  );
}
