/**
 * The privacy page (README, "Privacy"): what the app stores and why, for how long, who sees what, and
 * how a person opts out, gets their data or has it forgotten. An HTML fragment for the dashboard to put
 * in its layout (at /privacy); every value that comes from a roster is escaped. Pure.
 */
import { privacyOf } from "../domain/privacy.js";
import type { InstallationModel } from "../domain/program.js";
import { formatDuration } from "./format.js";
import { htmlText } from "./safe-text.js";

export interface PrivacyPageInput {
  /** The organisation the app serves, which decides what is tracked (the controller); null before a roster. */
  organisation: string | null;
  /** The roster's `privacy.payloadRetention`, in seconds. */
  payloadRetentionSeconds: number;
  /** How many people the roster lists under `privacy.optOut`: counted, never named. */
  optedOut: number;
}

/** The page's facts from an installation's model (defaults when it has none yet). */
export function privacyPageInput(organisation: string | null, model: InstallationModel | null): PrivacyPageInput {
  const privacy = privacyOf(model);
  return { organisation, payloadRetentionSeconds: privacy.payloadRetentionSeconds, optedOut: privacy.optOut.length };
}

/** The page's own sentences are longer than one untrusted line may be; they are escaped all the same. */
const escapeHtml = (text: string) => htmlText(text, 2_000);

/** What each table holds and why: [table, fields, why]. Kept beside the schema's meaning, not its columns. */
const STORED: ReadonlyArray<readonly [string, string, string]> = [
  ["events", "what happened on an issue or pull request: its kind, time, repository and number, who did it (numeric GitHub id, login, whether a bot), the thread's author; from the payload only the labels, draft and review state, linked issues, assignee and requested reviewer, the logins a comment mentions, the title and a link", "every figure is derived from this log, so delivery order and redeliveries never change a result"],
  ["requests, tasks", "each mentee request with its first response (who, when, how long), and each task with its mentee, state and pull request", "the response-time report, the progress comment and nudges"],
  ["rosters, programs, milestones, projects, enrolments, people", "the roster as the organisation wrote it, with every login resolved to its numeric id", "a renamed account keeps its history"],
  ["evaluations, check_ins, enrolment_outcomes", "evaluation forms (outcome, rating, note), check-ins (mentor, mentee, time, note) and how each enrolment ended", "the program's evaluation rounds; private: never in a public comment"],
  ["deliveries, redelivery_requests", "each webhook delivery's id, event name and time; its body only until the worker has turned it into events (usually within a second), or, for one set aside (a body that is not JSON, events the database refused), until an admin deals with it", "a delivery is counted once and acknowledged as soon as it is stored, and a failed one is asked for again"],
  ["tracking_issues, posted_comments", "where the app commented and under which key", "each comment is written once and edited in place"],
  ["backfill_cursors, backfill_threads", "the searches that import history (they name the mentees they search for) and the threads they found", "an import resumes where it stopped"],
  ["maintainer_mentions", "logins that CODEOWNERS or MAINTAINERS files of the projects' repositories name, with the commit", "the mentee-to-maintainer insight"],
  ["dirty_threads", "which threads (repository and number) changed since they were last derived, and since when", "the worker derives each changed thread once, however many deliveries touched it"],
  ["installations, app_state, worker_heartbeats", "the account that installed the app, the app's own bookmarks (a count of forgotten people among them) and its processes' heartbeats", "running the app; nothing about anyone's activity"],
];

const NOT_STORED = [
  "comment, issue and pull request bodies (read only to find @mentions, then dropped)",
  "code, diffs, e-mail addresses, names, avatars",
  "request bodies in the logs",
];

function list(items: readonly string[]): string {
  return `<ul>\n${items.map((item) => `  <li>${item}</li>`).join("\n")}\n</ul>`;
}

export function renderPrivacyPage(input: PrivacyPageInput): string {
  const org = input.organisation === null ? "the organisation that installed it" : `<strong>${htmlText(input.organisation)}</strong>`;
  const retention = escapeHtml(formatDuration(input.payloadRetentionSeconds));
  const optedOut = input.optedOut === 1 ? "1 person has" : `${input.optedOut} people have`;
  const rows = STORED.map(([table, fields, why]) => `    <tr><th scope="row"><code>${escapeHtml(table)}</code></th><td>${escapeHtml(fields)}</td><td>${escapeHtml(why)}</td></tr>`);
  return [
    `<section class="privacy" aria-labelledby="privacy-title">`,
    `<h1 id="privacy-title">Privacy: what this app stores and why</h1>`,
    `<p>mentorship-tracker measures a mentorship program for ${org}, which decides who is tracked (the roster in its <code>.github</code> repository) and answers for the data. It records public GitHub activity of the people on the roster, and of anyone active in the program's repositories, to count tasks, response times and program insights.</p>`,
    `<h2>What is stored</h2>`,
    `<table>`,
    `  <thead><tr><th scope="col">Table</th><th scope="col">What</th><th scope="col">Why</th></tr></thead>`,
    `  <tbody>`,
    ...rows,
    `  </tbody>`,
    `</table>`,
    `<p>Not stored:</p>`,
    list(NOT_STORED.map(escapeHtml)),
    `<h2>How long</h2>`,
    list([
      `Event payloads (titles, links, assignees' and reviewers' logins) are kept for <strong>${retention}</strong> (the roster's <code>privacy.payloadRetention</code>). Every night older events are trimmed to what the figures are computed from; each thread keeps its current title, which its task shows.`,
      "Everything else is kept while the app runs for the organisation, so past programs keep their figures, until a person is forgotten (below).",
    ]),
    `<h2>Who sees what</h2>`,
    list([
      "Roster admins: every program, figure and evaluation.",
      "Mentors: the programs and projects they mentor, and the mentor evaluations of their own mentees.",
      "Mentees: their own page, their own evaluation feedback, and their project's aggregate figures; never another mentee's.",
      "Everyone who can read the tracking issue: the progress, milestone and nudge comments. They show tasks, counts and response times, never an evaluation outcome, rating or note.",
      "The operator of the app: everything, through the database, the API and the command line.",
    ]),
    `<h2>Your choices</h2>`,
    list([
      `<strong>Opt out of being named:</strong> ask a roster admin to add your login to <code>privacy.optOut</code>. You are still counted in every total, but reports, comments and insights show you as a label such as &ldquo;opted-out mentee 2&rdquo;. ${optedOut} opted out here.`,
      "<strong>See your data:</strong> ask the operator to run <code>mentorship privacy export &lt;your login&gt;</code>: every row held about you, as JSON, found by your numeric GitHub id (so also under a login you had before).",
      "<strong>Be forgotten:</strong> ask the operator to run <code>mentorship privacy forget &lt;your login&gt; --yes</code> and an admin to remove you from the roster. Your events, requests, tasks and evaluations then belong to an anonymous person (&ldquo;forgotten person 3&rdquo;), so the program's totals stay right, and nothing can be exported about you any more. Comments already posted on GitHub stay there; GitHub holds them.",
    ]),
    `</section>`,
    "",
  ].join("\n");
}
