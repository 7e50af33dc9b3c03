import type { Kysely } from "kysely";
import type { Database } from "../../src/db/schema.js";
import { saveRoster, upsertInstallation } from "../../src/db/rosters.js";
import type { InstallationModel, Person } from "../../src/domain/program.js";
import { programWindow } from "../../src/domain/program.js";
import {
  examplePayload,
  ghUser,
  type GhUser,
  setActor,
  setBody,
  setDraft,
  setLabels,
  setOccurredAt,
  setRepo,
  setReviewState,
  setThreadAuthor,
} from "./payloads.js";

/** One org, one program, one project: the smallest world ingestion and latency tests need. */
export const ORG = "asyncapi";
export const INSTALLATION_ID = 7001;
export const REPO = "asyncapi/cli";
export const mentee = ghUser("mentee-one");
export const mentee2 = ghUser("mentee-two");
export const mentor = ghUser("mentor-one");
export const mentor2 = ghUser("mentor-two");
export const admin = ghUser("program-admin");
export const stranger = ghUser("passer-by");

const person = (u: GhUser): Person => ({ id: u.id, login: u.login });

export function worldModel(overrides: Partial<InstallationModel> = {}): InstallationModel {
  return {
    taskLabel: "mentorship",
    responders: "mentors",
    slaSeconds: 48 * 3600,
    ignored: [],
    menteeSilenceSeconds: 7 * 86400,
    reminderSeconds: [10 * 86400, 5 * 86400, 0],
    admins: [person(admin)],
    programs: [
      {
        id: "amp-2026",
        name: "AsyncAPI Maintainership Program 2026",
        starts: "2026-06-15",
        ends: "2026-10-17",
        window: programWindow("2026-06-15", "2026-10-17", "UTC"),
        timezone: "UTC",
        trackingRepo: "asyncapi/community",
        milestones: [
          { id: "midterm", title: "Mid-term evaluation", due: "2026-08-22" },
          { id: "final", title: "Final evaluation", due: "2026-10-17" },
        ],
        projects: [
          {
            id: "cli",
            title: "AsyncAPI CLI",
            repos: [REPO],
            trackingIssue: { repo: "asyncapi/community", number: 2001 },
            mentors: [person(mentor), person(mentor2)],
            mentees: [person(mentee), person(mentee2)],
          },
        ],
      },
    ],
    ...overrides,
  };
}

export async function seedWorld(db: Kysely<Database>, model: InstallationModel = worldModel()): Promise<void> {
  await upsertInstallation(db, { id: INSTALLATION_ID, accountLogin: ORG, accountId: 99, accountType: "Organization" });
  await saveRoster(db, INSTALLATION_ID, model, null);
}

type Rec = Record<string, any>;

function inWorld<P extends object>(p: P): P {
  setRepo(p, REPO);
  (p as Rec).installation = { id: INSTALLATION_ID, node_id: "MDIz" };
  return p;
}

/** Node ids derive from numbers so each thread (and comment, review) has its own GitHub identity. */
function identify(thread: Rec, kind: "issue" | "pr", number: number): void {
  thread.number = number;
  thread.id = (kind === "pr" ? 5_000_000 : 6_000_000) + number;
  thread.node_id = `${kind === "pr" ? "PR" : "I"}_test${number}`;
  thread.html_url = `https://github.com/${REPO}/${kind === "pr" ? "pull" : "issues"}/${number}`;
}

export function prOpened(number: number, at: string, author: GhUser, options: { draft?: boolean; body?: string } = {}): Rec {
  const p = inWorld(examplePayload("pull_request", "opened") as Rec);
  identify(p.pull_request, "pr", number);
  setActor(p, author);
  setThreadAuthor(p, author);
  setDraft(p, options.draft ?? false);
  setBody(p, options.body ?? null);
  setOccurredAt(p, at);
  return p;
}

export function prAction(
  action: "ready_for_review" | "synchronize" | "closed" | "reopened" | "converted_to_draft" | "edited",
  number: number,
  at: string,
  actor: GhUser,
  author: GhUser,
  options: { merged?: boolean; after?: string; body?: string } = {},
): Rec {
  const p = prOpened(number, "2026-06-15T00:00:00Z", author, { body: options.body ?? "" });
  p.action = action;
  setActor(p, actor);
  p.pull_request.draft = false;
  if (action === "synchronize") {
    p.before = "0".repeat(40);
    p.after = options.after ?? `${number}`.padStart(40, "a");
  }
  if (action === "closed") {
    p.pull_request.state = "closed";
    p.pull_request.merged = options.merged ?? false;
    p.pull_request.merged_at = options.merged ? at : null;
    p.pull_request.merged_by = options.merged ? actor : null;
  }
  setOccurredAt(p, at);
  return p;
}

export function reviewSubmitted(
  number: number,
  reviewId: number,
  at: string,
  reviewer: GhUser,
  author: GhUser,
  state: "approved" | "changes_requested" | "commented",
): Rec {
  const p = inWorld(examplePayload("pull_request_review", "submitted") as Rec);
  identify(p.pull_request, "pr", number);
  p.review.id = reviewId;
  p.review.node_id = `PRR_test${reviewId}`;
  setActor(p, reviewer);
  setThreadAuthor(p, author);
  setReviewState(p, state);
  setOccurredAt(p, at);
  return p;
}

export function commentCreated(
  thread: { kind: "issue" | "pr"; number: number; author: GhUser; labels?: string[] },
  commentId: number,
  at: string,
  user: GhUser,
  body = "Thanks, looking into it",
): Rec {
  const p = inWorld(examplePayload("issue_comment", "created") as Rec);
  identify(p.issue, thread.kind, thread.number);
  if (thread.kind === "pr") p.issue.pull_request = { url: p.issue.html_url, html_url: p.issue.html_url };
  else delete p.issue.pull_request;
  p.comment.id = commentId;
  p.comment.node_id = `IC_test${commentId}`;
  p.comment.body = body;
  p.comment.html_url = `${p.issue.html_url}#issuecomment-${commentId}`;
  setLabels(p, thread.labels ?? []);
  setActor(p, user);
  setThreadAuthor(p, thread.author);
  setOccurredAt(p, at);
  return p;
}

/** The deletion of a comment made by `commentCreated(thread, commentId, createdAt, user)`; GitHub dates it by its last update. */
export function commentDeleted(
  thread: { kind: "issue" | "pr"; number: number; author: GhUser; labels?: string[] },
  commentId: number,
  createdAt: string,
  user: GhUser,
  updatedAt = createdAt,
): Rec {
  const p = commentCreated(thread, commentId, createdAt, user);
  p.action = "deleted";
  p.comment.updated_at = updatedAt;
  return p;
}

/** An inline comment on PR `number`, drafted at `at`, carried by review `reviewId`. */
export function reviewCommentCreated(number: number, commentId: number, reviewId: number, at: string, user: GhUser, author: GhUser): Rec {
  const p = inWorld(examplePayload("pull_request_review_comment", "created") as Rec);
  identify(p.pull_request, "pr", number);
  p.comment.id = commentId;
  p.comment.node_id = `PRRC_test${commentId}`;
  p.comment.pull_request_review_id = reviewId;
  p.comment.html_url = `${p.pull_request.html_url}#discussion_r${commentId}`;
  setActor(p, user);
  setThreadAuthor(p, author);
  setOccurredAt(p, at);
  return p;
}

export function issueAction(
  action: "opened" | "labeled" | "unlabeled" | "assigned" | "unassigned" | "closed" | "reopened" | "transferred" | "milestoned",
  number: number,
  at: string,
  actor: GhUser,
  options: {
    author?: GhUser;
    labels?: string[];
    label?: string;
    assignee?: GhUser;
    stateReason?: "completed" | "not_planned" | "duplicate";
    milestone?: string;
    title?: string;
  } = {},
): Rec {
  const p = inWorld(examplePayload("issues", "opened") as Rec);
  p.action = action;
  identify(p.issue, "issue", number);
  setActor(p, actor);
  setThreadAuthor(p, options.author ?? actor);
  setLabels(p, options.labels ?? []);
  if (options.title) p.issue.title = options.title;
  if (options.label) p.label = { id: 1, node_id: "LA_1", name: options.label, color: "ededed", default: false, description: null, url: "" };
  if (options.assignee) p.assignee = options.assignee;
  if (action === "closed") {
    p.issue.state = "closed";
    p.issue.state_reason = options.stateReason ?? "completed";
  }
  if (action === "milestoned") {
    p.milestone = { title: options.milestone, number: 1, id: 1, node_id: "MI_1" };
    p.issue.milestone = p.milestone;
  }
  if (action === "transferred") {
    p.changes = {
      new_repository: { ...p.repository, full_name: "asyncapi/community", name: "community" },
      new_issue: { ...p.issue, number: 9000 + number },
    };
  }
  setOccurredAt(p, at);
  return p;
}
