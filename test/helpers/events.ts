/**
 * Builders for ThreadEvent stories: one thread, events appended in story order (the order the
 * derivation must NOT depend on). Times are UTC; "2026-06-16 09:00" is shorthand for
 * "2026-06-16T09:00:00Z".
 */
import type { MenteeEnrolment, ThreadContext } from "../../src/domain/requests.js";
import type { Actor, EventData, EventKind, Instant, ReviewState, ThreadEvent, ThreadKind } from "../../src/domain/types.js";

export const MENTEE: Actor = { id: 101, login: "neoandmatrix", isBot: false };
export const MENTEE2: Actor = { id: 102, login: "trinity", isBot: false };
export const MENTOR: Actor = { id: 201, login: "AayushSaini101", isBot: false };
export const MENTOR2: Actor = { id: 202, login: "Shurtu-gal", isBot: false };
export const ADMIN: Actor = { id: 301, login: "derberg", isBot: false };
export const STRANGER: Actor = { id: 401, login: "passer-by", isBot: false };
export const BOT: Actor = { id: 501, login: "dependabot[bot]", isBot: true };

/** `2026-06-16 09:00[:ss]` or a full ISO instant → ISO instant with `Z`. */
export function instant(s: string): Instant {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?$/.exec(s);
  if (m) return `${m[1]}T${m[2]}${m[3] ?? ":00"}Z`;
  if (Number.isNaN(Date.parse(s))) throw new Error(`bad instant in test: ${s}`);
  return s;
}

export function addSeconds(at: string, seconds: number): Instant {
  return new Date(Date.parse(instant(at)) + seconds * 1000).toISOString().replace(".000Z", "Z");
}

/** An enrolment of MENTEE in amp-2026/cli (repo asyncapi/cli, tracking asyncapi/community#2001), UTC clock. */
export function enrolment(overrides: Partial<MenteeEnrolment> = {}): MenteeEnrolment {
  return {
    programId: "amp-2026",
    projectId: "cli",
    menteeId: MENTEE.id,
    menteeLogin: MENTEE.login,
    projectRepos: ["asyncapi/cli"],
    trackingIssue: { repo: "asyncapi/community", number: 2001 },
    window: { from: "2026-06-15T00:00:00Z", to: "2026-10-18T00:00:00Z" },
    mentorIds: [MENTOR.id, MENTOR2.id],
    mentorLogins: [MENTOR.login.toLowerCase(), MENTOR2.login.toLowerCase()],
    adminIds: [ADMIN.id],
    ignoredIds: [],
    responders: "mentors",
    slaSeconds: 48 * 3600,
    clock: { timezone: "UTC" },
    ...overrides,
  };
}

export interface ThreadSpec {
  repo?: string;
  number?: number;
  threadKind?: ThreadKind;
  /** Who opened the issue or PR; the default actor of the author's own actions. */
  author?: Actor;
}

export class Story {
  readonly repo: string;
  readonly number: number;
  readonly threadKind: ThreadKind;
  readonly author: Actor;
  readonly events: ThreadEvent[] = [];
  private seq = 0;

  constructor(spec: ThreadSpec = {}) {
    this.repo = spec.repo ?? "asyncapi/cli";
    this.number = spec.number ?? 42;
    this.threadKind = spec.threadKind ?? "pr";
    this.author = spec.author ?? MENTEE;
  }

  /** Any event; the dedupeKey is unique within the story and stable across runs. */
  add(kind: EventKind, at: string, actor: Actor, data: EventData = {}, dedupeKey?: string): this {
    this.seq += 1;
    this.events.push({
      kind,
      dedupeKey: dedupeKey ?? `${kind}:${this.repo}#${this.number}:${String(this.seq).padStart(3, "0")}`,
      occurredAt: instant(at),
      actor,
      repo: this.repo,
      number: this.number,
      threadKind: this.threadKind,
      threadAuthorId: this.author.id,
      data,
    });
    return this;
  }

  issueOpened(at: string, by: Actor = this.author): this {
    return this.add("issue_opened", at, by);
  }
  prOpened(at: string, opts: { draft?: boolean; by?: Actor } = {}): this {
    return this.add("pr_opened", at, opts.by ?? this.author, { draft: opts.draft ?? false });
  }
  prReopened(at: string, opts: { draft?: boolean; by?: Actor } = {}): this {
    return this.add("pr_reopened", at, opts.by ?? this.author, { draft: opts.draft ?? false });
  }
  ready(at: string, by: Actor = this.author): this {
    return this.add("pr_ready_for_review", at, by);
  }
  toDraft(at: string, by: Actor = this.author): this {
    return this.add("pr_converted_to_draft", at, by);
  }
  reviewRequested(at: string, reviewer: Actor = MENTOR, by: Actor = this.author): this {
    return this.add("pr_review_requested", at, by, { requestedReviewer: { id: reviewer.id, login: reviewer.login } });
  }
  push(at: string, by: Actor = this.author, draft = false): this {
    return this.add("pr_synchronize", at, by, { draft });
  }
  comment(at: string, by: Actor): this {
    return this.add("comment_created", at, by);
  }
  reviewComment(at: string, by: Actor): this {
    return this.add("review_comment_created", at, by);
  }
  review(at: string, by: Actor, reviewState: ReviewState = "commented"): this {
    return this.add("review_submitted", at, by, { reviewState });
  }
  merged(at: string, by: Actor): this {
    return this.add("pr_merged", at, by);
  }
  closed(at: string, by: Actor): this {
    return this.add(this.threadKind === "pr" ? "pr_closed" : "issue_closed", at, by);
  }
  labeled(at: string, by: Actor, label: string): this {
    return this.add(this.threadKind === "pr" ? "pr_labeled" : "issue_labeled", at, by, { label });
  }

  /** `task: true` makes the thread a task of the first enrolment's project. */
  context(enrolments: MenteeEnrolment[] = [enrolment()], task: boolean | ThreadContext["task"] = false): ThreadContext {
    const first = enrolments[0];
    const taskOf = task === true ? (first ? { programId: first.programId, projectId: first.projectId } : null) : task || null;
    return { repo: this.repo, number: this.number, threadKind: this.threadKind, task: taskOf, enrolments };
  }
}

export function story(spec: ThreadSpec = {}): Story {
  return new Story(spec);
}

/** Deterministic PRNG (mulberry32) so property tests replay the same shuffles. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Every ordering of a small array (n! of them: keep n ≤ 7). */
export function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  const out: T[][] = [];
  items.forEach((item, i) => {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const p of permutations(rest)) out.push([item, ...p]);
  });
  return out;
}
