import { describe, expect, test } from "@jest/globals";
import { eventPrStandings, labelHasWord, openWindow, participantEnrolments, participantsOf } from "../../src/domain/open-program.js";
import { planSearches } from "../../src/domain/backfill-plan.js";
import type { Actor } from "../../src/domain/types.js";
import { story } from "../helpers/events.js";
import { CLI, GENERATOR, octoberModel, SPEC, WEBSITE } from "../helpers/open-event-october.js";
import { ghUser } from "../helpers/payloads.js";

const actor = (login: string): Actor => ({ id: ghUser(login).id, login, isBot: false });
const HACKER = actor("hacker-99");
const MIRA = actor("mira-maintainer");
const OMAR = actor("omar-maintainer");
const NOW = "2026-11-03T12:00:00Z";
const model = octoberModel();

function standing(s: ReturnType<typeof story>, now = NOW) {
  const [pr] = eventPrStandings(model, s.events, now);
  return pr ? { state: pr.state, reason: pr.reason, acceptedAt: pr.acceptedAt, acceptedBy: pr.acceptedBy } : null;
}

describe("the event's window", () => {
  test("'any time zone' runs from the start day at UTC+14 to the end day's last hour at UTC−12", () => {
    expect(openWindow("2026-10-01", "2026-10-31", "UTC", "anywhere")).toEqual({ from: "2026-09-30T10:00:00Z", to: "2026-11-01T12:00:00Z" });
    expect(openWindow("2026-10-01", "2026-10-31", "Europe/Berlin", "timezone")).toEqual({ from: "2026-09-30T22:00:00Z", to: "2026-10-31T23:00:00Z" });
  });

  test("a PR takes part when created inside it, in an event repository, by a person", () => {
    const at = (createdAt: string, repo = CLI, by = HACKER) => eventPrStandings(model, story({ repo, author: by }).prOpened(createdAt).events, NOW).length;
    expect(at("2026-09-30T09:59:59Z")).toBe(0);
    expect(at("2026-09-30T10:00:00Z")).toBe(1);
    expect(at("2026-11-01T11:59:59Z")).toBe(1);
    expect(at("2026-11-01T12:00:00Z")).toBe(0);
    expect(at("2026-10-10T10:00:00Z", WEBSITE)).toBe(1); // by its topic
    expect(at("2026-10-10T10:00:00Z", GENERATOR)).toBe(1); // by its project
    expect(at("2026-10-10T10:00:00Z", SPEC)).toBe(0);
    expect(at("2026-10-10T10:00:00Z", CLI, { id: 77, login: "renovate[bot]", isBot: true })).toBe(0);
  });
});

describe("where a PR stands", () => {
  const pr = () => story({ repo: CLI, author: HACKER }).prOpened("2026-10-10 10:00");

  test("accepted from the earliest of merge, accepted label and approval, and counting once the review period has passed", () => {
    expect(standing(pr().review("2026-10-11 10:00", MIRA, "approved").merged("2026-10-12 10:00", MIRA))).toEqual({
      state: "accepted",
      reason: null,
      acceptedAt: "2026-10-11T10:00:00Z",
      acceptedBy: "approval",
    });
    expect(standing(pr().merged("2026-10-27 12:00", MIRA))?.state).toBe("accepted"); // 7 days before NOW to the second
    expect(standing(pr().merged("2026-10-27 12:01", MIRA))?.state).toBe("pending");
  });

  test("an approval stops counting when its reviewer asks for changes, and once it is dismissed", () => {
    const approvedThenChanges = pr().add("review_submitted", "2026-10-11 10:00", MIRA, { reviewState: "approved" }, "review_submitted:R1");
    approvedThenChanges.add("review_submitted", "2026-10-12 10:00", MIRA, { reviewState: "changes_requested" }, "review_submitted:R2");
    expect(standing(approvedThenChanges)?.state).toBe("open");
    const dismissed = pr().add("review_submitted", "2026-10-11 10:00", OMAR, { reviewState: "approved" }, "review_submitted:R3");
    dismissed.add("review_dismissed", "2026-10-11 12:00", MIRA, { reviewState: "dismissed" }, "review_dismissed:R3");
    expect(standing(dismissed)?.state).toBe("open");
    // The author approving their own PR accepts nothing.
    expect(standing(pr().review("2026-10-11 10:00", HACKER, "approved"))?.state).toBe("open");
  });

  test("spam and invalid labels exclude it unless it is also labelled accepted; a merge does not overrule them", () => {
    const labelled = (...labels: string[]) => pr().merged("2026-10-11 10:00", MIRA).add("pr_edited", "2026-10-11 11:00", MIRA, { labels });
    expect(standing(labelled("Spam 🚫"))).toMatchObject({ state: "excluded", reason: "spam" });
    expect(standing(labelled("invalid", "hacktoberfest-accepted"))).toMatchObject({ state: "accepted", acceptedBy: "merge" });
    expect(standing(labelled("not-invalid"))).toMatchObject({ state: "excluded", reason: "invalid" });
    expect(standing(labelled("invalidation"))).toMatchObject({ state: "accepted" });
    expect(labelHasWord("status: spam", "spam")).toBe(true);
    expect(labelHasWord("antispam", "spam")).toBe(false);
  });

  test("a comment in the same second as a label, its snapshot without it, does not take the label off", () => {
    const s = pr().comment("2026-10-11 10:00", MIRA).labeled("2026-10-11 10:00", MIRA, "spam");
    s.events[1]!.data.labels = [];
    s.events[2]!.data.labels = ["spam"];
    expect(standing(s)).toMatchObject({ state: "excluded", reason: "spam" });
  });

  test("a label taken off later no longer counts (the latest labels are the PR's)", () => {
    const s = pr().labeled("2026-10-11 10:00", MIRA, "hacktoberfest-accepted").add("pr_edited", "2026-10-12 10:00", MIRA, { labels: [] });
    expect(standing(s)?.state).toBe("open");
  });

  test("drafts never count; a PR closed unmerged is excluded, and reopened it is open again", () => {
    expect(standing(story({ repo: CLI, author: HACKER }).prOpened("2026-10-10 10:00", { draft: true }).labeled("2026-10-11 10:00", MIRA, "hacktoberfest-accepted"))?.state).toBe("draft");
    expect(standing(pr().closed("2026-10-11 10:00", MIRA))).toMatchObject({ state: "excluded", reason: "closed" });
    expect(standing(pr().closed("2026-10-11 10:00", MIRA).prReopened("2026-10-12 10:00"))?.state).toBe("open");
  });
});

describe("participants", () => {
  test("draft-only authors are not participants; two spam PRs flag their author", () => {
    const prs = [
      ...eventPrStandings(model, story({ repo: CLI, number: 1, author: HACKER }).prOpened("2026-10-10 10:00").add("pr_edited", "2026-10-10 11:00", MIRA, { labels: ["spam"] }).events, NOW),
      ...eventPrStandings(model, story({ repo: CLI, number: 2, author: HACKER }).prOpened("2026-10-10 12:00").add("pr_edited", "2026-10-10 13:00", MIRA, { labels: ["spam"] }).events, NOW),
      ...eventPrStandings(model, story({ repo: CLI, number: 3, author: OMAR }).prOpened("2026-10-10 12:00", { draft: true }).events, NOW),
    ];
    expect(participantsOf(prs, 4).map((p) => ({ login: p.login, flagged: p.flagged, spamPrs: p.spamPrs }))).toEqual([{ login: "hacker-99", flagged: true, spamPrs: 2 }]);
  });

  test("the author is enrolled on their event PR only, answered by the repository's maintainers", () => {
    const [enrolment, ...more] = participantEnrolments(model, story({ repo: WEBSITE, author: HACKER }).prOpened("2026-10-10 10:00").events);
    expect(more).toEqual([]);
    expect(enrolment).toMatchObject({
      programId: "hacktoberfest-2026",
      projectId: "topic-repos",
      menteeId: HACKER.id,
      projectRepos: [WEBSITE],
      mentorIds: [ghUser("tara-maintainer").id],
      window: { from: "2026-09-30T10:00:00Z", to: "2026-11-01T12:00:00Z" },
    });
    expect(participantEnrolments(model, story({ repo: WEBSITE, author: HACKER }).prOpened("2026-11-02 10:00").events)).toEqual([]);
  });
});

test("the backfill searches each event repository for the PRs created in the window", () => {
  const searches = planSearches(model, { login: "asyncapi", type: "Organization" }, { programId: "hacktoberfest-2026" }).map((s) => s.qualifiers);
  expect(searches.filter((q) => q.includes("is:pr"))).toEqual(
    [CLI, GENERATOR, WEBSITE].map((repo) => `repo:${repo} is:pr created:2026-09-30T10:00:00+00:00..2026-11-01T12:00:00+00:00`),
  );
});
