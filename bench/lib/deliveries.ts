/**
 * Signed webhook deliveries built from the real payloads of @octokit/webhooks-examples, each with its
 * own delivery GUID and its own GitHub objects, so that neither the delivery table (GUID) nor the
 * event log (dedupe keys) can collapse them: every delivery costs the app what a new one would.
 *
 * What varies per delivery (sequence number `seq`):
 * - `X-GitHub-Delivery`: a fresh UUID;
 * - the repository (`org/repo-N`, over `repos` repositories) and the installation;
 * - the thread: `perThread` consecutive deliveries of a kind share an issue or PR (activity on one
 *   thread comes in bursts), except actions keyed by the thread alone (opened, merged), which always
 *   get a new one;
 * - comment, review and review-comment ids and node ids; the head sha of a push;
 * - every timestamp the normaliser reads, one second apart, so timestamped keys differ too.
 */
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { seededRandom } from "./random.js";

export interface MixEntry {
  name: string;
  action: string;
  /** Relative frequency. */
  weight: number;
}

/**
 * A working org's webhook traffic for the events the app handles: mostly comments, pushes and reviews,
 * fewer issue bookkeeping events. Weights sum to 100.
 */
export const INGESTION_MIX: MixEntry[] = [
  { name: "issue_comment", action: "created", weight: 28 },
  { name: "issue_comment", action: "edited", weight: 3 },
  { name: "pull_request", action: "synchronize", weight: 9 },
  { name: "pull_request", action: "opened", weight: 4 },
  { name: "pull_request", action: "ready_for_review", weight: 2 },
  { name: "pull_request", action: "review_requested", weight: 4 },
  { name: "pull_request", action: "labeled", weight: 3 },
  { name: "pull_request", action: "closed", weight: 3 },
  { name: "pull_request_review", action: "submitted", weight: 12 },
  { name: "pull_request_review_comment", action: "created", weight: 12 },
  { name: "issues", action: "opened", weight: 5 },
  { name: "issues", action: "labeled", weight: 5 },
  { name: "issues", action: "assigned", weight: 4 },
  { name: "issues", action: "edited", weight: 3 },
  { name: "issues", action: "milestoned", weight: 3 },
];

export interface Delivery {
  id: string;
  name: string;
  body: string;
  headers: Record<string, string>;
}

type Rec = Record<string, any>;

interface Definition {
  name: string;
  examples: Rec[];
}

let definitions: Map<string, Definition> | undefined;

function loadDefinitions(): Map<string, Definition> {
  if (definitions) return definitions;
  const file = createRequire(import.meta.url).resolve("@octokit/webhooks-examples/api.github.com/index.json");
  const list = JSON.parse(readFileSync(file, "utf8")) as Definition[];
  definitions = new Map(list.map((d) => [d.name, d]));
  return definitions;
}

/** Fresh copies of every upstream example of `name.action`; throws when there is none. */
export function examples(name: string, action: string): Rec[] {
  const found = (loadDefinitions().get(name)?.examples ?? []).filter((e) => e.action === action);
  if (found.length === 0) throw new Error(`@octokit/webhooks-examples has no ${name}.${action} example`);
  return found.map((e) => structuredClone(e));
}

export function sign(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Actions whose dedupe key is the thread alone: a second one on the same thread would be a duplicate. */
const THREAD_KEYED = new Set(["opened", "closed", "deleted", "transferred"]);

const BASE_MS = Date.parse("2026-01-01T00:00:00Z");

export function instantOf(seq: number): string {
  return new Date(BASE_MS + seq * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export interface StreamOptions {
  secret: string;
  installationId: number;
  org: string;
  /** Repositories to spread deliveries over. */
  repos: number;
  mix: MixEntry[];
  /** Consecutive deliveries of one kind sharing a thread. */
  perThread?: number;
  /** First sequence number; a second stream on the same database must start past the first. */
  start?: number;
  /** Seed of the order in which the mix's kinds follow each other. */
  seed?: number;
  /** Last word on a payload: a scenario sets its people, repository and threads here. */
  shape?: (payload: Rec, seq: number, entry: MixEntry) => void;
}

/**
 * An endless stream of distinct signed deliveries. Payloads are mutated templates: `next()` is a few
 * field writes, a JSON.stringify and an HMAC, so a load generator in the same process can keep up.
 */
export class DeliveryStream {
  private seq: number;
  private readonly schedule: number[];
  private readonly templates: Rec[][];
  private readonly perThread: number;
  /** Per-kind counters so "perThread consecutive deliveries of a kind" holds for each kind. */
  private readonly kindCount: number[];

  constructor(private readonly options: StreamOptions) {
    this.seq = options.start ?? 1;
    this.perThread = options.perThread ?? 5;
    this.templates = options.mix.map((m) => examples(m.name, m.action));
    this.kindCount = options.mix.map(() => 0);
    this.schedule = shuffledSchedule(options.mix, options.seed ?? 42);
  }

  /** Sequence number the next delivery will carry. */
  get position(): number {
    return this.seq;
  }

  next(): Delivery {
    const seq = this.seq++;
    const index = this.schedule[seq % this.schedule.length]!;
    const entry = this.options.mix[index]!;
    const choices = this.templates[index]!;
    const payload = choices[seq % choices.length]!;
    const nth = this.kindCount[index]!++;
    vary(payload, seq, entry, { ...this.options, kindIndex: index, nth, perThread: this.perThread });
    this.options.shape?.(payload, seq, entry);
    const body = JSON.stringify(payload);
    const id = randomUUID();
    return {
      id,
      name: entry.name,
      body,
      headers: {
        "content-type": "application/json",
        "user-agent": "GitHub-Hookshot/bench",
        "x-github-event": entry.name,
        "x-github-delivery": id,
        "x-hub-signature-256": sign(body, this.options.secret),
      },
    };
  }
}

function vary(
  p: Rec,
  seq: number,
  entry: MixEntry,
  o: StreamOptions & { kindIndex: number; nth: number; perThread: number },
): void {
  const at = instantOf(seq);
  const repoName = `repo-${seq % o.repos}`;
  p.installation = { id: o.installationId, node_id: `MDIz${o.installationId}` };
  p.repository = { ...p.repository, name: repoName, full_name: `${o.org}/${repoName}`, owner: { ...p.repository?.owner, login: o.org } };

  const isPr = entry.name.startsWith("pull_request");
  const thread = (isPr ? p.pull_request : p.issue) as Rec | undefined;
  if (thread) {
    // Kinds get disjoint thread ranges (no thread is both an issue and a PR); a fresh thread for
    // actions keyed by the thread alone.
    const fresh = THREAD_KEYED.has(entry.action);
    const group = fresh ? o.nth : Math.floor(o.nth / o.perThread);
    const number = 1 + o.kindIndex + o.mix.length * group;
    thread.number = number;
    thread.id = number;
    thread.node_id = `${isPr ? "PR" : "I"}_bench_${o.kindIndex}_${fresh ? "f" : "s"}${group}`;
    thread.created_at = fresh ? at : instantOf(Math.max(1, seq - 3600));
    thread.updated_at = at;
    if (thread.closed_at !== null && thread.closed_at !== undefined) thread.closed_at = at;
    if (thread.merged_at !== null && thread.merged_at !== undefined) thread.merged_at = at;
  }
  if (p.comment) {
    p.comment.id = seq;
    p.comment.node_id = `C_bench_${seq}`;
    p.comment.created_at = at;
    p.comment.updated_at = at;
  }
  if (p.review) {
    p.review.id = seq;
    p.review.node_id = `PRR_bench_${seq}`;
    p.review.submitted_at = at;
  }
  if (typeof p.after === "string") p.after = seq.toString(16).padStart(40, "0");
}

/** The mix as a repeating sequence of kind indexes, in a fixed pseudo-random order. */
function shuffledSchedule(mix: MixEntry[], seed: number): number[] {
  const slots = mix.flatMap((m, i) => Array.from({ length: Math.max(1, Math.round(m.weight)) }, () => i));
  const random = seededRandom(seed);
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
  }
  return slots;
}
