/**
 * Open programs (issue 18): Hacktoberfest-style events. Pure: which PRs take part, who takes part, which
 * maintainers answer them, and where each PR stands under the event's rules.
 *
 * Decisions (also in the README, "Open programs"):
 * - A PR takes part when it was created in the event's window (`OpenEventModel.window`) in one of the
 *   event's repositories (a project's, or an installation repository carrying the topic), by a person
 *   (not a bot, not on `ignore:`). Its author is a participant once one such PR is not a draft.
 * - Maintainers: the `mentors` of the project listing the repository; on a topic repository no project
 *   lists, those of the first project without `repos` (none: the PR takes part, but nobody's latency is
 *   measured there). The author's requests on the PR are then the latency model's, unchanged, within the
 *   event's window.
 * - Accepted: merged, carrying the accepted label, or approved (a reviewer's latest verdict, not
 *   dismissed) and not closed unmerged. It is accepted from the earliest of those moments, and counts once the
 *   review period has passed since; until then it is pending.
 * - Excluded: a label containing the spam or the invalid word (whole word, any case), unless the PR also
 *   carries the accepted label (the public rules' way for a maintainer to overrule); or closed without
 *   merging and not accepted. Drafts never count. Labels are those of the latest event that carries them.
 * - A participant with two or more PRs labelled spam is flagged; only the admin report shows it.
 */
import { addDays } from "./milestones.js";
import { enrolmentIn } from "./enrolments.js";
import { type InstallationModel, isWithin, type OpenEventModel, type OpenRules, type ProgramModel, type ProjectModel, programWindow, toInstant } from "./program.js";
import { type MenteeEnrolment, sortEvents } from "./requests.js";
import type { Instant, ThreadEvent } from "./types.js";
import { visibleEvents } from "./visible-events.js";

const HOUR_MS = 3_600_000;
/** Kiribati's UTC+14 starts a day first, and UTC−12 ends it last: "any time zone" in the public rules. */
const FIRST_OFFSET_MS = 14 * HOUR_MS;
const LAST_OFFSET_MS = 12 * HOUR_MS;
/** Two spam PRs disqualify a participant under the public rules. */
export const SPAM_PRS_FLAGGED = 2;

/** The instants the event's days span, as `rules.window` reads them. */
export function openWindow(starts: string, ends: string, timezone: string, window: OpenRules["window"]): { from: Instant; to: Instant } {
  if (window === "timezone") return programWindow(starts, ends, timezone);
  return {
    from: toInstant(Date.parse(`${starts}T00:00:00Z`) - FIRST_OFFSET_MS),
    to: toInstant(Date.parse(`${addDays(ends, 1)}T00:00:00Z`) + LAST_OFFSET_MS),
  };
}

/** The event's repositories: the projects' and the topic's, sorted. */
export function eventRepos(program: ProgramModel): string[] {
  return [...new Set([...program.projects.flatMap((p) => p.repos), ...(program.open?.topicRepos ?? [])])].sort();
}

function isEventRepo(program: ProgramModel, repo: string): boolean {
  return program.projects.some((p) => p.repos.includes(repo)) || (program.open?.topicRepos.includes(repo) ?? false);
}

/** The project whose mentors maintain `repo` for the event, or null. */
export function maintainingProject(program: ProgramModel, repo: string): ProjectModel | null {
  const listing = program.projects.find((p) => p.repos.includes(repo));
  if (listing) return listing;
  if (!program.open?.topicRepos.includes(repo)) return null;
  return program.projects.find((p) => p.repos.length === 0) ?? null;
}

export function openPrograms(model: InstallationModel): Array<ProgramModel & { open: OpenEventModel }> {
  return model.programs.filter((p): p is ProgramModel & { open: OpenEventModel } => p.open !== undefined);
}

/** The PR's opening: who opened it and when, when the log has it and that person is a participant-to-be. */
function openingOf(model: InstallationModel, events: readonly ThreadEvent[]): ThreadEvent | null {
  const opened = events.find((e) => e.kind === "pr_opened");
  if (!opened || opened.threadKind !== "pr" || opened.actor.isBot || opened.actor.id !== opened.threadAuthorId) return null;
  if (model.ignored.some((p) => p.id === opened.actor.id)) return null;
  return opened;
}

/** The open programs this PR takes part in (window and repository), by its log. */
function eventsTakingPart(model: InstallationModel, events: readonly ThreadEvent[]): { opened: ThreadEvent; programs: ProgramModel[] } | null {
  const opened = openingOf(model, events);
  if (!opened) return null;
  const programs = openPrograms(model).filter((p) => isWithin(opened.occurredAt, p.open.window) && isEventRepo(p, opened.repo));
  return programs.length === 0 ? null : { opened, programs };
}

/** The open programs a thread takes part in: a PR created in their window in one of their repositories. */
export function eventProgramsOf(model: InstallationModel, events: readonly ThreadEvent[]): ProgramModel[] {
  return eventsTakingPart(model, events)?.programs ?? [];
}

/**
 * The author of an event PR, enrolled on that PR only, with the repository's maintainers as mentors:
 * added to the thread's enrolments, it makes the PR's requests the latency model's.
 */
export function participantEnrolments(model: InstallationModel, events: readonly ThreadEvent[]): MenteeEnrolment[] {
  const taking = eventsTakingPart(model, events);
  if (!taking) return [];
  const { opened } = taking;
  return taking.programs.flatMap((program) => {
    const project = maintainingProject(program, opened.repo);
    if (!project) return [];
    const author = { id: opened.actor.id, login: opened.actor.login };
    return [enrolmentIn(model, program, project, author, { projectRepos: [opened.repo], trackingIssue: null, window: program.open!.window })];
  });
}

export type EventPrState = "draft" | "open" | "pending" | "accepted" | "excluded";
export type ExclusionReason = "spam" | "invalid" | "closed";
export type AcceptedBy = "merge" | "label" | "approval";

export interface EventPr {
  programId: string;
  repo: string;
  number: number;
  title: string | null;
  url: string | null;
  authorId: number;
  authorLogin: string;
  createdAt: Instant;
  /** `open`: neither accepted nor excluded yet; `pending`: accepted, in the review period. */
  state: EventPrState;
  reason: ExclusionReason | null;
  acceptedAt: Instant | null;
  acceptedBy: AcceptedBy | null;
  /** When an accepted PR counts (acceptedAt + the review period). */
  countsFrom: Instant | null;
  /** Carries the spam word: two such PRs flag their author. */
  labelledSpam: boolean;
}

const wordPatterns = new Map<string, RegExp>();

/** Whether a label contains `word` as a whole word, in any case (`/\bspam\b/i`, also for non-ASCII words). */
export function labelHasWord(label: string, word: string): boolean {
  let pattern = wordPatterns.get(word);
  if (!pattern) {
    pattern = new RegExp(`(^|[^\\p{L}\\p{N}_])${word.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")}($|[^\\p{L}\\p{N}_])`, "iu");
    wordPatterns.set(word, pattern);
  }
  return pattern.test(label);
}

/** Where one PR stands in each open program it takes part in, at `now`; empty for any other thread. */
export function eventPrStandings(model: InstallationModel, events: readonly ThreadEvent[], now: Instant): EventPr[] {
  const taking = eventsTakingPart(model, events);
  if (!taking) return [];
  const facts = prFacts(sortEvents(visibleEvents([...events])), taking.opened);
  return taking.programs.map((program) => standing(program, taking.opened, facts, now));
}

interface PrFacts {
  draft: boolean;
  mergedAt: Instant | null;
  closedAt: Instant | null;
  labels: string[];
  /** When each label currently on the PR was last seen arriving. */
  labelSince: Map<string, Instant>;
  /** Each reviewer's latest verdict (approved or changes requested) with its review's identity. */
  verdicts: Map<number, { approved: boolean; at: Instant; review: string }>;
  dismissed: Set<string>;
  title: string | null;
  url: string | null;
}

function prFacts(sorted: ThreadEvent[], opened: ThreadEvent): PrFacts {
  const facts: PrFacts = {
    draft: false,
    mergedAt: null,
    closedAt: null,
    labels: [],
    labelSince: new Map(),
    verdicts: new Map(),
    dismissed: new Set(),
    title: null,
    url: opened.data.url ?? null,
  };
  const setLabels = (labels: string[], at: Instant) => {
    const since = new Map<string, Instant>();
    for (const label of labels) since.set(label.toLowerCase(), facts.labelSince.get(label.toLowerCase()) ?? at);
    facts.labels = labels;
    facts.labelSince = since;
  };
  // Labels added in the same second as a snapshot: which of the two came first is not known, so a
  // snapshot that lacks the label does not take it off (a later one does).
  const labelledAt = new Map<string, Instant>();
  for (const e of sorted) if (e.kind === "pr_labeled" && e.data.label !== undefined) labelledAt.set(e.data.label.toLowerCase(), e.occurredAt);
  const seen = new Set<string>();
  for (const e of sorted) {
    if (seen.has(e.dedupeKey)) continue;
    seen.add(e.dedupeKey);
    if (e.kind.startsWith("pr_") && e.data.title !== undefined) facts.title = e.data.title;
    if (e.data.labels !== undefined) {
      const sameSecond = facts.labels.filter((l) => labelledAt.get(l.toLowerCase()) === e.occurredAt && !e.data.labels!.some((m) => m.toLowerCase() === l.toLowerCase()));
      setLabels([...e.data.labels, ...sameSecond], e.occurredAt);
    }
    if (e.kind === "pr_labeled" && e.data.label !== undefined && !facts.labels.some((l) => l.toLowerCase() === e.data.label!.toLowerCase())) {
      setLabels([...facts.labels, e.data.label], e.occurredAt);
    }
    switch (e.kind) {
      case "pr_opened":
      case "pr_reopened":
      case "pr_synchronize":
        if (e.data.draft !== undefined) facts.draft = e.data.draft;
        if (e.kind === "pr_reopened") facts.closedAt = null;
        break;
      case "pr_ready_for_review":
        facts.draft = false;
        break;
      case "pr_converted_to_draft":
        facts.draft = true;
        break;
      case "pr_merged":
        facts.mergedAt ??= e.occurredAt;
        break;
      case "pr_closed":
        facts.closedAt = e.occurredAt;
        break;
      case "review_submitted":
        if (!e.actor.isBot && e.actor.id !== opened.actor.id && (e.data.reviewState === "approved" || e.data.reviewState === "changes_requested")) {
          facts.verdicts.set(e.actor.id, { approved: e.data.reviewState === "approved", at: e.occurredAt, review: e.dedupeKey.split(":")[1] ?? "" });
        }
        break;
      case "review_dismissed":
        facts.dismissed.add(e.dedupeKey.split(":")[1] ?? "");
        break;
      default:
        break;
    }
  }
  return facts;
}

function standing(program: ProgramModel, opened: ThreadEvent, facts: PrFacts, now: Instant): EventPr {
  const rules = program.open!.rules;
  const hasAcceptedLabel = facts.labelSince.has(rules.acceptedLabel.toLowerCase());
  const approvals = [...facts.verdicts.values()].filter((v) => v.approved && !facts.dismissed.has(v.review)).map((v) => v.at);
  const candidates: Array<[Instant, AcceptedBy]> = [];
  if (facts.mergedAt) candidates.push([facts.mergedAt, "merge"]);
  if (hasAcceptedLabel) candidates.push([facts.labelSince.get(rules.acceptedLabel.toLowerCase())!, "label"]);
  if (!facts.closedAt && approvals.length > 0) candidates.push([approvals.sort()[0]!, "approval"]);
  const first = candidates.sort((a, b) => Date.parse(a[0]) - Date.parse(b[0]))[0] ?? null;
  const spam = facts.labels.some((l) => labelHasWord(l, rules.spamLabel));
  const invalid = facts.labels.some((l) => labelHasWord(l, rules.invalidLabel));
  const countsFrom = first ? toInstant(Date.parse(first[0]) + rules.reviewPeriodSeconds * 1000) : null;

  let state: EventPrState;
  let reason: ExclusionReason | null = null;
  if (facts.draft && !facts.mergedAt) state = "draft";
  else if ((spam || invalid) && !hasAcceptedLabel) [state, reason] = ["excluded", spam ? "spam" : "invalid"];
  else if (first) state = Date.parse(now) < Date.parse(countsFrom!) ? "pending" : "accepted";
  else if (facts.closedAt) [state, reason] = ["excluded", "closed"];
  else state = "open";

  return {
    programId: program.id,
    repo: opened.repo,
    number: opened.number,
    title: facts.title,
    url: facts.url,
    authorId: opened.actor.id,
    authorLogin: opened.actor.login,
    createdAt: opened.occurredAt,
    state,
    reason,
    acceptedAt: first?.[0] ?? null,
    acceptedBy: first?.[1] ?? null,
    countsFrom,
    labelledSpam: spam,
  };
}

/** How many of a set of event PRs stand where. */
export interface PrCounts {
  prs: number;
  accepted: number;
  pending: number;
  open: number;
  drafts: number;
  excluded: number;
}

export interface Participant {
  id: number;
  login: string;
  prs: EventPr[];
  /** PRs past their review period: what counts towards the goal. */
  accepted: number;
  pending: number;
  reachedGoal: boolean;
  spamPrs: number;
  /** Two or more PRs labelled spam: disqualified under the public rules (admin report only). */
  flagged: boolean;
}

/** Authors with at least one event PR that is not a draft, by login (any case), each with every event PR of theirs. */
export function participantsOf(prs: readonly EventPr[], goal: number): Participant[] {
  const byAuthor = new Map<number, EventPr[]>();
  for (const pr of prs) byAuthor.set(pr.authorId, [...(byAuthor.get(pr.authorId) ?? []), pr]);
  const out: Participant[] = [];
  for (const [id, theirs] of byAuthor) {
    if (theirs.every((pr) => pr.state === "draft")) continue;
    const sorted = [...theirs].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.repo.localeCompare(b.repo) || a.number - b.number);
    const accepted = sorted.filter((pr) => pr.state === "accepted").length;
    const spamPrs = sorted.filter((pr) => pr.labelledSpam).length;
    out.push({
      id,
      login: sorted[sorted.length - 1]!.authorLogin,
      prs: sorted,
      accepted,
      pending: sorted.filter((pr) => pr.state === "pending").length,
      reachedGoal: accepted >= goal,
      spamPrs,
      flagged: spamPrs >= SPAM_PRS_FLAGGED,
    });
  }
  return out.sort((a, b) => a.login.toLowerCase().localeCompare(b.login.toLowerCase()) || a.id - b.id);
}

/** The model with each open program's `topicRepos`: the installation's repositories carrying its topic. */
export function withTopicRepos(model: InstallationModel, repositories: ReadonlyArray<{ repo: string; topics: string[] }>): InstallationModel {
  return {
    ...model,
    programs: model.programs.map((program) => {
      const topic = program.open?.rules.topic;
      if (!program.open || !topic) return program;
      const topicRepos = repositories.filter((r) => r.topics.includes(topic)).map((r) => r.repo).sort();
      return { ...program, open: { ...program.open, topicRepos } };
    }),
  };
}
