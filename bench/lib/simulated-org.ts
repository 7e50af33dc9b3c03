/**
 * A simulated org for the backfill-cost measure: PRs and issues with comments, reviews, review
 * requests, pushes, labels, assignments and closes, spread over a program's months, by a roster of
 * mentees and mentors. Deterministic (seeded), so two runs count the same requests.
 */
import type { OrgThread } from "../../src/demo/standin-graphql.js";
import type { GqlActor, GqlTimelineItem } from "../../src/github/backfill.js";
import type { InstallationModel, Person } from "../../src/domain/program.js";
import { programWindow } from "../../src/domain/program.js";

export interface OrgPlan {
  prs: number;
  issues: number;
  mentees: number;
  mentors: number;
  repos: number;
}

export const FULL_ORG: OrgPlan = { prs: 2000, issues: 2000, mentees: 40, mentors: 10, repos: 4 };
export const QUICK_ORG: OrgPlan = { prs: 200, issues: 200, mentees: 8, mentors: 4, repos: 2 };

const ORG = "sim-org";
const TASK_LABEL = "mentorship";
const START = Date.parse("2026-06-15T00:00:00Z");
const SPAN = 120 * 86_400_000;

export interface SimulatedOrg {
  account: string;
  model: InstallationModel;
  threads: OrgThread[];
  /** Per thread, what a per-item REST client would page through (see bench/backfill-cost.ts). */
  stats: { comments: number; reviews: number; events: number; kind: "pr" | "issue" }[];
}

export function simulatedOrg(plan: OrgPlan, seed = 42): SimulatedOrg {
  const random = mulberry32(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const mentees: Person[] = Array.from({ length: plan.mentees }, (_, i) => ({ id: 7_000_000 + i, login: `sim-mentee-${i}` }));
  const mentors: Person[] = Array.from({ length: plan.mentors }, (_, i) => ({ id: 7_100_000 + i, login: `sim-mentor-${i}` }));
  const repos = Array.from({ length: plan.repos }, (_, i) => `${ORG}/repo-${i}`);
  const actor = (p: Person): GqlActor => ({ __typename: "User", login: p.login, databaseId: p.id });
  const at = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");

  const threads: OrgThread[] = [];
  const stats: SimulatedOrg["stats"] = [];
  let number = 0;
  let node = 0;
  const total = plan.prs + plan.issues;
  for (let i = 0; i < total; i++) {
    // Alternate while both kinds remain, then the rest of the larger kind.
    const isPr = i < 2 * Math.min(plan.prs, plan.issues) ? i % 2 === 0 : plan.prs > plan.issues;
    const repo = repos[i % repos.length]!;
    const mentee = mentees[i % mentees.length]!;
    const mentor = pick(mentors);
    let t = START + Math.floor(random() * (SPAN - 20 * 86_400_000));
    const createdAt = at(t);
    const step = () => (t += between(10, 3000) * 60_000);
    const timeline: GqlTimelineItem[] = [];
    const comment = (who: Person) => {
      node += 1;
      timeline.push({ __typename: "IssueComment", id: `IC_sim${node}`, createdAt: at(step()), url: `https://github.com/${repo}/issues/${number + 1}#c${node}`, author: actor(who) });
    };
    number += 1;
    let labels: string[] = [];
    let reviews = 0;
    let events = 0;
    if (isPr) {
      // One PR in five started as a draft and was marked ready.
      if (random() < 0.2) {
        timeline.push({ __typename: "ReadyForReviewEvent", createdAt: at(step()), actor: actor(mentee) });
        events += 1;
      }
      timeline.push({ __typename: "ReviewRequestedEvent", createdAt: at(step()), actor: actor(mentee), requestedReviewer: { __typename: "User", login: mentor.login, databaseId: mentor.id } });
      events += 1;
      for (let r = between(1, 4); r > 0; r--) {
        node += 1;
        const state = r === 1 ? "APPROVED" : pick(["CHANGES_REQUESTED", "COMMENTED"]);
        timeline.push({ __typename: "PullRequestReview", id: `PRR_sim${node}`, state, submittedAt: at(step()), url: `https://github.com/${repo}/pull/${number}#r${node}`, author: actor(mentor) });
        reviews += 1;
        if (r > 1) {
          node += 1;
          timeline.push({ __typename: "PullRequestCommit", commit: { oid: node.toString(16).padStart(40, "0"), committedDate: at(step()), author: { user: actor(mentee) } } });
        }
        if (random() < 0.5) comment(random() < 0.5 ? mentee : mentor);
      }
      if (random() < 0.7) {
        const mergedAt = at(step());
        timeline.push({ __typename: "MergedEvent", createdAt: mergedAt, actor: actor(mentor) }, { __typename: "ClosedEvent", createdAt: mergedAt, actor: actor(mentor) });
        events += 2;
      }
    } else {
      const task = random() < 0.4;
      if (task) {
        timeline.push({ __typename: "LabeledEvent", createdAt: at(step()), actor: actor(mentor), label: { name: TASK_LABEL } });
        timeline.push({ __typename: "AssignedEvent", createdAt: at(step()), actor: actor(mentor), assignee: actor(mentee) });
        labels = [TASK_LABEL];
        events += 2;
      }
      for (let c = between(0, 8); c > 0; c--) comment(c % 2 === 0 ? mentor : mentee);
      if (random() < 0.5) {
        timeline.push({ __typename: "ClosedEvent", createdAt: at(step()), actor: actor(mentor), stateReason: "COMPLETED" });
        events += 1;
      }
    }
    // Issues opened by mentors are found through the mentee's comment or assignment; make sure there is one.
    const author = isPr || random() < 0.5 ? mentee : mentor;
    if (author !== mentee && !timeline.some((x) => "author" in x && x.author?.login === mentee.login) && !labels.length) comment(mentee);
    timeline.sort((a, b) => instantOf(a).localeCompare(instantOf(b)));
    threads.push({
      __typename: isPr ? "PullRequest" : "Issue",
      id: `${isPr ? "PR" : "I"}_sim${number}`,
      number,
      repo,
      title: `${isPr ? "Change" : "Question"} ${number}`,
      createdAt,
      updatedAt: timeline.length ? instantOf(timeline[timeline.length - 1]!) : createdAt,
      author: actor(author),
      labels,
      ...(isPr ? { body: random() < 0.3 ? `Fixes #${Math.max(1, number - 1)}` : "", isDraft: false } : {}),
      timeline,
    });
    stats.push({ kind: isPr ? "pr" : "issue", reviews, events, comments: timeline.filter((x) => x.__typename === "IssueComment").length });
  }

  const perProject = Math.ceil(plan.mentees / plan.repos);
  const model: InstallationModel = {
    taskLabel: TASK_LABEL,
    responders: "mentors",
    slaSeconds: 48 * 3600,
    ignored: [],
    menteeSilenceSeconds: 7 * 86400,
    reminderSeconds: [],
    admins: [],
    programs: [
      {
        id: "sim-2026",
        name: "Simulated program 2026",
        starts: "2026-06-15",
        ends: "2026-10-31",
        window: programWindow("2026-06-15", "2026-10-31", "UTC"),
        timezone: "UTC",
        trackingRepo: null,
        milestones: [],
        projects: repos.map((repo, i) => ({
          id: `project-${i}`,
          title: `Project ${i}`,
          repos: [repo],
          trackingIssue: null,
          mentors,
          mentees: mentees.slice(i * perProject, (i + 1) * perProject),
        })),
      },
    ],
  };
  return { account: ORG, model, threads, stats };
}

function instantOf(item: GqlTimelineItem): string {
  if (item.__typename === "PullRequestCommit") return item.commit.committedDate;
  if (item.__typename === "PullRequestReview") return item.submittedAt ?? "";
  return item.createdAt;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
