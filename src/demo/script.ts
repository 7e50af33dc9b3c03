import type { StandinUser } from "./standin-github.js";

/**
 * A fictional program shaped like AsyncAPI's Maintainership Program 2026 (its dates and
 * milestones), with fictional people: real logins never get invented activity.
 *
 * Every project runs the same weekly task cycle; only the mentors' answer time differs, so the
 * report's numbers can be computed by hand (see test/e2e/demo.test.ts):
 *   day 0 09:00  mentor opens a task issue, labelled and assigned to the mentee (and, before the
 *                mid-term, puts it in the "Mid-term evaluation" milestone)
 *   day 1 10:00  mentee comments on the task                → request (comment), answered after `answerHours`
 *   day 2 10:00  mentee opens a draft PR that closes it    → no request (draft)
 *   day 3 10:00  mentee marks the PR ready                 → request (ready for review), answered by "changes requested"
 *   day 4 10:00  mentee pushes                             → request (push after changes), answered by an approval
 *   day 4        mentor merges an hour after approving, and the task closes as completed
 * Mentors answer within: cli 2 h, studio 5 h, generator 20 h.
 */

export const DEMO_ORG = "demo-org";
export const DEMO_INSTALLATION_ID = 1;
export const DEMO_PROGRAM = "demo-2026";
const MIDTERM_DUE = "2026-08-22";

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

let nextUserId = 70_000;
function user(login: string): StandinUser {
  nextUserId += 1;
  return { id: nextUserId, login, type: "User" };
}

export const people = {
  admin: user("ada-admin"),
  mira: user("mira-mentor"),
  sam: user("sam-mentor"),
  tara: user("tara-mentor"),
  omar: user("omar-mentor"),
  leo: user("leo-mentee"),
  ivy: user("ivy-mentee"),
  kai: user("kai-mentee"),
  dependabot: { id: 49_699_333, login: "dependabot[bot]", type: "Bot" } as StandinUser,
};

export interface DemoProject {
  id: string;
  title: string;
  repo: string;
  mentor: StandinUser;
  mentee: StandinUser;
  answerHours: number;
  /** The weeks (counted from `firstCycle`) in which a task cycle runs. */
  weeks: number[];
  firstCycle: string;
}

export const projects: DemoProject[] = [
  { id: "cli", title: "CLI: a watch mode", repo: `${DEMO_ORG}/cli`, mentor: people.mira, mentee: people.leo, answerHours: 2, weeks: range(0, 16), firstCycle: "2026-06-16" },
  { id: "studio", title: "Studio: visual editor", repo: `${DEMO_ORG}/studio`, mentor: people.sam, mentee: people.ivy, answerHours: 5, weeks: range(0, 16), firstCycle: "2026-06-17" },
  // Kai skips week 6: silent from his push on 2026-07-27 10:00 until his comment on 2026-08-07 10:00.
  { id: "generator", title: "Generator: template tests", repo: `${DEMO_ORG}/generator`, mentor: people.omar, mentee: people.kai, answerHours: 20, weeks: [...range(0, 5), ...range(7, 16)], firstCycle: "2026-06-18" },
];

export const roster = `# Demo roster: a fictional program in the shape of AsyncAPI's Maintainership Program 2026.
taskLabel: mentorship
sla:
  firstResponse: 48h
  menteeSilence: 7d
reminders: [10d, 5d, 0d]
admins: [${people.admin.login}]
programs:
  - id: ${DEMO_PROGRAM}
    name: Demo Maintainership Program 2026
    starts: 2026-06-15
    ends: 2026-10-17
    timezone: UTC
    trackingRepo: ${DEMO_ORG}/community
    milestones:
      - { id: midterm, title: Mid-term evaluation, due: 2026-08-22 }
      - { id: final, title: Final evaluation, due: 2026-10-17 }
    projects:
      - id: cli
        title: "CLI: a watch mode"
        repos: [${DEMO_ORG}/cli]
        trackingIssue: ${DEMO_ORG}/community#1
        mentors: [${people.mira.login}]
        mentees: [${people.leo.login}]
      - id: studio
        title: "Studio: visual editor"
        repos: [${DEMO_ORG}/studio]
        trackingIssue: ${DEMO_ORG}/community#2
        mentors: [${people.sam.login}, ${people.tara.login}]
        mentees: [${people.ivy.login}]
      - id: generator
        title: "Generator: template tests"
        repos: [${DEMO_ORG}/generator]
        mentors: [${people.omar.login}]
        mentees: [${people.kai.login}]
`;

export interface ScriptedDelivery {
  /** Simulated time at which GitHub sends it. */
  at: string;
  name: string;
  payload: Record<string, unknown>;
  /** Set to resend an earlier delivery under the same GUID (GitHub's redelivery). */
  id?: string;
}

type Json = Record<string, unknown>;

function addHours(date: string, hours: number): string {
  return new Date(Date.parse(date) + hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function at(day: string, plusDays: number, time: string): string {
  return addHours(`${day}T${time}:00Z`, plusDays * 24);
}

let nextObjectId = 1;
function objectId(): number {
  nextObjectId += 1;
  return nextObjectId;
}

function repository(repo: string): Json {
  const [owner, name] = repo.split("/");
  return { id: 1, node_id: `R_${name}`, name, full_name: repo, owner: { login: owner }, html_url: `https://github.com/${repo}`, default_branch: "main" };
}

function thread(kind: "issue" | "pr", repo: string, number: number, author: StandinUser, fields: Json): Json {
  return {
    id: number,
    node_id: `${kind === "pr" ? "PR" : "I"}_${repo.replace("/", "_")}_${number}`,
    number,
    user: author,
    html_url: `https://github.com/${repo}/${kind === "pr" ? "pull" : "issues"}/${number}`,
    labels: [],
    state: "open",
    ...fields,
  };
}

function base(repo: string, sender: StandinUser, action: string): Json {
  return { action, repository: repository(repo), sender, installation: { id: DEMO_INSTALLATION_ID } };
}

function issueEvent(action: string, repo: string, number: number, time: string, sender: StandinUser, author: StandinUser, title: string, extra: Json = {}, issueFields: Json = {}): ScriptedDelivery {
  const issue = thread("issue", repo, number, author, { title, created_at: time, updated_at: time, labels: [{ name: "mentorship" }], ...issueFields });
  return { at: time, name: "issues", payload: { ...base(repo, sender, action), issue, ...extra } };
}

function prEvent(action: string, repo: string, number: number, time: string, sender: StandinUser, author: StandinUser, fields: Json, extra: Json = {}): ScriptedDelivery {
  const pull_request = thread("pr", repo, number, author, { created_at: time, updated_at: time, draft: false, merged: false, ...fields });
  return { at: time, name: "pull_request", payload: { ...base(repo, sender, action), number, pull_request, ...extra } };
}

function comment(repo: string, number: number, kind: "issue" | "pr", title: string, time: string, by: StandinUser, author: StandinUser, body: string, labels: string[] = []): ScriptedDelivery {
  const id = objectId();
  const issue = thread("issue", repo, number, author, {
    title,
    created_at: time,
    updated_at: time,
    labels: labels.map((name) => ({ name })),
    ...(kind === "pr" ? { pull_request: { html_url: `https://github.com/${repo}/pull/${number}` } } : {}),
  });
  const c = { id, node_id: `IC_${id}`, user: by, body, created_at: time, updated_at: time, html_url: `${issue.html_url}#issuecomment-${id}` };
  return { at: time, name: "issue_comment", payload: { ...base(repo, by, "created"), issue, comment: c } };
}

function review(repo: string, number: number, title: string, time: string, by: StandinUser, author: StandinUser, state: string): ScriptedDelivery {
  const id = objectId();
  const pull_request = thread("pr", repo, number, author, { title, created_at: time, updated_at: time, draft: false });
  const r = { id, node_id: `PRR_${id}`, user: by, state, submitted_at: time, html_url: `${pull_request.html_url}#pullrequestreview-${id}` };
  return { at: time, name: "pull_request_review", payload: { ...base(repo, by, "submitted"), pull_request, review: r } };
}

/** One project's weekly task cycles (see the header comment). */
function cycles(p: DemoProject): ScriptedDelivery[] {
  const out: ScriptedDelivery[] = [];
  for (const k of p.weeks) {
    const day = at(p.firstCycle, 7 * k, "00:00").slice(0, 10);
    const task = 10 + 4 * k;
    const pr = task + 1;
    const title = `Task ${k + 1} of ${p.title}`;
    const prTitle = `${title}: the change`;
    const answer = (time: string) => addHours(time, p.answerHours);

    out.push(issueEvent("opened", p.repo, task, at(day, 0, "09:00"), p.mentor, p.mentor, title));
    out.push(issueEvent("assigned", p.repo, task, at(day, 0, "09:01"), p.mentor, p.mentor, title, { assignee: p.mentee }));
    if (day < MIDTERM_DUE) {
      // Tasks started before the mid-term count towards it (the GitHub milestone's title matches the roster's).
      const milestone = { title: "Mid-term evaluation", number: 1 };
      out.push(issueEvent("milestoned", p.repo, task, at(day, 0, "09:02"), p.mentor, p.mentor, title, { milestone }, { milestone }));
    }
    const ask = at(day, 1, "10:00");
    out.push(comment(p.repo, task, "issue", title, ask, p.mentee, p.mentor, "I'd like to take this one. Any pointers?", ["mentorship"]));
    out.push(comment(p.repo, task, "issue", title, answer(ask), p.mentor, p.mentor, "Start from the config loader.", ["mentorship"]));
    const body = `Closes #${task}`;
    out.push(prEvent("opened", p.repo, pr, at(day, 2, "10:00"), p.mentee, p.mentee, { title: prTitle, draft: true, body }));
    const ready = at(day, 3, "10:00");
    out.push(prEvent("ready_for_review", p.repo, pr, ready, p.mentee, p.mentee, { title: prTitle, body, created_at: at(day, 2, "10:00") }));
    out.push(review(p.repo, pr, prTitle, answer(ready), p.mentor, p.mentee, "changes_requested"));
    const push = at(day, 4, "10:00");
    out.push(prEvent("synchronize", p.repo, pr, push, p.mentee, p.mentee, { title: prTitle, body, created_at: at(day, 2, "10:00") }, { after: `${p.id}${k}`.padEnd(40, "0") }));
    const approved = answer(push);
    out.push(review(p.repo, pr, prTitle, approved, p.mentor, p.mentee, "approved"));
    const merged = addHours(approved, 1);
    out.push(prEvent("closed", p.repo, pr, merged, p.mentor, p.mentee, { title: prTitle, body, state: "closed", merged: true, merged_at: merged, closed_at: merged, created_at: at(day, 2, "10:00") }));
    out.push(issueEvent("closed", p.repo, task, addHours(merged, 0.01), p.mentor, p.mentor, title, {}, { state: "closed", state_reason: "completed", closed_at: addHours(merged, 0.01), assignees: [p.mentee] }));
  }
  return out;
}

/**
 * The whole program in sending order: the task cycles, plus what makes a program real —
 * a bot that comments (never counted), a question that waits past the SLA, a mentee who
 * goes quiet, a delivery sent twice, and deliveries that arrive out of order.
 */
export function demoScript(): ScriptedDelivery[] {
  const all = projects.flatMap(cycles);

  const [cli, studio, generator] = projects as [DemoProject, DemoProject, DemoProject];
  // Dependabot comments on a cli PR: bots never open or answer anything.
  all.push(comment(cli.repo, 11, "pr", "Task 1 of CLI: a watch mode: the change", "2026-06-19T11:00:00Z", people.dependabot, cli.mentee, "Bump dependencies"));
  // Kai opens a question that Omar answers only after 60 hours: past the 48 h SLA, so it is nudged.
  all.push(issueEvent("opened", generator.repo, 90, "2026-09-01T09:00:00Z", people.kai, people.kai, "How should template tests be structured?", {}, { labels: [] }));
  all.push(comment(generator.repo, 90, "issue", "How should template tests be structured?", "2026-09-03T21:00:00Z", people.omar, people.kai, "Sorry for the delay: one file per template."));
  // Ivy's last question is still waiting when the program ends.
  all.push(comment(studio.repo, 200, "issue", "Shipping the visual editor", "2026-10-14T10:00:00Z", people.ivy, people.ivy, "Is the editor ready to ship?"));
  const waitingIssue = issueEvent("opened", studio.repo, 200, "2026-10-14T09:55:00Z", people.ivy, people.ivy, "Shipping the visual editor", {}, { labels: [] });
  all.push(waitingIssue);

  all.sort((a, b) => a.at.localeCompare(b.at));

  // GitHub redelivers one webhook under the same GUID: stored once.
  const duplicated = all.findIndex((d) => d.name === "pull_request_review");
  const duplicate = { ...all[duplicated]!, id: "redelivered" };
  all[duplicated] = { ...all[duplicated]!, id: "redelivered" };
  all.splice(duplicated + 1, 0, duplicate);

  // Two deliveries arrive in the wrong order: the payloads' own times decide.
  const swap = all.findIndex((d) => d.name === "pull_request" && (d.payload as Json).action === "ready_for_review" && d.at.startsWith("2026-07"));
  const readyEvent = all[swap]!;
  const reviewIndex = all.findIndex((d, i) => i > swap && d.name === "pull_request_review");
  all[swap] = all[reviewIndex]!;
  all[reviewIndex] = readyEvent;
  return all;
}
