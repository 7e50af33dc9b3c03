import type { ColumnType, Generated, JSONColumnType } from "kysely";

/** Timestamps go in as ISO strings or Dates and come out as Dates (pg parses timestamptz). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** `date` columns come out as strings: see the type parser set in connection.ts. */
type DateOnly = ColumnType<string, string, string>;
/** pg returns bigint as string; every id we store fits in a double, and we parse it as a number. */
type BigId = ColumnType<number, number | string, number | string>;

export interface InstallationsTable {
  id: BigId;
  account_login: string;
  account_id: BigId;
  account_type: string;
  created_at: Generated<Timestamp>;
  deleted_at: Timestamp | null;
}

export interface RostersTable {
  installation_id: BigId;
  source_sha: string | null;
  content: JSONColumnType<object, string, string>;
  loaded_at: Generated<Timestamp>;
  last_error: JSONColumnType<object, string | null, string | null> | null;
  last_error_at: Timestamp | null;
}

export interface PeopleTable {
  id: BigId;
  login: string;
  type: string;
  updated_at: Generated<Timestamp>;
}

export interface ProgramsTable {
  installation_id: BigId;
  id: string;
  name: string;
  starts: DateOnly;
  ends: DateOnly;
  /** Program dates as instants in its timezone: [starts 00:00, ends+1 00:00). */
  window_from: Timestamp;
  window_to: Timestamp;
  timezone: string;
  business_hours: JSONColumnType<object, string | null, string | null> | null;
  tracking_repo: string | null;
  position: number;
}

export interface MilestonesTable {
  installation_id: BigId;
  program_id: string;
  id: string;
  title: string;
  due: DateOnly;
  position: number;
}

export interface ProjectsTable {
  installation_id: BigId;
  program_id: string;
  id: string;
  title: string;
  repos: string[];
  tracking_repo: string | null;
  tracking_number: number | null;
  position: number;
}

export interface EnrolmentsTable {
  installation_id: BigId;
  program_id: string;
  project_id: string;
  role: "mentor" | "mentee";
  person_id: BigId;
  login: string;
}

export interface DeliveriesTable {
  id: string;
  installation_id: BigId | null;
  event: string;
  action: string | null;
  received_at: Generated<Timestamp>;
  /** The body as GitHub sent it, until the worker has expanded it into events (src/webhooks/expand.ts). */
  body: string | null;
  /** Why the database refused this delivery's events; set, it is no longer pending (body kept). */
  expand_error: string | null;
}

export interface EventsTable {
  id: Generated<BigId>;
  installation_id: BigId;
  dedupe_key: string;
  source: "webhook" | "backfill";
  delivery_id: string | null;
  repo: string;
  number: number;
  thread_kind: "issue" | "pr";
  kind: string;
  actor_id: BigId;
  actor_login: string;
  actor_is_bot: boolean;
  thread_author_id: BigId;
  thread_node_id: string | null;
  occurred_at: Timestamp;
  data: JSONColumnType<Record<string, unknown>, string, string>;
  stored_at: Generated<Timestamp>;
}

export interface TasksTable {
  installation_id: BigId;
  repo: string;
  number: number;
  program_id: string;
  project_id: string;
  mentee_id: BigId | null;
  mentee_login: string | null;
  title: string;
  state: "open" | "in progress" | "done" | "dropped";
  milestone_id: string | null;
  linked_pr_repo: string | null;
  linked_pr_number: number | null;
  linked_pr_merged: boolean | null;
  updated_at: Timestamp;
}

export interface RequestsTable {
  id: Generated<BigId>;
  installation_id: BigId;
  program_id: string;
  project_id: string;
  mentee_id: BigId;
  mentee_login: string;
  repo: string;
  number: number;
  thread_kind: "issue" | "pr";
  kind: string;
  opened_at: Timestamp;
  opened_by: string;
  responded_at: Timestamp | null;
  response_kind: string | null;
  responder_id: BigId | null;
  responder_login: string | null;
  latency_seconds: number | null;
  /** Closed by the mentee, unanswered, after the SLA had passed (DerivedRequest.closedUnansweredAt). */
  closed_unanswered_at: Timestamp | null;
  first_mentor_at: Timestamp | null;
  first_mentor_id: BigId | null;
  first_mentor_login: string | null;
  first_mentor_latency_seconds: number | null;
}

export interface TrackingIssuesTable {
  installation_id: BigId;
  program_id: string;
  project_id: string;
  repo: string;
  number: number;
}

export interface PostedCommentsTable {
  installation_id: BigId;
  key: string;
  repo: string;
  number: number;
  comment_id: BigId | null;
  posted_at: Generated<Timestamp>;
}

export interface MaintainerMentionsTable {
  installation_id: BigId;
  repo: string;
  path: string;
  /** Lower-cased GitHub login as the file names it. */
  login: string;
  first_seen_at: Timestamp;
  commit_sha: string;
}

export interface BackfillCursorsTable {
  installation_id: BigId;
  scope: string;
  state: JSONColumnType<Record<string, unknown>, string, string>;
  updated_at: Generated<Timestamp>;
}

export interface BackfillThreadsTable {
  installation_id: BigId;
  node_id: string;
  repo: string;
  number: number;
  discovered_at: Generated<Timestamp>;
  fetched_at: Timestamp | null;
}

export interface AppStateTable {
  key: string;
  value: JSONColumnType<object, string, string>;
  updated_at: Generated<Timestamp>;
}

export interface RedeliveryRequestsTable {
  guid: string;
  delivery_id: BigId;
  event: string;
  action: string | null;
  installation_id: BigId | null;
  claimed_at: Timestamp;
  /** null between the claim and GitHub's answer (or after a crash there). */
  outcome: "requested" | "rejected" | "unneeded" | null;
  detail: string | null;
  settled_at: Timestamp | null;
}

/** A live graphile-worker pool (the `locked_by` of its jobs): its process touches `beat_at` while it runs. */
export interface DirtyThreadsTable {
  installation_id: number;
  repo: string;
  number: number;
  marked_at: Generated<Timestamp>;
  mark: Generated<number>;
  claimed_by: number | null;
}

export interface WorkerHeartbeatsTable {
  worker_id: string;
  beat_at: Generated<Timestamp>;
}

export interface EvaluationsTable {
  id: Generated<BigId>;
  installation_id: BigId;
  program_id: string;
  round_id: string;
  mentee_id: BigId;
  mentee_login: string;
  side: "mentor" | "mentee";
  author_id: BigId;
  author_login: string;
  outcome: "pass" | "fail" | "extend" | null;
  rating: number | null;
  note: string | null;
  extend_to: DateOnly | null;
  recorded_at: Timestamp;
}

export interface EnrolmentOutcomesTable {
  installation_id: BigId;
  program_id: string;
  project_id: string;
  mentee_id: BigId;
  mentee_login: string;
  outcome: "active" | "completed" | "failed" | "withdrawn" | "extended";
  outcome_date: DateOnly | null;
  updated_at: Generated<Timestamp>;
}

export interface CheckInsTable {
  id: Generated<BigId>;
  installation_id: BigId;
  program_id: string;
  project_id: string;
  mentor_id: BigId;
  mentor_login: string;
  mentee_id: BigId;
  mentee_login: string;
  at: Timestamp;
  source: "command" | "api";
  source_key: string | null;
  note: string | null;
}

export interface Database {
  installations: InstallationsTable;
  rosters: RostersTable;
  people: PeopleTable;
  programs: ProgramsTable;
  milestones: MilestonesTable;
  projects: ProjectsTable;
  enrolments: EnrolmentsTable;
  deliveries: DeliveriesTable;
  events: EventsTable;
  tasks: TasksTable;
  requests: RequestsTable;
  tracking_issues: TrackingIssuesTable;
  posted_comments: PostedCommentsTable;
  backfill_cursors: BackfillCursorsTable;
  maintainer_mentions: MaintainerMentionsTable;
  backfill_threads: BackfillThreadsTable;
  app_state: AppStateTable;
  redelivery_requests: RedeliveryRequestsTable;
  worker_heartbeats: WorkerHeartbeatsTable;
  dirty_threads: DirtyThreadsTable;
  evaluations: EvaluationsTable;
  enrolment_outcomes: EnrolmentOutcomesTable;
  check_ins: CheckInsTable;
}
