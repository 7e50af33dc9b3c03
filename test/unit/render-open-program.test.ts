import { describe, expect, test } from "@jest/globals";
import { eventPrStandings } from "../../src/domain/open-program.js";
import { renderEventProgress } from "../../src/render/open-program.js";
import { buildOpenProgramReport } from "../../src/reports/open-program.js";
import { story } from "../helpers/events.js";
import { mentions } from "../helpers/github-comments.js";
import { CLI, octoberModel } from "../helpers/open-event-october.js";

const NOW = "2026-10-20T12:00:00Z";

function eventWith(name: string) {
  const model = octoberModel();
  const program = { ...model.programs[1]!, name };
  const author = { id: 7, login: "hacker-07", isBot: false };
  const prs = eventPrStandings({ ...model, programs: [model.programs[0]!, program] }, story({ repo: CLI, author }).prOpened("2026-10-10 10:00", { draft: true }).ready("2026-10-11 10:00").events, NOW);
  return buildOpenProgramReport(program, model.slaSeconds, prs, [], NOW);
}

describe("the event's progress comment", () => {
  test("untrusted text in the event's name pings nobody and injects no HTML or marker", () => {
    const body = renderEventProgress(eventWith("Hacktoberfest @everyone <!-- mentorship-tracker:progress:other --> <b>x</b>"));
    expect(mentions(body)).toEqual([]);
    expect(body).not.toContain("<b>");
    expect(body.match(/<!-- mentorship-tracker:/g)).toHaveLength(1);
  });

  test("before any maintainer answered: no latency yet, nobody waiting, the one PR waiting for a decision", () => {
    const body = renderEventProgress(eventWith("Hacktoberfest 2026"));
    expect(body).toContain("**1 participant**, 0 of them at the goal · 1 pull request: 0 accepted, 0 in their review period, 1 waiting for a decision, 0 drafts, 0 not counted");
    expect(body).toContain("| asyncapi/cli | 1 | 0 | 0 | 1 | 0 | — | — |");
    expect(body).toContain("No pull request is waiting for a maintainer.");
    expect(body).toContain("Pull requests created 2026-10-01 to 2026-10-31 in any time zone count. Goal: 4 accepted pull requests, each counting 7d after it was accepted.");
  });
});
